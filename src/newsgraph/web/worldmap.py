"""An offline world map: Natural Earth country outlines (world-atlas TopoJSON, vendored) drawn
as one SVG path in an equirectangular projection, built once per process."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

WIDTH, HEIGHT = 960, 480


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon + 180) / 360 * WIDTH, (90 - lat) / 180 * HEIGHT


@cache
def countries_path() -> str:
    """The SVG path data of every country outline."""
    topo = json.loads(resources.files("newsgraph.web").joinpath("static/countries-110m.json").read_text())
    scale, translate = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:  # delta-encoded, quantized
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(project(x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indexes: list[int]) -> str:
        points: list[tuple[float, float]] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
            points.extend(pts[1:] if points else pts)
        if len(points) < 3:
            return ""
        # rings crossing the antimeridian are drawn by the projection as long horizontal lines: split them
        out, previous = [], None
        for x, y in points:
            cmd = "M" if previous is None or abs(x - previous) > WIDTH / 2 else "L"
            out.append(f"{cmd}{x:.1f} {y:.1f}")
            previous = x
        return "".join(out) + "Z"

    paths = []
    for geom in topo["objects"]["countries"]["geometries"]:
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for polygon in polygons:
            for r in polygon:
                paths.append(ring(r))
    return "".join(paths)


def markers(places: list[dict], max_radius: float = 14.0, uncertain_below: float = 0.0) -> list[dict]:
    """Places with coordinates as circles sized by mentions (area proportional); ``uncertain`` when
    resolved with a confidence under ``uncertain_below``."""
    located = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    if not located:
        return []
    top = max(p["mentions"] for p in located) or 1
    out = []
    for p in located:
        x, y = project(p["lon"], p["lat"])
        r = max(2.5, max_radius * (p["mentions"] / top) ** 0.5)
        uncertain = p.get("confidence") is not None and p["confidence"] < uncertain_below
        out.append({**p, "x": round(x, 1), "y": round(y, 1), "r": round(r, 1), "uncertain": uncertain})
    return sorted(out, key=lambda m: -m["r"])  # small circles on top of large ones
