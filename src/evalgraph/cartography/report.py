"""The cartography report: the named queries of the cartography, run on the store, as an offline HTML page with
charts (heatmap of category × pathway, evidence profile, lifecycle Sankey), an XLSX workbook, CSV files, and a
GraphML network of technologies, pathways and evaluators.

The report reads the inferred graph (eligibility, gap), so :func:`build` refreshes it first with the
qualification engine. Every chart is inline SVG drawn here: the page fetches nothing.
"""

from __future__ import annotations

import csv
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from evalgraph import pages
from evalgraph.qualification import engine as qualification
from evalgraph.store import queries
from evalgraph.store.oxigraph import INFERRED_GRAPH, OxigraphStore
from evalgraph.vocab import compact


@dataclass
class Table:
    """One named query's result, as plain values."""

    name: str
    title: str
    description: str
    columns: list[str]
    rows: list[list[object]]

    def column(self, name: str) -> list[object]:
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def records(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass
class Cartography:
    lang: str
    tables: dict[str, Table]
    qualified: int
    generated: str
    flows: list[tuple[str, str, int]] = field(default_factory=list)


def _plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> object:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value.rsplit("#", 1)[-1]
        if datatype == "integer":
            return int(term.value)
        if datatype in ("decimal", "double", "float"):
            return round(float(term.value), 3)
        if datatype == "boolean":
            return term.value == "true"
        return term.value
    return str(term.value) if not isinstance(term, ox.Triple) else str(term)


def refresh_inferred(store: OxigraphStore, progress: Callable[[int, int], None] | None = None) -> int:
    """Qualify every technology and replace the inferred graph; returns the number of technologies."""
    model = qualification.DecisionModel(store)
    techs = qualification.technologies(store)
    triples: list[ox.Triple] = []
    all_facts = qualification.read_all_facts(store)
    for index, (iri, _labels) in enumerate(techs, 1):
        facts = all_facts.get(iri, qualification.Facts(iri))
        triples.extend(qualification.inferred_triples(qualification.qualify(model, facts)))
        if progress:
            progress(index, len(techs))
    store.write_graph(triples, INFERRED_GRAPH, source="evalgraph qualify --all")
    return len(techs)


def inferred_is_current(store: OxigraphStore) -> bool:
    """True when the inferred graph was written after every other graph with a provenance record."""
    infos = {info.iri: info for info in store.graphs()}
    inferred = infos.get(INFERRED_GRAPH)
    if inferred is None or inferred.loaded_at is None:
        return False
    others = [i.loaded_at for iri, i in infos.items() if iri != INFERRED_GRAPH and i.loaded_at]
    return all(inferred.loaded_at > other for other in others)


def table_names(override: Path | None = None) -> list[str]:
    """The cartography's tables: the named queries whose ``#+ report: cartography N`` header puts them in it."""
    return [q.name for q in queries.report_sections("cartography", override)]


def build(
    store: OxigraphStore,
    lang: str,
    override: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    refresh: bool = True,
) -> Cartography:
    """Refresh the inferred graph (unless ``refresh`` is False: the server keeps it current itself), then run
    the cartography's named queries in ``lang``."""
    qualified = refresh_inferred(store, progress) if refresh else len(qualification.technologies(store))
    tables: dict[str, Table] = {}
    for named in queries.report_sections("cartography", override):
        name = named.name
        result = store.query(named.text, queries.bind(named, {"lang": lang}))
        keep = [i for i, v in enumerate(result.variables) if v not in ("lang", "since")]
        tables[name] = Table(
            name,
            named.title(lang),
            named.description,
            [result.variables[i] for i in keep],
            [[_plain(row[i]) for i in keep] for row in result.rows],
        )
    flows = _lifecycle_flows(store, lang, override)
    return Cartography(lang, tables, qualified, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), flows)


def _lifecycle_flows(store: OxigraphStore, lang: str, override: Path | None = None) -> list[tuple[str, str, int]]:
    """(qualification, lifecycle stage, number of technology × eligible pathway pairs) for the Sankey view."""
    named = queries.load("lifecycle-flows", override)
    result = store.query(named.text, queries.bind(named, {"lang": lang}))
    undetermined = "qualification indéterminée" if lang == "fr" else "qualification undetermined"
    column = {v: i for i, v in enumerate(result.variables)}
    return [
        (
            str(_plain(row[column["qualification"]])) or undetermined,
            str(_plain(row[column["stage"]])),
            int(str(_plain(row[column["pairs"]]))),
        )
        for row in result.rows
    ]


# ------------------------------------------------------------------------------------------------------- charts


def heatmap_svg(table: Table, lang: str) -> str:
    """Category × pathway heatmap: cell colour by eligible technologies, a dot when some obtained the pathway."""
    categories = sorted({str(r["categoryLabel"]) for r in table.records()})
    pathways = sorted({str(r["pathwayLabel"]) for r in table.records()})
    cells = {(str(r["categoryLabel"]), str(r["pathwayLabel"])): r for r in table.records()}
    peak = max([1, *(int(r["eligible"]) for r in table.records())])  # type: ignore[call-overload]
    cell, left, top = 34, 290, 230
    width, height = left + cell * len(pathways) + 230, top + cell * len(categories) + 20
    parts = [
        f'<svg class="chart heatmap" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="heatmap">'
    ]
    for j, pathway in enumerate(pathways):
        x = left + j * cell + cell / 2
        parts.append(
            f'<text class="col" transform="translate({x},{top - 6}) rotate(-55)" font-size="11">'
            f"{html.escape(pathway[:42])}</text>"
        )
    for i, category in enumerate(categories):
        y = top + i * cell
        parts.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 4}" text-anchor="end" font-size="12">'
            f"{html.escape(category)}</text>"
        )
        for j, pathway in enumerate(pathways):
            record = cells.get((category, pathway))
            eligible = int(record["eligible"]) if record else 0  # type: ignore[call-overload]
            obtained = int(record["obtained"]) if record else 0  # type: ignore[call-overload]
            shade = 0.08 + 0.92 * eligible / peak if eligible else 0.0
            fill = f"rgba(26,115,232,{shade:.2f})" if eligible else "#f1f3f4"
            title = (
                f"{category} × {pathway}: {eligible} eligible, {obtained} obtained"
                if lang == "en"
                else f"{category} × {pathway} : {eligible} éligible(s), {obtained} obtenue(s)"
            )
            parts.append(
                f'<rect class="cell" x="{left + j * cell}" y="{y}" width="{cell - 2}" height="{cell - 2}" '
                f'fill="{fill}"><title>{html.escape(title)}</title></rect>'
            )
            if eligible:
                parts.append(
                    f'<text x="{left + j * cell + cell / 2 - 1}" y="{y + cell / 2 + 4}" text-anchor="middle" '
                    f'font-size="11" fill="{"#fff" if shade > 0.5 else "#202124"}">{eligible}</text>'
                )
            if obtained:
                parts.append(f'<circle cx="{left + j * cell + cell - 8}" cy="{y + 7}" r="4" fill="#1e7d32"/>')
    parts.append("</svg>")
    return "".join(parts)


def bars_svg(table: Table, value: str, label: str, maximum: float | None = None) -> str:
    """Horizontal bars of ``value`` by ``label``."""
    records = [r for r in table.records() if isinstance(r[value], int | float) and not isinstance(r[value], bool)]
    peak = maximum or max([1.0, *(float(r[value]) for r in records)])  # type: ignore[arg-type]
    row, left, width = 24, 290, 700
    height = row * len(records) + 10
    parts = [
        f'<svg class="chart bars" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(value)}">'
    ]
    for i, record in enumerate(records):
        y = i * row + 4
        w = (width - left - 60) * float(record[value]) / peak  # type: ignore[arg-type]
        parts.append(
            f'<text x="{left - 8}" y="{y + 14}" text-anchor="end" font-size="12">'
            f"{html.escape(str(record[label]))}</text>"
        )
        parts.append(f'<rect class="bar" x="{left}" y="{y}" width="{w:.1f}" height="18" fill="#1a73e8"/>')
        parts.append(f'<text x="{left + w + 5:.1f}" y="{y + 14}" font-size="12">{record[value]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def sankey_svg(flows: list[tuple[str, str, int]]) -> str:
    """A two-column Sankey: from qualification (left) to the lifecycle stage of eligible pathways (right)."""
    if not flows:
        return '<svg class="chart sankey" xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
    sources = list(dict.fromkeys(s for s, _, _ in sorted(flows)))
    targets = list(dict.fromkeys(t for _, t, _ in flows))
    total = sum(n for _, _, n in flows)
    height, width, gap, node_w = 420, 900, 12, 16
    scale = (height - gap * (max(len(sources), len(targets)) + 1)) / total

    def layout(names: list[str], index: int) -> dict[str, list[float]]:
        positions: dict[str, list[float]] = {}
        y = float(gap)
        for name in names:
            size = sum(n for f in flows if f[index] == name for n in [f[2]]) * scale
            positions[name] = [y, y]  # top, running offset
            y += size + gap
        return positions

    left, right = layout(sources, 0), layout(targets, 1)
    x0, x1 = 250, width - 260
    parts = [
        f'<svg class="chart sankey" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="lifecycle">'
    ]
    palette = ["#1a73e8", "#e8710a", "#1e7d32", "#a142f4", "#d93025", "#12b5cb"]
    for source, target, n in flows:
        thickness = n * scale
        ys, yt = left[source][1], right[target][1]
        left[source][1] += thickness
        right[target][1] += thickness
        colour = palette[sources.index(source) % len(palette)]
        mid = (x0 + node_w + x1) / 2
        parts.append(
            f'<path class="flow" d="M{x0 + node_w},{ys:.1f} C{mid},{ys:.1f} {mid},{yt:.1f} {x1},{yt:.1f} '
            f"L{x1},{yt + thickness:.1f} C{mid},{yt + thickness:.1f} {mid},{ys + thickness:.1f} "
            f'{x0 + node_w},{ys + thickness:.1f} Z" fill="{colour}" fill-opacity="0.35">'
            f"<title>{html.escape(source)} → {html.escape(target)}: {n}</title></path>"
        )
    for names, positions, x, anchor, dx in ((sources, left, x0, "end", -6), (targets, right, x1, "start", node_w + 6)):
        for name in names:
            top = positions[name][0]
            size = positions[name][1] - top
            parts.append(
                f'<rect class="node" x="{x}" y="{top:.1f}" width="{node_w}" height="{max(size, 1):.1f}" '
                f'fill="#5f6368"/>'
            )
            parts.append(
                f'<text x="{x + dx}" y="{top + size / 2 + 4:.1f}" text-anchor="{anchor}" font-size="12">'
                f"{html.escape(name)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


# ------------------------------------------------------------------------------------------------------ outputs


def write_html(report: Cartography, output: Path, version: str) -> None:
    tables = report.tables
    page = pages.render(
        "cartography.html",
        report=report,
        fr=report.lang == "fr",
        lang=report.lang,
        version=version,
        tables=tables,
        heatmap=heatmap_svg(tables["category-pathway-matrix"], report.lang),
        evidence=bars_svg(tables["evidence-profile"], "studies", "categoryLabel"),
        sankey=sankey_svg(report.flows),
        compact=compact,
    )
    output.write_text(page, encoding="utf-8")


def write_xlsx(report: Cartography, output: Path) -> None:
    """One sheet per table, bold frozen header row, auto-filter, readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in report.tables.values():
        sheet = workbook.create_sheet(table.name[:31])
        sheet.append(table.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        last = get_column_letter(max(1, len(table.columns)))
        sheet.auto_filter.ref = f"A1:{last}{max(1, len(table.rows) + 1)}"
        for index, column in enumerate(table.columns, 1):
            longest = max([len(str(column)), *(len(str(r[index - 1])) for r in table.rows[:200])])
            sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
    workbook.save(output)


def write_csv(report: Cartography, output: Path) -> list[Path]:
    """The cartography table to ``output``, every other table next to it as ``<stem>-<table>.csv``."""
    written = []
    for table in report.tables.values():
        path = output if table.name == "cartography" else output.with_name(f"{output.stem}-{table.name}.csv")
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.columns)
            writer.writerows(table.rows)
        written.append(path)
    return written


def network(store: OxigraphStore, lang: str) -> nx.MultiDiGraph:
    """Technologies, pathways and evaluators: technology → pathway (eligible / obtained), pathway → evaluator."""
    graph = nx.MultiDiGraph()
    named = queries.load("technology-network")
    result = store.query(named.text, queries.bind(named, {"lang": lang}))
    seen: set[tuple[str, str, str]] = set()
    for _lang, tech, tech_label, pathway, pathway_label, relation, evaluator, evaluator_label in result.rows:
        t, p = str(_plain(tech)), str(_plain(pathway))
        graph.add_node(t, label=str(_plain(tech_label)), kind="technology")
        graph.add_node(p, label=str(_plain(pathway_label)), kind="pathway")
        if (t, p, str(_plain(relation))) not in seen:
            seen.add((t, p, str(_plain(relation))))
            graph.add_edge(t, p, relation=str(_plain(relation)))
        if evaluator is not None:
            e = str(_plain(evaluator))
            graph.add_node(e, label=str(_plain(evaluator_label)), kind="evaluator")
            if (p, e, "evaluated by") not in seen:
                seen.add((p, e, "evaluated by"))
                graph.add_edge(p, e, relation="evaluated by")
    return graph


def write_graphml(store: OxigraphStore, lang: str, output: Path) -> nx.MultiDiGraph:
    graph = network(store, lang)
    nx.write_graphml(graph, output)
    return graph
