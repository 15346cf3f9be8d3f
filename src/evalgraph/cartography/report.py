"""The cartography report: the named queries of the cartography, run on the store, as an offline HTML page with
charts (heatmap of category × pathway, evidence profile, lifecycle Sankey), an XLSX workbook, CSV files, and a
GraphML network of technologies, pathways and evaluators.

The report reads the inferred graph (eligibility, gap), so :func:`build` refreshes it first with the
qualification engine. Every chart is inline SVG (geometry in :mod:`evalgraph.cartography.charts`, drawn by
``templates/_charts.html``): the page fetches nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from evalgraph import pages, resources
from evalgraph.cartography import charts
from evalgraph.i18n import message
from evalgraph.qualification import engine as qualification
from evalgraph.store import queries
from evalgraph.store.oxigraph import INFERRED_GRAPH, OxigraphStore
from evalgraph.store.scope import Scope
from evalgraph.store.scope import scope as scope_of
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
    scope: Scope = field(default_factory=lambda: Scope((), (), ()))


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


def scope_text(scope: Scope, lang: str) -> str:
    """What the report reads, in words: the national reference data, and the graphs added by name."""
    if scope.national:
        return message("cartography_scope_national", lang)
    return message("cartography_scope_added", lang, graphs=", ".join(compact(g) for g in scope.added))


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
    added: tuple[str, ...] = (),
) -> Cartography:
    """Refresh the inferred graph (unless ``refresh`` is False: the server keeps it current itself), then run
    the cartography's named queries in ``lang`` over the national reference graphs and the ``added`` ones
    (an establishment's, an import's: :mod:`evalgraph.store.scope`)."""
    if refresh:
        refresh_inferred(store, progress)
    scope = scope_of(store.graph_iris(), added)
    qualified = len(store.query(resources.read_text("queries", "technologies"), graphs=scope.dataset).rows)
    tables: dict[str, Table] = {}
    for named in queries.report_sections("cartography", override):
        name = named.name
        result = store.query(named.text, queries.bind(named, {"lang": lang}), graphs=scope.dataset)
        keep = [i for i, v in enumerate(result.variables) if v not in ("lang", "since")]
        tables[name] = Table(
            name,
            named.title(lang),
            named.description_fr if lang == "fr" else named.description,
            [result.variables[i] for i in keep],
            [[_plain(row[i]) for i in keep] for row in result.rows],
        )
    if "cartography" in tables:
        _add_pathway_details(store, tables["cartography"], lang, override, scope.dataset)
    flows = _lifecycle_flows(store, lang, override, scope.dataset)
    return Cartography(lang, tables, qualified, datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), flows, scope)


def _add_pathway_details(
    store: OxigraphStore, table: Table, lang: str, override: Path | None, graphs: tuple[str, ...] | None
) -> None:
    """Append the pathways' jurisdiction concept, fact status, whether each counts as an evaluation, and sources
    (queries/pathway-details.rq) to the pathway table."""
    named = queries.load("pathway-details", override)
    result = store.query(named.text, queries.bind(named, {"lang": lang}), graphs=graphs)
    added = [v for v in result.variables if v not in ("lang", "pathway")]
    index = {v: i for i, v in enumerate(result.variables)}
    details = {str(_plain(row[index["pathway"]])): [_plain(row[index[v]]) for v in added] for row in result.rows}
    pathway = table.columns.index("pathway")
    table.columns.extend(added)
    for row in table.rows:
        row.extend(details.get(str(row[pathway]), [""] * len(added)))


def _lifecycle_flows(
    store: OxigraphStore, lang: str, override: Path | None, graphs: tuple[str, ...] | None
) -> list[tuple[str, str, int]]:
    """(qualification, lifecycle stage, number of technology × eligible pathway pairs) for the Sankey view."""
    named = queries.load("lifecycle-flows", override)
    result = store.query(named.text, queries.bind(named, {"lang": lang}), graphs=graphs)
    undetermined = message("cartography_qualification_undetermined", lang)
    column = {v: i for i, v in enumerate(result.variables)}
    return [
        (
            str(_plain(row[column["qualification"]])) or undetermined,
            str(_plain(row[column["stage"]])),
            int(str(_plain(row[column["pairs"]]))),
        )
        for row in result.rows
    ]


# ------------------------------------------------------------------------------------------------------ outputs


def write_html(report: Cartography, output: Path, version: str) -> None:
    """The report as one offline page (templates/cartography.html), its charts drawn by templates/_charts.html."""
    from evalgraph.cartography import columns, pathways

    tables, lang = report.tables, report.lang
    records = tables["cartography"].records()
    page = pages.render(
        "cartography.html",
        report=report,
        lang=lang,
        version=version,
        tables=tables,
        heatmap=charts.heatmap(tables["category-pathway-matrix"].records()),
        evidence=charts.bars(tables["evidence-profile"].records(), "studies", "categoryLabel"),
        sankey=charts.sankey(report.flows),
        compact=compact,
        host=columns.host,
        shown=lambda table: columns.rows(table.name, table.columns, table.records(), lang),
        groups=pathways.groups(records, lang, message("value_confirmed", lang)),
        evaluations=pathways.counted(records),
        national=sum(1 for r in records if r.get("nationalRoute") is True),
        scope=scope_text(report.scope, lang),
        column_label=lambda name: columns.label(name, lang),
    )
    output.write_text(page, encoding="utf-8")


def network(store: OxigraphStore, lang: str, added: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    """Technologies, pathways and evaluators: technology → pathway (eligible / obtained), pathway → evaluator,
    over the national reference graphs and the ``added`` ones."""
    graph = nx.MultiDiGraph()
    named = queries.load("technology-network")
    scope = scope_of(store.graph_iris(), added)
    result = store.query(named.text, queries.bind(named, {"lang": lang}), graphs=scope.dataset)
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


def write_graphml(store: OxigraphStore, lang: str, output: Path, added: tuple[str, ...] = ()) -> nx.MultiDiGraph:
    graph = network(store, lang, added)
    nx.write_graphml(graph, output)
    return graph
