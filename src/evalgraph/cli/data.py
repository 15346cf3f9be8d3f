"""Commands over the store itself: ``init``, ``stats``, ``load``, ``check`` and ``reason``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from evalgraph import resources, vocab
from evalgraph.cli.context import EXIT_CHECK_FAILED, Context, pass_context
from evalgraph.cli.presenters import market
from evalgraph.cli.presenters import store as present
from evalgraph.ontology import documentation
from evalgraph.store import formats, kb
from evalgraph.store.oxigraph import BUILTIN_GRAPHS, IMPORT_GRAPH_BASE, INFERRED_GRAPH, META_GRAPH, ONTOLOGY_GRAPH


@click.command()
@click.option("--reload", "force", is_flag=True, help="Reload the built-in datasets even if unchanged.")
@pass_context
def init(context: Context, force: bool) -> None:
    """Create the store and load the ontology, knowledge base and demo catalogue (done automatically on first use)."""
    store = context.store()
    if force:
        reloaded = {r.graph for r in kb.ensure_loaded(store, context.settings.resources_dir, force=True)}
        kept = sorted(g for g in store.graph_iris() if g not in reloaded and g not in (META_GRAPH, INFERRED_GRAPH))
        context.err.print(
            context.msg("init_reloaded", graphs=", ".join(formats.compact(g) for g in sorted(reloaded)))
            + " "
            + context.msg("init_kept", graphs=", ".join(formats.compact(g) for g in kept) or "—")
        )
    present.print_graphs(context.out, context.settings.store_path, store.graphs(), context.lang)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_context
def stats(context: Context, fmt: str) -> None:
    """Named graphs with triple counts, and counts of technologies, pathways, sources…"""
    store = context.store()
    counts = context.run_named("summary-counts")
    figures = {str(row[0].value): int(row[1].value) for row in counts.rows}  # type: ignore[union-attr]
    figures = dict(sorted({**figures, **documentation.counts(store, context.settings.resources_dir)}.items()))
    if fmt == "json":
        present.print_stats_json(context.out, context.settings.store_path, store.graphs(), figures)
        return
    present.print_graphs(context.out, context.settings.store_path, store.graphs(), context.lang)
    present.print_figures(context.out, figures, context.lang)
    market.print_snapshots(context.out, context.run_named("market-snapshots").rows, context.lang)


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", help="Target named graph: an IRI or a prefixed name such as egg:import/mine (default: "
              "<https://w3id.org/evalgraph/graph/import/FILE-STEM>).")  # fmt: skip
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing its content.")
@pass_context
def load(context: Context, files: Sequence[Path], graph: str | None, append: bool) -> None:
    """Load RDF files (Turtle, N-Triples, RDF/XML, JSON-LD) into a named graph, atomically."""
    target = vocab.expand(graph) if graph else IMPORT_GRAPH_BASE + files[0].stem  # egg:import/x is a prefixed name
    store = context.store()
    report = store.load(files, target, replace=not append)
    if report.resumed:
        context.err.print(context.msg("load_resumed", resumed=report.resumed))
    context.out.print(context.msg("loaded", triples=report.triples, files=report.files, graph=report.graph))


@click.command()
@pass_context
def check(context: Context) -> None:
    """Run every queries/*-violation.rq check on the store; exit 1 if any returns rows."""
    context.store()
    failed = 0
    for name in resources.names("queries", override=context.settings.resources_dir):
        if not name.endswith("-violation"):
            continue
        result = context.run_named(name)
        failed += bool(len(result))
        present.print_check(context.out, name, result, context.lang)
    if failed:
        raise SystemExit(EXIT_CHECK_FAILED)


@click.command()
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    help="Graph to include (repeatable; default: the built-in graphs and the inferred graph).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Run HermiT even when it has already reasoned on exactly the same triples (its verdict is kept in the "
    "reasoner_cache folder, by default reasoner-cache in the data directory).",
)
@pass_context
def reason(context: Context, graphs: Sequence[str], no_cache: bool) -> None:
    """HermiT (needs Java): consistency of the ontology, knowledge base, catalogue and inferred graph, and the
    classification of technologies into the ontology's defined classes; an inconsistency is narrowed down to
    the graph and statements that cause it."""
    from evalgraph.ontology.reasoning import check_consistency, explain_inconsistency

    store = context.store()
    present_graphs = store.graph_iris()
    selected = list(graphs) or [*BUILTIN_GRAPHS, *([INFERRED_GRAPH] if INFERRED_GRAPH in present_graphs else [])]
    names = ", ".join(formats.compact(g) for g in selected)
    report = check_consistency(store, selected, cache=None if no_cache else context.settings.reasoner_cache_path)
    if report.cached:
        context.err.print(context.msg("reason_cached", checked=report.cached))
    if not report.consistent:
        present.print_inconsistent(context.out, names, context.lang)
        with context.err.status(context.msg("explaining")):
            explanation = explain_inconsistency(store, selected, ONTOLOGY_GRAPH)
        present.print_explanation(context.out, context.err, explanation, report.detail, context.lang)
        raise SystemExit(EXIT_CHECK_FAILED)
    if report.unsatisfiable:
        present.print_unsatisfiable(context.out, report.unsatisfiable, context.lang)
        raise SystemExit(EXIT_CHECK_FAILED)
    present.print_consistent(context.out, names, report.triples, report.seconds, report.classification, context.lang)
