"""The 98 municipalities as a map: accessible inline SVG, a downloadable SVG file and a PNG.

Pure Python, no Django: the geometry is shipped ready to draw
(``frisat/data/geo/kommuner.json``, built by ``scripts/build_geo.py`` from the DAGI
boundaries; projection, simplification and the Bornholm inset are documented there), so a
map is string formatting.

The page decides what the map says through three callbacks, each given a municipality
code: ``href`` (where the municipality links to; ``None`` for no link), ``status`` (the
text after the name in its ``<title>``, e.g. "frisat på dagtilbud") and ``classes`` (its
CSS classes; ``map_classes`` builds the ones ``static/frisat/map.css`` colours). Colour is
never the only signal (WCAG 1.4.1): every class has its own pattern as well as its colour,
every municipality names itself and its status in its title, and a page keeps the table
beside the map.

The inline map is a ``role="group"`` named by its ``<title>`` and described by its
``<desc>``: its links must stay links for screen readers and the keyboard, which
``role="img"`` would hide (children of an image are presentational; axe-core reports
focusable content inside one as ``nested-interactive``). The downloadable file has no
links and is a ``role="img"``.

The source must be named beside the map: ``attribution_html`` (and the file and PNG carry
it in the picture).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "geo" / "kommuner.json"
CSS = Path(__file__).resolve().parent / "static" / "frisat" / "map.css"
# The portal's own font (vendored with DKFDS, SIL Open Font License): Danish letters in the PNG
FONT = Path(__file__).resolve().parent / "static" / "dkfds" / "fonts" / "IBMPlexSans" / \
    "complete" / "woff2" / "IBMPlexSans-Regular.woff2"
PATTERN = 6  # the side of a pattern tile, in map units


@dataclass(frozen=True)
class Style:
    """How one class of municipality is drawn: background, marks and the marks' shape."""

    key: str  # the class is map-<key>
    fill: str
    ink: str
    pattern: str  # dots | diagonal | horizontal | cross | none
    label: tuple[str, str]  # Danish, English


# Okabe-Ito colours (readable with every common colour-vision deficiency), each area with a
# pattern of its own. An ended freedom keeps the area's pattern, drawn in a dark shade of
# the area's colour on white.
STYLES: dict[str, Style] = {s.key: s for s in (
    Style("dagtilbud", "#e69f00", "#000000", "dots", ("Dagtilbud", "Day care")),
    Style("folkeskole", "#56b4e9", "#000000", "diagonal", ("Folkeskole", "Public school")),
    Style("aeldre", "#cc79a7", "#000000", "horizontal", ("Ældreområdet", "Elder care")),
    Style("multi", "#009e73", "#000000", "cross", ("Flere områder", "Several areas")),
    Style("none", "#f2f2f2", "#f2f2f2", "none", ("Ikke frisat", "Not freed")),
)}
ENDED_INK = {"dagtilbud": "#8a5300", "folkeskole": "#1d5f8a", "aeldre": "#8e3c6b",
             "multi": "#006146"}
ENDED_LABEL = ("Frisat tidligere – forsøget er slut", "Freed earlier – the experiment has ended")
ATTRIBUTION = ("Kortgrundlag", "Map data")


@dataclass(frozen=True)
class Shape:
    code: int
    name: str
    d: str  # SVG path data in map units


@dataclass(frozen=True)
class Geometry:
    shapes: tuple[Shape, ...]
    view_box: tuple[int, int, int, int]
    inset: tuple[int, int, int, int]  # Bornholm's frame
    attribution: str
    source: str


@cache
def geometry() -> Geometry:
    doc = json.loads(DATA.read_text(encoding="utf-8"))
    vb = doc["view_box"]
    fr = doc["inset"]["frame"]
    return Geometry(
        shapes=tuple(Shape(m["code"], m["name"], m["d"]) for m in doc["municipalities"]),
        view_box=(vb[0], vb[1], vb[2], vb[3]), inset=(fr[0], fr[1], fr[2], fr[3]),
        attribution=doc["attribution"], source=doc["source"])


def map_classes(areas: Iterable[str], ended: bool = False) -> str:
    """The classes ``map.css`` colours: ``map-<area>``, ``map-multi`` for several areas,
    ``map-none`` for none; ``map-ended`` added when the freedom has ended."""
    known = sorted(set(areas))
    key = "none" if not known else known[0] if len(known) == 1 else "multi"
    if key not in STYLES:
        key = "multi"
    return f"map-{key} map-ended" if ended and key != "none" else f"map-{key}"


def _style_of(classes: str) -> tuple[Style, bool]:
    words = classes.split()
    style = next((STYLES[w[4:]] for w in words if w.startswith("map-") and w[4:] in STYLES),
                 STYLES["none"])
    return style, "map-ended" in words and style.key != "none"


def _marks(style: Style, ink: str) -> str:
    p = PATTERN
    if style.pattern == "dots":
        return f'<circle cx="{p / 2:g}" cy="{p / 2:g}" r="1.1" fill="{ink}"/>'
    lines = {"diagonal": f"M0 {p}L{p} 0M-1 1L1-1M{p - 1} {p + 1}L{p + 1} {p - 1}",
             "horizontal": f"M0 {p / 2:g}H{p}",
             "cross": f"M0 {p}L{p} 0M0 0L{p} {p}"}[style.pattern]
    return f'<path d="{lines}" stroke="{ink}" stroke-width="0.9" fill="none"/>'


def pattern_defs() -> str:
    """The ``<defs>`` with one pattern per class (and per ended class) that map.css names."""
    out = []
    for s in STYLES.values():
        if s.pattern == "none":
            continue
        for suffix, bg, ink in (("", s.fill, s.ink), ("-ended", "#ffffff", ENDED_INK[s.key])):
            out.append(f'<pattern id="frisat-map-{s.key}{suffix}" width="{PATTERN}" '
                       f'height="{PATTERN}" patternUnits="userSpaceOnUse">'
                       f'<rect width="{PATTERN}" height="{PATTERN}" fill="{bg}"/>'
                       f"{_marks(s, ink)}</pattern>")
    return "<defs>" + "".join(out) + "</defs>"


def _lang(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def _shapes(href: Callable[[int], str | None] | None, status: Callable[[int], str],
            classes: Callable[[int], str]) -> str:
    out = []
    geo = geometry()
    x, y, w, h = geo.inset
    out.append(f'<rect class="map-inset" x="{x}" y="{y}" width="{w}" height="{h}"/>')
    for s in geo.shapes:
        text = status(s.code)
        title = f"<title>{escape(s.name)}{': ' + escape(text) if text else ''}</title>"
        cls = escape(classes(s.code), quote=True)
        link = href(s.code) if href is not None else None
        body = f'{title}<path d="{s.d}"/>'
        if link is None:
            out.append(f'<g class="{cls}" data-code="{s.code}">{body}</g>')
        else:
            out.append(f'<a href="{escape(link, quote=True)}" class="{cls}" '
                       f'data-code="{s.code}">{body}</a>')
    return "\n".join(out)


def render_map(href: Callable[[int], str | None], status: Callable[[int], str],
               classes: Callable[[int], str], *, title: str, description: str,
               lang: str = "da", id_prefix: str = "kort", defs: bool = True) -> str:
    """The map as inline SVG for an HTML page: one link per municipality, in code order.

    ``defs=False`` leaves out the patterns, for a second map on a page that has them.
    Link with ``static/frisat/map.css`` and show ``attribution_html`` beside the map.
    """
    vb = " ".join(map(str, geometry().view_box))
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{vb}" class="frisat-map" '
            f'role="group" aria-labelledby="{id_prefix}-title" '
            f'aria-describedby="{id_prefix}-desc" lang="{escape(lang, quote=True)}">'
            f'<title id="{id_prefix}-title">{escape(title)}</title>'
            f'<desc id="{id_prefix}-desc">{escape(description)}</desc>')
    return head + (pattern_defs() if defs else "") + "\n" + \
        _shapes(href, status, classes) + "\n</svg>"


def default_legend(lang: str = "da") -> list[tuple[str, str]]:
    """(classes, label) for every style, the ended variant last but one and 'none' last."""
    out = [(f"map-{k}", _lang(s.label, lang)) for k, s in STYLES.items() if k != "none"]
    out.append(("map-dagtilbud map-ended", _lang(ENDED_LABEL, lang)))
    out.append(("map-none", _lang(STYLES["none"].label, lang)))
    return out


def legend_html(entries: Sequence[tuple[str, str]] | None = None, lang: str = "da") -> str:
    """A legend: a swatch (the map's own pattern) and a label per entry. Its swatches use
    the patterns of a map on the same page (``render_map`` with ``defs=True``)."""
    items = []
    for cls, label in entries if entries is not None else default_legend(lang):
        items.append('<li><svg class="map-swatch" width="28" height="18" viewBox="0 0 28 18" '
                     'aria-hidden="true" focusable="false">'
                     f'<rect class="{escape(cls, quote=True)}" x="0.5" y="0.5" width="27" '
                     f'height="17"/></svg> {escape(label)}</li>')
    name = _lang(("Forklaring til kortet", "Map legend"), lang)
    return f'<ul class="frisat-map-legend" aria-label="{name}">' + "".join(items) + "</ul>"


def attribution_html(lang: str = "da") -> str:
    return (f'<p class="frisat-map-attribution">{_lang(ATTRIBUTION, lang)}: '
            f"{escape(geometry().attribution)}</p>")


# -- as a file ----------------------------------------------------------------------------

LEGEND_ROW = 22


def _legend_svg(entries: Sequence[tuple[str, str]], top: int) -> str:
    out = []
    for i, (cls, label) in enumerate(entries):
        y = top + i * LEGEND_ROW
        out.append(f'<rect class="{escape(cls, quote=True)}" x="8" y="{y}" width="26" '
                   f'height="16"/><text x="42" y="{y + 13}">{escape(label)}</text>')
    return "".join(out)


def _map_css() -> str:
    return re.sub(r"/\*.*?\*/", "", CSS.read_text(encoding="utf-8"), flags=re.S).strip()


def render_svg_file(status: Callable[[int], str], classes: Callable[[int], str], *,
                    title: str, description: str, lang: str = "da",
                    legend: Sequence[tuple[str, str]] | None = None) -> str:
    """The map as a standalone SVG document (XML declaration, styles and patterns inside,
    legend and source below the map), for download. No links: a picture."""
    geo = geometry()
    _, _, w, h = geo.view_box
    entries = list(legend) if legend is not None else default_legend(lang)
    foot = h + 8
    height = foot + len(entries) * LEGEND_ROW + 28
    source = f"{_lang(ATTRIBUTION, lang)}: {geo.attribution}"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {height}" width="{w * 2}" '
        f'height="{height * 2}" class="frisat-map" role="img" aria-labelledby="t d" '
        f'lang="{escape(lang, quote=True)}">\n'
        f'<title id="t">{escape(title)}</title><desc id="d">{escape(description)}</desc>\n'
        f"<style><![CDATA[\n{_map_css()}\n"
        "text { font: 12px 'IBM Plex Sans', Arial, sans-serif; fill: #1a1a1a; }\n]]></style>\n"
        f'{pattern_defs()}\n<rect width="{w}" height="{height}" fill="#ffffff"/>\n'
        f"{_shapes(None, status, classes)}\n"
        f"{_legend_svg(entries, foot)}\n"
        f'<text x="8" y="{height - 10}">{escape(source)}</text>\n</svg>\n')


def path_rings(d: str) -> list[list[tuple[int, int]]]:
    """The rings of a shipped path (``M x y l dx dy … z`` per ring) as absolute points."""
    rings = []
    for part in re.findall(r"M([^Mz]*)z", d):
        head, _, rel = part.partition("l")
        x, y = (int(v) for v in re.findall(r"-?\d+", head))
        ring = [(x, y)]
        nums = [int(v) for v in re.findall(r"-?\d+", rel)]
        for dx, dy in zip(nums[::2], nums[1::2], strict=True):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def render_png(classes: Callable[[int], str], *, width: int = 1072, lang: str = "da",
               legend: Sequence[tuple[str, str]] | None = None) -> bytes:
    """The map as PNG, drawn with Pillow (a WeasyPrint dependency, so no system package
    beyond the project's; CairoSVG would need the cairo library, which the project does not
    install): the same colours and patterns as ``map.css``, legend and source below."""
    import io

    from PIL import Image, ImageChops, ImageDraw, ImageFont

    geo = geometry()
    _, _, w, h = geo.view_box
    k = width / w
    entries = list(legend) if legend is not None else default_legend(lang)
    row = round(LEGEND_ROW * k)
    height = round((h + 8) * k) + len(entries) * row + round(28 * k)
    img = Image.new("RGB", (width, height), "#ffffff")
    tiles: dict[tuple[str, bool], Image.Image] = {}

    def tile(style: Style, ended: bool) -> Image.Image:
        key = (style.key, ended)
        if key not in tiles:
            side = max(2, round(PATTERN * k))
            bg, ink = ("#ffffff", ENDED_INK[style.key]) if ended else (style.fill, style.ink)
            t = Image.new("RGB", (side, side), bg)
            dr = ImageDraw.Draw(t)
            lw, c = max(1, round(0.9 * k)), side / 2
            if style.pattern == "dots":
                r = 1.1 * k
                dr.ellipse((c - r, c - r, c + r, c + r), fill=ink)
            if style.pattern in ("diagonal", "cross"):
                dr.line((0, side, side, 0), fill=ink, width=lw)
            if style.pattern == "cross":
                dr.line((0, 0, side, side), fill=ink, width=lw)
            if style.pattern == "horizontal":
                dr.line((0, c, side, c), fill=ink, width=lw)
            big = Image.new("RGB", (width, height))
            for ty in range(0, height, side):
                for tx in range(0, width, side):
                    big.paste(t, (tx, ty))
            tiles[key] = big
        return tiles[key]

    def fill(polys: list[list[tuple[float, float]]], style: Style, ended: bool) -> None:
        x0 = math.floor(min(x for r in polys for x, _ in r))
        y0 = math.floor(min(y for r in polys for _, y in r))
        x1 = math.ceil(max(x for r in polys for x, _ in r)) + 1
        y1 = math.ceil(max(y for r in polys for _, y in r)) + 1
        mask = Image.new("1", (x1 - x0, y1 - y0), 0)
        for ring in polys:  # even-odd, as in the SVG: a ring inside another is a hole
            layer = Image.new("1", mask.size, 0)
            ImageDraw.Draw(layer).polygon([(x - x0, y - y0) for x, y in ring], fill=1)
            mask = ImageChops.logical_xor(mask, layer)
        src = Image.new("RGB", mask.size, style.fill) if style.pattern == "none" \
            else tile(style, ended).crop((x0, y0, x1, y1))  # tiles line up across the map
        img.paste(src, (x0, y0), mask.convert("L"))

    draw = ImageDraw.Draw(img)
    for s in geo.shapes:
        style, ended = _style_of(classes(s.code))
        polys = [[(x * k, y * k) for x, y in ring] for ring in path_rings(s.d)]
        fill(polys, style, ended)
        for ring in polys:
            draw.line([*ring, ring[0]], fill="#333333", width=max(1, round(k * 0.5)))
    x, y, fw, fh = geo.inset
    draw.rectangle((x * k, y * k, (x + fw) * k, (y + fh) * k), outline="#767676",
                   width=max(1, round(k * 0.5)))
    font = ImageFont.truetype(str(FONT), max(10, round(12 * k)))
    top = round((h + 8) * k)
    for i, (cls, label) in enumerate(entries):
        style, ended = _style_of(cls)
        box = [(8 * k, top + i * row), (34 * k, top + i * row + 16 * k)]
        ring = [box[0], (box[1][0], box[0][1]), box[1], (box[0][0], box[1][1])]
        fill([ring], style, ended)
        draw.rectangle((box[0], box[1]), outline="#333333", width=max(1, round(k * 0.5)))
        draw.text((42 * k, top + i * row), label, fill="#1a1a1a", font=font)
    draw.text((8 * k, height - 24 * k), f"{_lang(ATTRIBUTION, lang)}: {geo.attribution}",
              fill="#1a1a1a", font=font)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=True)
    return out.getvalue()

