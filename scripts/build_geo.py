"""Build the map geometry the portal ships: ``src/frisat/data/geo/kommuner.json``.

Reads ``../shared/reference/geo/kommuner.geojson`` (the 98 municipalities, WGS 84, DAGI
1:500,000 boundaries already simplified to about 300 m; see its README) and writes each
municipality as SVG path data, already projected and simplified, so the portal draws the
map without reading the shared folder or doing any geometry at run time.

Projection: equirectangular around Denmark's centre — x = (lon - LON0) · cos(56°) · K,
y = (LAT_TOP - lat) · K with K map units per degree of latitude (1 unit ≈ 0.5 km) — the
east-west distances are right along 56° N, and the distortion elsewhere in Denmark (54.6°
to 57.8° N) stays within ±4 %. Good for an overview, not for measuring.

Simplification keeps neighbours together: a vertex where the set of municipalities that
share it changes (a junction) is fixed, each stretch of boundary between junctions is
simplified once (Douglas-Peucker, tolerance TOLERANCE map units) in a canonical direction,
and every municipality that shares the stretch gets the same points, so no gaps or
overlaps open up between neighbours. Coordinates are rounded to whole units, rings drawn
smaller than MIN_RING units across are dropped (islets), and paths use relative moves.

Bornholm (400) lies 140 km east of Zealand; drawn in place it would leave most of the map
empty, so it is moved, at the same scale, into a framed inset in the north-east corner
(open sea, the Kattegat), as Danish maps commonly do.

Usage::

    python scripts/build_geo.py [--geojson PATH] [--check]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "frisat" / "data" / "geo" / "kommuner.json"
GEOJSON = ROOT.parent / "shared" / "reference" / "geo" / "kommuner.geojson"

K = 200.0  # map units per degree of latitude
LAT0 = 56.0  # the parallel where east-west distances are true
TOLERANCE = 0.7  # Douglas-Peucker tolerance, map units
MIN_RING = 2.5  # rings smaller than this across (map units) are left out
MARGIN = 4
BORNHOLM = 400
INSET_PAD = 6  # between Bornholm and its frame

SOURCE = (
    "DAGI kommunegrænser fra FOT-datasættet, skala 1:500.000, 2014-02-13, Geodatastyrelsen og "
    "Danske Kommuner (frie geografiske data), via github.com/magnuslarsen/"
    "geoJSON-Danish-Municipalities (fork af Neogeografen/dagi); forenklet (ca. 300 m) og "
    "samlet pr. kommune i ../shared/reference/geo/kommuner.geojson"
)
LICENCE = (
    "Frie geografiske data fra Geodatastyrelsen og Danske Kommuner; må bruges frit mod "
    "kildeangivelse, som skal vises ved kortet: \"Geodatastyrelsen & Danske Kommuner\""
)
ATTRIBUTION = "Geodatastyrelsen & Danske Kommuner"

Point = tuple[float, float]


def rings_of(feature: dict) -> list[list[Point]]:
    geom = feature["geometry"]
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    out = []
    for poly in polys:
        for ring in poly:
            pts = [(float(x), float(y)) for x, y in ring]
            if pts[0] == pts[-1]:
                pts = pts[:-1]
            out.append(pts)
    return out


def douglas_peucker(pts: list[Point], tol: float) -> list[Point]:
    """Keep the first and last point and every point farther than ``tol`` from the chord."""
    if len(pts) < 3:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        (ax, ay), (bx, by) = pts[a], pts[b]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        best, at = -1.0, -1
        for i in range(a + 1, b):
            px, py = pts[i]
            d = (abs(dy * (px - ax) - dx * (py - ay)) / norm if norm
                 else math.hypot(px - ax, py - ay))
            if d > best:
                best, at = d, i
        if at > 0 and best > tol:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(pts, keep, strict=True) if k]


def simplify_arc(arc: list[Point], tol: float) -> list[Point]:
    """Simplify an open stretch the same way from either end (shared by two neighbours)."""
    if arc[-1] < arc[0]:
        return douglas_peucker(arc[::-1], tol)[::-1]
    return douglas_peucker(arc, tol)


def project(lon: float, lat: float, west: float, top: float) -> Point:
    return ((lon - west) * math.cos(math.radians(LAT0)) * K, (top - lat) * K)


def simplify_all(features: list[dict]) -> tuple[dict[int, list[list[Point]]], float, float]:
    """Projected, simplified rings per municipality code, neighbours kept together; and the
    longitude and latitude of the map's origin (west edge of the mainland, north edge)."""
    all_pts = [p for f in features for r in rings_of(f) for p in r]
    mainland = [p for f in features if f["properties"]["code"] != BORNHOLM
                for r in rings_of(f) for p in r]
    west = min(x for x, _ in mainland)
    top = max(y for _, y in all_pts)
    owners: dict[Point, set[int]] = {}
    for f in features:
        for r in rings_of(f):
            for p in r:
                owners.setdefault(p, set()).add(f["properties"]["code"])
    out: dict[int, list[list[Point]]] = {}
    for f in features:
        code = f["properties"]["code"]
        rings = []
        for ring in rings_of(f):
            proj = [project(x, y, west, top) for x, y in ring]
            n = len(ring)
            fixed = [i for i in range(n) if owners[ring[i]] != owners[ring[i - 1]]
                     or owners[ring[i]] != owners[ring[(i + 1) % n]]]
            if len(fixed) < 2:  # an island or an enclave: anchor at two points found the
                # same way from either direction (the westernmost one, the one farthest away)
                a = fixed[0] if fixed else min(range(n), key=lambda i: ring[i])
                b = max(range(n), key=lambda i: (math.dist(ring[i], ring[a]), ring[i]))
                fixed = sorted({a, b})
            simple: list[Point] = []
            for j, start in enumerate(fixed):
                end = fixed[(j + 1) % len(fixed)]
                idx = list(range(start, end + 1)) if end > start else \
                    list(range(start, n)) + list(range(0, end + 1))
                arc = simplify_arc([proj[i] for i in idx], TOLERANCE)
                simple += arc[:-1]
            rings.append(simple)
        out[code] = rings
    return out, west, top


def _rounded(ring: list[Point]) -> list[tuple[int, int]]:
    pts: list[tuple[int, int]] = []
    for x, y in ring:
        q = (round(x), round(y))
        if not pts or pts[-1] != q:
            pts.append(q)
    while len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    return pts


def _numbers(values: list[int]) -> str:
    """Numbers separated by a space, or by nothing before a minus sign."""
    out = ""
    for i, v in enumerate(values):
        out += str(v) if i == 0 or v < 0 else f" {v}"
    return out


def path_data(rings: list[list[tuple[int, int]]]) -> str:
    parts = []
    for ring in rings:
        (x0, y0), rest = ring[0], ring[1:]
        deltas: list[int] = []
        px, py = x0, y0
        for x, y in rest:
            deltas += [x - px, y - py]
            px, py = x, y
        parts.append(f"M{_numbers([x0, y0])}l{_numbers(deltas)}z")
    return "".join(parts)


def build(geojson: Path) -> dict:
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    simplified, west, top = simplify_all(features)
    rings: dict[int, list[list[tuple[int, int]]]] = {}
    for code, rs in simplified.items():
        kept = []
        for r in rs:
            q = _rounded(r)
            xs, ys = [p[0] for p in q], [p[1] for p in q]
            if len(q) >= 3 and max(max(xs) - min(xs), max(ys) - min(ys)) >= MIN_RING:
                kept.append(q)
        if not kept:  # never lose a municipality: keep its largest ring
            kept = [max((_rounded(r) for r in rs), key=len)]
        rings[code] = kept
    main = [p for c, rs in rings.items() if c != BORNHOLM for r in rs for p in r]
    min_x, min_y = min(x for x, _ in main), min(y for _, y in main)
    max_x = max(x for x, _ in main)
    # Bornholm into a frame in the north-east corner, at the same scale
    b = [p for r in rings[BORNHOLM] for p in r]
    bw = max(x for x, _ in b) - min(x for x, _ in b)
    bh = max(y for _, y in b) - min(y for _, y in b)
    frame = (max_x - bw - 2 * INSET_PAD, min_y, bw + 2 * INSET_PAD, bh + 2 * INSET_PAD)
    dx = frame[0] + INSET_PAD - min(x for x, _ in b)
    dy = frame[1] + INSET_PAD - min(y for _, y in b)
    rings[BORNHOLM] = [[(x + dx, y + dy) for x, y in r] for r in rings[BORNHOLM]]
    # shift everything so the drawing starts at MARGIN
    sx, sy = MARGIN - min_x, MARGIN - min_y
    width = max_x - min_x + 2 * MARGIN
    height = max(y for rs in rings.values() for r in rs for _, y in r) - min_y + 2 * MARGIN
    names = {f["properties"]["code"]: f["properties"]["name"] for f in features}
    shapes = []
    for code in sorted(rings):
        moved = [[(x + sx, y + sy) for x, y in r] for r in rings[code]]
        shapes.append({"code": code, "name": names[code], "d": path_data(moved)})
    return {
        "format": "frisat-map/1",
        "source": SOURCE,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "projection": (f"ækvirektangulær om {LAT0:g}° N: x = (lon - {west:g}) · cos({LAT0:g}°)"
                       f" · {K:g}, y = ({top:g} - lat) · {K:g}, afrundet til hele enheder og "
                       f"forskudt {sx:g}, {sy:g}; Bornholm ({BORNHOLM}) flyttet ind i rammen "
                       "'inset' i samme målestok"),
        "view_box": [0, 0, width, height],
        "inset": {"code": BORNHOLM, "frame": [frame[0] + sx, frame[1] + sy, frame[2], frame[3]]},
        "municipalities": shapes,
    }


def dumps(doc: dict) -> str:
    head = {k: v for k, v in doc.items() if k != "municipalities"}
    lines = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    rows = ",\n".join("  " + json.dumps(m, ensure_ascii=False, separators=(",", ":"))
                      for m in doc["municipalities"])
    return f'{lines},\n "municipalities": [\n{rows}\n ]\n}}\n'


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--geojson", type=Path, default=GEOJSON)
    ap.add_argument("--check", action="store_true", help="fail if the shipped file differs")
    args = ap.parse_args()
    text = dumps(build(args.geojson))
    if args.check:
        if OUT.read_text(encoding="utf-8") != text:
            sys.exit(f"{OUT} differs from what {args.geojson} gives; re-run the script")
        print("up to date")
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    n = sum(m["d"].count("M") for m in json.loads(text)["municipalities"])
    print(f"{OUT.relative_to(ROOT)}: 98 municipalities, {n} rings, {len(text)} bytes")


if __name__ == "__main__":
    main()
