"""Server-rendered SVG charts: no JavaScript, numbers beside every chart as a table.

Each chart has a ``<title>`` and ``<desc>`` (read by screen readers; the page's table holds
the same numbers), lines differ by dash pattern and marker as well as colour, and texts
are at least 12 px. The SVG is self-contained so it can be downloaded as a file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

W, H = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 20, 64
# colour-blind-safe (Okabe-Ito) colours, dark enough for 3:1 against white
COLOURS = ["#0072B2", "#D55E00", "#5b5b5b", "#009E73", "#CC79A7", "#8a6d00"]
DASHES = ["", "6 4", "2 3", "10 3 2 3", "4 2", "1 2"]
MARKERS = ["circle", "square", "diamond", "triangle", "circle", "square"]


@dataclass
class Line:
    name: str
    values: list[float | None]
    colour: int = 0


def _fmt(x: float) -> str:
    if abs(x) >= 100:
        return f"{x:,.0f}".replace(",", ".")
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",") if x else "0"


def _ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw), default=raw)
    start = math.floor(lo / step) * step
    return [start + i * step for i in range(int((hi - start) / step) + 2)
            if start + i * step <= hi + step * 0.5]


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return (f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y:.1f}L{x:.1f} {y + 5:.1f}'
                f'L{x - 5:.1f} {y:.1f}Z" fill="{colour}"/>')
    if kind == "triangle":
        return (f'<path d="M{x:.1f} {y - 5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} '
                f'{y + 4:.1f}Z" fill="{colour}"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def _frame(ident: str, title: str, desc: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" '
            f'role="img" aria-labelledby="{ident}-t {ident}-d" font-family="IBM Plex Sans, '
            f'Arial, sans-serif" font-size="13">'
            f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}'
            f'</desc><rect width="{W}" height="{H}" fill="#fff"/>' + "".join(body) + "</svg>")


def _axes(labels: list[str], lo: float, hi: float, y_label: str
          ) -> tuple[list[str], object, object]:
    ticks = _ticks(lo, hi)
    lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    pw, ph = W - LEFT - RIGHT, H - TOP - BOTTOM
    n = max(len(labels), 1)

    def x(i: float) -> float:
        return LEFT + (i + 0.5) * pw / n

    def y(v: float) -> float:
        return TOP + ph - (v - lo) / (hi - lo or 1) * ph

    out = [f'<line x1="{LEFT}" y1="{TOP + ph}" x2="{W - RIGHT}" y2="{TOP + ph}" stroke="#333"/>']
    for t in ticks:
        if lo - 1e-9 <= t <= hi + 1e-9:
            out.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
                       f'stroke="#d9d9d9"/><text x="{LEFT - 6}" y="{y(t) + 4:.1f}" '
                       f'text-anchor="end" fill="#333">{_fmt(t)}</text>')
    every = max(1, math.ceil(n / 12))
    for i, lab in enumerate(labels):
        if i % every == 0:
            out.append(f'<text x="{x(i):.1f}" y="{TOP + ph + 18}" text-anchor="middle" '
                       f'fill="#333">{escape(lab)}</text>')
    out.append(f'<text x="14" y="{TOP + ph / 2:.1f}" transform="rotate(-90 14 '
               f'{TOP + ph / 2:.1f})" text-anchor="middle" fill="#333">{escape(y_label)}</text>')
    return out, x, y


def line_chart(ident: str, title: str, desc: str, labels: list[str], lines: list[Line],
               y_label: str, start: float | None = None, start_label: str = "",
               shade_from: int | None = None, shade_label: str = "") -> str:
    vals = [v for ln in lines for v in ln.values if v is not None]
    if not vals:
        return _frame(ident, title, desc, [f'<text x="{W / 2}" y="{H / 2}" '
                                           'text-anchor="middle">–</text>'])
    pad = (max(vals) - min(vals)) * 0.08 or 0.5
    body, x, y = _axes(labels, min(vals) - pad, max(vals) + pad, y_label)
    ph = H - TOP - BOTTOM
    if shade_from is not None:  # periods the estimate leaves out (a series break)
        x0 = x(shade_from - 0.5)  # type: ignore[operator]
        body.insert(0, f'<rect x="{x0:.1f}" y="{TOP}" width="{W - RIGHT - x0:.1f}" '
                       f'height="{ph}" fill="#f0f0f0"/><text x="{x0 + 4:.1f}" y="{TOP + 14}" '
                       f'fill="#333">{escape(shade_label)}</text>')
    if start is not None:
        sx = x(start)  # type: ignore[operator]
        body.append(f'<line x1="{sx:.1f}" x2="{sx:.1f}" y1="{TOP}" y2="{TOP + ph}" '
                    f'stroke="#333" stroke-dasharray="3 3"/><text x="{sx + 4:.1f}" '
                    f'y="{TOP + 30}" fill="#333">{escape(start_label)}</text>')
    for k, ln in reversed(list(enumerate(lines))):  # the first line (the subject) on top
        c = COLOURS[ln.colour % len(COLOURS)]
        dash = DASHES[k % len(DASHES)]
        pts = [(x(i), y(v)) for i, v in enumerate(ln.values) if v is not None]  # type: ignore[operator]
        if len(pts) > 1:
            d = "M" + "L".join(f"{px:.1f} {py:.1f}" for px, py in pts)
            body.append(f'<path d="{d}" fill="none" stroke="{c}" stroke-width="2.5"'
                        + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        body += [_marker(MARKERS[k % len(MARKERS)], px, py, c) for px, py in pts]
    # legend below the axis labels
    lx = LEFT
    for k, ln in enumerate(lines):
        c = COLOURS[ln.colour % len(COLOURS)]
        dash = DASHES[k % len(DASHES)]
        ly = H - 18
        body.append(f'<line x1="{lx}" x2="{lx + 26}" y1="{ly}" y2="{ly}" stroke="{c}" '
                    f'stroke-width="2.5"' + (f' stroke-dasharray="{dash}"' if dash else "")
                    + "/>" + _marker(MARKERS[k % len(MARKERS)], lx + 13, ly, c)
                    + f'<text x="{lx + 32}" y="{ly + 4}" fill="#222">{escape(ln.name)}</text>')
        lx += 44 + 7 * len(ln.name)
    return _frame(ident, title, desc, body)


def interval_chart(ident: str, title: str, desc: str, labels: list[str],
                   points: list[tuple[float | None, float | None, float | None]],
                   y_label: str, reference: int | None = None) -> str:
    """Estimates with their 95 % intervals (the event study); a zero line."""
    vals = [v for p in points for v in p if v is not None] + [0.0]
    pad = (max(vals) - min(vals)) * 0.08 or 0.5
    body, x, y = _axes(labels, min(vals) - pad, max(vals) + pad, y_label)
    body.append(f'<line x1="{LEFT}" x2="{W - RIGHT}" y1="{y(0):.1f}" y2="{y(0):.1f}" '  # type: ignore[operator]
                'stroke="#333" stroke-width="1.5"/>')
    for i, (est, lo, hi) in enumerate(points):
        px = x(i)  # type: ignore[operator]
        if lo is not None and hi is not None:
            body.append(f'<line x1="{px:.1f}" x2="{px:.1f}" y1="{y(lo):.1f}" y2="{y(hi):.1f}" '  # type: ignore[operator]
                        f'stroke="{COLOURS[0]}" stroke-width="2.5"/>'
                        f'<line x1="{px - 6:.1f}" x2="{px + 6:.1f}" y1="{y(lo):.1f}" '  # type: ignore[operator]
                        f'y2="{y(lo):.1f}" stroke="{COLOURS[0]}" stroke-width="2"/>'  # type: ignore[operator]
                        f'<line x1="{px - 6:.1f}" x2="{px + 6:.1f}" y1="{y(hi):.1f}" '  # type: ignore[operator]
                        f'y2="{y(hi):.1f}" stroke="{COLOURS[0]}" stroke-width="2"/>')  # type: ignore[operator]
        if est is not None:
            if i == reference:
                body.append(f'<circle cx="{px:.1f}" cy="{y(est):.1f}" r="5" fill="#fff" '  # type: ignore[operator]
                            f'stroke="{COLOURS[2]}" stroke-width="2"/>')
            else:
                body.append(_marker("square", px, y(est), COLOURS[1]))  # type: ignore[operator]
    return _frame(ident, title, desc, body)
