"""``evalgraph qualify`` (a technology, a dossier file, or every technology) and ``evalgraph decision-graph``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from evalgraph.cli.context import EXIT_CHECK_FAILED, Context, pass_context, progress_bar, writing
from evalgraph.cli.presenters import qualification as present
from evalgraph.errors import UsageError
from evalgraph.i18n import message
from evalgraph.store.oxigraph import INFERRED_GRAPH

if TYPE_CHECKING:
    from evalgraph.qualification.engine import DecisionModel, Qualification


@click.command()
@click.argument("target", required=False)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Qualify every technology of the store and replace the inferred graph with the results.",
)
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None, help="Language (default: the global --lang).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@pass_context
def qualify(context: Context, target: str | None, everything: bool, lang: str | None, fmt: str) -> None:
    """Qualify a technology (IRI, prefixed name or unambiguous name) or a dossier file: qualification, class,
    IMDRF and AI Act categories, eligible pathways, obligations and the evaluation gap, with the decisions and
    their sources. With --all, refresh the inferred graph for every technology."""
    from evalgraph.qualification import engine as q

    language = lang or context.lang
    if everything == (target is not None):
        raise UsageError("qualify_usage")
    if target is not None and _is_dossier_path(target):
        result, model = _qualify_dossier(context, Path(target))
        present.show(context.out, model, result, language, fmt)
        _exit_on_conflicts(result)
        return
    if everything:
        _qualify_all(context, language)
        return
    assert target is not None
    store = context.store()
    iri = q.resolve_technology(store, target)
    model = q.DecisionModel(store)
    result = q.qualify(model, q.read_facts(store, iri))
    present.show(context.out, model, result, language, fmt)
    _exit_on_conflicts(result)


def _exit_on_conflicts(result: Qualification) -> None:
    """Exit 1 when the stated facts contradict what the decision logic derives (the report is printed first)."""
    if result.conflicts:
        raise SystemExit(EXIT_CHECK_FAILED)


def _is_dossier_path(target: str) -> bool:
    from evalgraph.dossiers import reading as dossier

    return Path(target).suffix.lower() in dossier.SUFFIXES


def _qualify_dossier(context: Context, path: Path) -> tuple[Qualification, DecisionModel]:
    """Qualify a dossier file against the ontology and knowledge base in a scratch in-memory store (the
    persistent store is not opened); its statements about reference terms are left out, as in validation."""
    from evalgraph.dossiers import reading as dossier
    from evalgraph.qualification import engine as q

    model, results = q.qualify_dossier(dossier.read(path), context.settings.resources_dir, source=str(path))
    if len(results) != 1:
        raise UsageError("qualify_dossier_subjects", file=str(path), count=len(results))
    return results[0], model


def _qualify_all(context: Context, language: str) -> None:
    """Qualify every technology of the store and replace the inferred graph with the results."""
    from evalgraph.qualification import engine as q

    store = context.store()
    model = q.DecisionModel(store)
    techs = q.technologies(store)
    triples = []
    counts = {"gap": 0, "undetermined": 0}
    with progress_bar(context, True) as progress:
        task = progress.add_task(message("qualify_progress", language), total=len(techs)) if progress else None
        all_facts = q.read_all_facts(store)
        for iri, _labels in techs:
            result = q.qualify(model, all_facts.get(iri, q.Facts(iri)))
            triples.extend(q.inferred_triples(result))
            counts["gap"] += result.gap is True
            counts["undetermined"] += any(c.status == "undetermined" and not c.assuming for c in result.conclusions)
            if progress is not None and task is not None:
                progress.advance(task)
    written = store.write_graph(triples, INFERRED_GRAPH, source="evalgraph qualify --all")
    present.print_all_done(context.out, language, len(techs), written, INFERRED_GRAPH, counts)


@click.command("decision-graph")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="FILE.graphml (Gephi, Cytoscape, yEd), FILE.svg or FILE.png.",
)
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None, help="Language of node labels.")
@pass_context
def decision_graph(context: Context, output: Path, lang: str | None) -> None:
    """Export the decision logic (questions, outcomes, branches) so that a reviewer can see it."""
    from evalgraph.qualification import engine as q
    from evalgraph.qualification import export as decision_export

    language = lang or context.lang
    model = q.DecisionModel(context.store())
    suffix = output.suffix.lower()
    if suffix not in (".graphml", ".svg", ".png"):
        raise UsageError("decision_graph_format", file=str(output))
    with writing(output):
        if suffix == ".graphml":
            decision_export.write_graphml(model, output, language)
        else:
            decision_export.write_drawing(model, output, language)
    context.err.print(message("validate_written", language, file=str(output)))
