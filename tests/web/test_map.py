"""The map of the 98 municipalities (frisat.web.map): pure, no database."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from frisat.web import map as m
from shared_files import require

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
BASE = ROOT / "src" / "frisat" / "data" / "reference" / "00-base.yaml"
GEOJSON = ROOT.parent / "shared" / "reference" / "geo" / "kommuner.geojson"
FREED = {217: ["dagtilbud"], 840: ["dagtilbud"], 561: ["folkeskole"], 316: ["folkeskole"],
         791: ["aeldre"], 410: ["aeldre"], 482: ["aeldre"]}


def municipalities() -> dict[int, str]:
    doc = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    return {x["code"]: x["name"] for x in doc["municipalities"]}


def status(code: int) -> str:
    return "frisat på " + ", ".join(FREED[code]) if code in FREED else "ikke frisat"


def classes(code: int) -> str:
    return m.map_classes(FREED.get(code, []), ended=code == 840)


def national_map(**kw: object) -> str:
    return m.render_map(lambda c: f"/kommune/{c}", status, classes,
                        title="De 98 kommuner", description="Frisatte kommuner pr. område",
                        **kw)  # type: ignore[arg-type]


def test_every_municipality_once_linking_where_the_callback_says() -> None:
    root = ET.fromstring(national_map())
    links = root.findall(f"{SVG}a")
    codes = [int(a.get("data-code", "")) for a in links]
    assert sorted(codes) == sorted(municipalities()) and len(codes) == 98
    for a in links:
        assert a.get("href") == f"/kommune/{a.get('data-code')}"
        assert len(a.findall(f"{SVG}path")) == 1


def test_a_municipality_without_address_is_not_a_link() -> None:
    svg = m.render_map(lambda c: None if c == 411 or c == 101 else f"/k/{c}", status, classes,
                       title="t", description="d")
    root = ET.fromstring(svg)
    assert len(root.findall(f"{SVG}a")) == 97
    plain = root.findall(f"{SVG}g")
    assert [g.get("data-code") for g in plain] == ["101"]


def test_titles_name_the_municipality_and_its_status() -> None:
    names = municipalities()
    root = ET.fromstring(national_map())
    for a in root.findall(f"{SVG}a"):
        code = int(a.get("data-code", ""))
        title = a.find(f"{SVG}title")
        assert title is not None and title.text == f"{names[code]}: {status(code)}"
    assert root.get("role") == "group"
    title_id, desc_id = root.get("aria-labelledby"), root.get("aria-describedby")
    assert root.find(f"{SVG}title").get("id") == title_id  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").get("id") == desc_id  # type: ignore[union-attr]


def test_classes_come_from_the_callback_and_text_is_escaped() -> None:
    svg = m.render_map(lambda c: f"/k/{c}?a=1&b=2", lambda c: '<script>"x"</script>',
                       lambda c: "map-aeldre x\"y" if c == 791 else "map-none",
                       title="A & B", description="<d>")
    root = ET.fromstring(svg)  # still well-formed
    viborg = next(a for a in root.findall(f"{SVG}a") if a.get("data-code") == "791")
    assert viborg.get("class") == 'map-aeldre x"y'
    assert viborg.get("href") == "/k/791?a=1&b=2"
    assert "<script>" not in svg and root.find(f"{SVG}title").text == "A & B"  # type: ignore[union-attr]


def test_size_budget_and_deterministic() -> None:
    svg = national_map()
    assert len(svg.encode("utf-8")) < 80_000
    assert national_map() == svg
    assert "<defs>" not in national_map(defs=False)


def test_map_classes() -> None:
    assert m.map_classes([]) == "map-none"
    assert m.map_classes([], ended=True) == "map-none"
    assert m.map_classes(["folkeskole"]) == "map-folkeskole"
    assert m.map_classes(["aeldre", "folkeskole"]) == "map-multi"
    assert m.map_classes(["dagtilbud"], ended=True) == "map-dagtilbud map-ended"
    assert m.map_classes(["beskaeftigelse"]) == "map-multi"  # an area without a colour yet


def test_the_css_colours_and_patterns_are_the_maps() -> None:
    css = m.CSS.read_text(encoding="utf-8")
    defs = m.pattern_defs()
    for key, style in m.STYLES.items():
        rule = re.search(rf"\.map-{key} > path, rect\.map-{key} \{{ fill: ([^;]+); \}}", css)
        assert rule is not None, key
        if style.pattern == "none":
            assert rule.group(1) == style.fill
            continue
        assert rule.group(1) == f"url(#frisat-map-{key}) {style.fill}"
        for suffix in ("", "-ended"):
            assert f'id="frisat-map-{key}{suffix}"' in defs
            assert f"url(#frisat-map-{key}{suffix})" in css


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_pattern_marks_stand_out_from_their_ground() -> None:
    for key, style in m.STYLES.items():
        if style.pattern != "none":
            assert _contrast(style.ink, style.fill) >= 4.5, key
            assert _contrast(m.ENDED_INK[key], "#ffffff") >= 4.5, key
    assert len({s.pattern for s in m.STYLES.values()}) == len(m.STYLES)  # one pattern each


def test_neighbours_share_their_boundary_and_bornholm_sits_in_its_frame() -> None:
    geo = m.geometry()
    shapes = {s.code: s for s in geo.shapes}
    # Frederiksberg lies inside København's outer ring, in the hole of København's path
    fred = m.path_rings(shapes[147].d)
    kbh = m.path_rings(shapes[101].d)
    assert len(fred) == 1 and len(kbh) >= 2
    x, y, w, h = geo.inset
    for ring in m.path_rings(shapes[400].d):
        assert all(x < px < x + w and y < py < y + h for px, py in ring)
    others = [p for s in geo.shapes if s.code != 400 for r in m.path_rings(s.d) for p in r]
    assert not any(x <= px <= x + w and y <= py <= y + h for px, py in others)
    assert {s.code: s.name for s in geo.shapes} == municipalities()


def test_the_downloadable_file_is_a_standalone_picture() -> None:
    text = m.render_svg_file(status, classes, title="De 98 kommuner", description="Kort",
                             lang="en")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.get("role") == "img" and root.findall(f"{SVG}a") == []
    assert len(root.findall(f"{SVG}g")) == 98
    style = root.find(f"{SVG}style")
    assert style is not None and ".map-dagtilbud > path" in (style.text or "")
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Map data: Geodatastyrelsen & Danske Kommuner" in texts
    assert "Freed earlier – the experiment has ended" in texts


def test_legend_and_attribution() -> None:
    html = m.legend_html(lang="da")
    root = ET.fromstring(html)
    items = root.findall("li")
    assert [i.find("svg").get("aria-hidden") for i in items] == ["true"] * len(items)  # type: ignore[union-attr]
    assert [i.find("svg/rect").get("class") for i in items] == [  # type: ignore[union-attr]
        c for c, _ in m.default_legend("da")]
    assert "Ikke frisat" in items[-1].find("svg").tail  # type: ignore[operator, union-attr]
    assert m.attribution_html("en") == (
        '<p class="frisat-map-attribution">Map data: Geodatastyrelsen &amp; Danske Kommuner</p>')


def test_png_draws_each_municipality_where_it_is() -> None:
    pil = pytest.importorskip("PIL.Image")
    blue = (0x56, 0xB4, 0xE9)
    png = m.render_png(lambda c: "map-folkeskole" if c == 217 else "map-none", width=536,
                       legend=[])
    img = pil.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size[0] == 536
    px = img.convert("RGB")
    hits = [(x, y) for y in range(img.size[1]) for x in range(img.size[0])
            if px.getpixel((x, y)) == blue]
    assert hits
    ring = [p for r in m.path_rings(next(s.d for s in m.geometry().shapes if s.code == 217))
            for p in r]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    assert all(min(xs) - 1 <= x <= max(xs) + 1 and min(ys) - 1 <= y <= max(ys) + 1
               for x, y in hits)
    none = m.render_png(lambda c: "map-none", width=536, legend=[])
    img2 = pil.open(io.BytesIO(none)).convert("RGB")
    assert blue not in {c for _, c in img2.getcolors(1 << 20)}  # type: ignore[union-attr]
    assert m.render_png(classes, width=300) == m.render_png(classes, width=300)


def _build_geo():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_geo", ROOT / "scripts" / "build_geo.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def test_simplification_keeps_a_shared_boundary_shared() -> None:
    bg = _build_geo()
    # two made-up neighbours sharing a wiggly boundary at longitude 10.1, listed in opposite
    # directions, as neighbours' rings are
    edge = [(10.1 + (0.02 if i % 4 == 0 else 0.001 * (i % 2)), 56.0 + i * 0.01)
            for i in range(21)]
    west = [(10.0, 56.2), (10.0, 56.0), *edge]
    east = [*edge[::-1], (10.2, 56.0), (10.2, 56.2)]
    features = [{"properties": {"code": c}, "geometry": {"type": "Polygon",
                                                           "coordinates": [r + r[:1]]}}
                for c, r in ((1, west), (2, east))]
    rings, _, _ = bg.simplify_all(features)
    ends = {bg.project(*edge[0], 10.0, 56.2), bg.project(*edge[-1], 10.0, 56.2)}
    a = {p for p in rings[1][0]} - {bg.project(10.0, 56.2, 10.0, 56.2),
                                    bg.project(10.0, 56.0, 10.0, 56.2)}
    b = {p for p in rings[2][0]} - {bg.project(10.2, 56.0, 10.0, 56.2),
                                    bg.project(10.2, 56.2, 10.0, 56.2)}
    assert a == b and 2 < len(a) < len(edge) and ends <= a


def test_the_shipped_geometry_is_what_the_script_builds() -> None:
    require(GEOJSON)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_geo.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
