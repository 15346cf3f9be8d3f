"""The cartography's charts as plain geometry — positions, sizes, colours and labels, no markup — which the macros of
``templates/_charts.html`` draw as inline SVG: the category × pathway heatmap, horizontal bars, and the Sankey of
qualifications to lifecycle stages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

CHAR = 6.6
"""Width of one character of the charts' 11–12 px labels, generously."""
SIN55, COS55 = 0.82, 0.58
PALETTE = ("#1a73e8", "#e8710a", "#1e7d32", "#a142f4", "#d93025", "#12b5cb")


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class HeatmapCell:
    x: int
    y: int
    category: str
    pathway: str
    eligible: int
    obtained: int
    unexpected: int
    """Technologies that obtained the pathway without being derived eligible for it."""
    fill: str
    dark: bool
    """The count is written in white on a dark cell."""


@dataclass(frozen=True)
class HeatmapRow:
    label: Label
    cells: list[HeatmapCell]


@dataclass(frozen=True)
class Heatmap:
    width: int
    height: int
    cell: int
    columns: list[Label]
    rows: list[HeatmapRow]


def heatmap(records: Sequence[Mapping[str, object]]) -> Heatmap:
    """Category × pathway: cell colour and number by eligible technologies, a dot when some obtained the pathway
    (green when they are eligible, an orange ring when evalgraph does not derive them eligible). Labels are whole:
    the margins grow with the longest one."""
    categories = sorted({str(r["categoryLabel"]) for r in records})
    pathways = sorted({str(r["pathwayLabel"]) for r in records})
    cells = {(str(r["categoryLabel"]), str(r["pathwayLabel"])): r for r in records}
    peak = max([1, *(_int(r["eligible"]) for r in records)])
    longest_column = max([10, *(len(p) for p in pathways)])
    longest_row = max([10, *(len(c) for c in categories)])
    cell, left, top = 34, 20 + round(longest_row * CHAR), 20 + round(longest_column * CHAR * SIN55)
    columns = [Label(left + j * cell + cell / 2, top - 6, pathway) for j, pathway in enumerate(pathways)]
    rows = []
    for i, category in enumerate(categories):
        y = top + i * cell
        row = []
        for j, pathway in enumerate(pathways):
            record = cells.get((category, pathway), {})
            eligible, obtained = _int(record.get("eligible", 0)), _int(record.get("obtained", 0))
            unexpected = _int(record.get("obtainedNotEligible", 0))
            shade = 0.08 + 0.92 * eligible / peak if eligible else 0.0
            fill = f"rgba(26,115,232,{shade:.2f})" if eligible else "#f1f3f4"
            row.append(
                HeatmapCell(left + j * cell, y, category, pathway, eligible, obtained, unexpected, fill, shade > 0.5)
            )
        rows.append(HeatmapRow(Label(left - 8, y + cell / 2 + 4, category), row))
    overhang = round(longest_column * CHAR * COS55)
    width, height = left + cell * len(pathways) + max(60, overhang), top + cell * len(categories) + 20
    return Heatmap(width, height, cell, columns, rows)


@dataclass(frozen=True)
class Bar:
    y: int
    width: float
    label: str
    value: object


@dataclass(frozen=True)
class Bars:
    name: str
    width: int
    height: int
    left: int
    bars: list[Bar]


def bars(records: Sequence[Mapping[str, object]], value: str, label: str, maximum: float | None = None) -> Bars:
    """Horizontal bars of ``value`` by ``label`` (records whose value is not a number are left out)."""
    kept = [r for r in records if isinstance(r[value], int | float) and not isinstance(r[value], bool)]
    peak = maximum or max([1.0, *(_float(r[value]) for r in kept)])
    row, left, width = 24, 290, 700
    drawn = [
        Bar(i * row + 4, (width - left - 60) * _float(r[value]) / peak, str(r[label]), r[value])
        for i, r in enumerate(kept)
    ]
    return Bars(value, width, row * len(kept) + 10, left, drawn)


@dataclass(frozen=True)
class Flow:
    source: str
    target: str
    pairs: int
    start: float
    end: float
    thickness: float
    colour: str


@dataclass(frozen=True)
class Node:
    x: int
    top: float
    size: float
    label: Label
    anchor: str


@dataclass
class Sankey:
    width: int = 10
    height: int = 10
    x0: int = 0
    x1: int = 0
    node_width: int = 16
    flows: list[Flow] = field(default_factory=list)
    nodes: list[Node] = field(default_factory=list)

    @property
    def middle(self) -> float:
        return (self.x0 + self.node_width + self.x1) / 2


def sankey(flows: list[tuple[str, str, int]]) -> Sankey:
    """Two columns: from qualification (left) to the lifecycle stage of eligible pathways (right)."""
    if not flows:
        return Sankey()
    sources = list(dict.fromkeys(s for s, _, _ in sorted(flows)))
    targets = list(dict.fromkeys(t for _, t, _ in flows))
    left_margin = 16 + round(max(len(s) for s in sources) * CHAR)
    right_margin = 16 + 6 + round(max(len(t) for t in targets) * CHAR)
    width = left_margin + 400 + right_margin
    chart = Sankey(width, 420, left_margin, width - right_margin)
    gap = 12
    scale = (chart.height - gap * (max(len(sources), len(targets)) + 1)) / sum(n for _, _, n in flows)
    left, right = _stack(flows, sources, 0, scale, gap), _stack(flows, targets, 1, scale, gap)
    for source, target, n in flows:
        thickness = n * scale
        colour = PALETTE[sources.index(source) % len(PALETTE)]
        chart.flows.append(Flow(source, target, n, left[source][1], right[target][1], thickness, colour))
        left[source][1] += thickness
        right[target][1] += thickness
    for names, positions, x, anchor, dx in (
        (sources, left, chart.x0, "end", -6),
        (targets, right, chart.x1, "start", chart.node_width + 6),
    ):
        for name in names:
            top, size = positions[name][0], positions[name][1] - positions[name][0]
            chart.nodes.append(Node(x, top, size, Label(x + dx, top + size / 2 + 4, name), anchor))
    return chart


def _stack(
    flows: list[tuple[str, str, int]], names: list[str], index: int, scale: float, gap: int
) -> dict[str, list[float]]:
    """Each node's [top, running offset] in one column, stacked with ``gap`` between them."""
    positions: dict[str, list[float]] = {}
    y = float(gap)
    for name in names:
        positions[name] = [y, y]
        y += sum(f[2] for f in flows if f[index] == name) * scale + gap
    return positions


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float | str) else 0


def _float(value: object) -> float:
    return float(value) if isinstance(value, int | float | str) else 0.0
