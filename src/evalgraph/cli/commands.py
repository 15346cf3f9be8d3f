"""The ``evalgraph`` command line. Commands are thin: they call library functions and render the result.

Exit codes: 0 success; 1 a check found problems (inconsistent ontology, violation rows); 2 bad input (file,
query, option); 3 environment (store in use, no Java); 4 internal error.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from evalgraph import resources, vocab
from evalgraph.errors import EvalgraphError, UsageError
from evalgraph.i18n import message
from evalgraph.settings import Settings, get_settings
from evalgraph.store import formats, kb
from evalgraph.store.oxigraph import (
    BUILTIN_GRAPHS,
    IMPORT_GRAPH_BASE,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    OxigraphStore,
    QueryResult,
    open_store,
)

EXIT_CHECK_FAILED = 1
EXIT_INTERNAL = 4

_state: dict[str, str] = {}
"""Language chosen by the group callback, for messages of errors raised inside commands."""


class Context:
    """Per-invocation state: settings, consoles, and the store opened (and filled) on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.out = Console(soft_wrap=True)
        self.err = Console(stderr=True)
        self._store: OxigraphStore | None = None

    @property
    def lang(self) -> str:
        return "fr" if self.settings.lang.lower().startswith("fr") else "en"

    def msg(self, key: str, **params: object) -> str:
        return message(key, self.lang, **params)

    def store(self) -> OxigraphStore:
        if self._store is None:
            self._store = open_store(self.settings.store_path)
            with self.err.status("evalgraph…") as status:

                def progress(dataset: kb.Dataset, files: int) -> None:
                    title = dataset.title_fr if self.lang == "fr" else dataset.title_en
                    status.update(self.msg("loading_builtin", name=title, files=files))

                kb.ensure_loaded(self._store, self.settings.resources_dir, progress=progress)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_context = click.make_pass_decorator(Context)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="EVALGRAPH_DATA_DIR",
    help="Directory of the embedded store (default: the platform's user data directory).",
)
@click.option("--lang", type=click.Choice(["en", "fr"]), envvar="EVALGRAPH_LANG", help="Language of messages.")
@click.version_option(package_name="evalgraph")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, lang: str | None) -> None:
    """evalgraph — knowledge graph of how digital health technologies are regulated and evaluated."""
    context = Context(get_settings(data_dir=data_dir, lang=lang))
    _state["lang"] = context.lang
    ctx.obj = context
    ctx.call_on_close(context.close)


# ------------------------------------------------------------------------------------------------------- init
@cli.command()
@click.option("--reload", "force", is_flag=True, help="Reload the built-in datasets even if unchanged.")
@pass_context
def init(context: Context, force: bool) -> None:
    """Create the store and load the ontology, knowledge base and demo catalogue (done automatically on first use)."""
    store = context.store()
    if force:
        kb.ensure_loaded(store, context.settings.resources_dir, force=True)
    _print_graphs(context, store)


# ------------------------------------------------------------------------------------------------------ stats
@cli.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@pass_context
def stats(context: Context, fmt: str) -> None:
    """Named graphs with triple counts, and counts of technologies, pathways, sources…"""
    store = context.store()
    counts = _run_named(context, store, "summary-counts")
    figures = {str(row[0].value): int(row[1].value) for row in counts.rows}  # type: ignore[union-attr]
    if fmt == "json":
        graphs = [
            {
                "graph": g.iri,
                "triples": g.triples,
                "sources": list(g.sources),
                "sha256": g.sha256,
                "loaded_at": g.loaded_at,
            }
            for g in store.graphs()
        ]
        context.out.print_json(
            json.dumps({"store": str(context.settings.store_path), "graphs": graphs, "counts": figures})
        )
        return
    _print_graphs(context, store)
    table = Table(title="Chiffres clés" if context.lang == "fr" else "Key figures")
    table.add_column("measure" if context.lang == "en" else "mesure")
    table.add_column("count" if context.lang == "en" else "nombre", justify="right")
    for name, value in figures.items():
        table.add_row(name, str(value))
    context.out.print(table)


def _print_graphs(context: Context, store: OxigraphStore) -> None:
    fr = context.lang == "fr"
    table = Table(title=("Graphes nommés — " if fr else "Named graphs — ") + str(context.settings.store_path))
    table.add_column("graphe" if fr else "graph")
    table.add_column("triplets" if fr else "triples", justify="right")
    table.add_column("fichiers" if fr else "files", justify="right")
    table.add_column("chargé le" if fr else "loaded at")
    for info in store.graphs():
        table.add_row(formats.compact(info.iri), str(info.triples), str(len(info.sources)), info.loaded_at or "")
    context.out.print(table)


# ------------------------------------------------------------------------------------------------------- load
@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--graph", help="Target named graph IRI (default: <https://w3id.org/evalgraph/graph/import/FILE-STEM>).")
@click.option("--append", is_flag=True, help="Add to the graph instead of replacing its content.")
@pass_context
def load(context: Context, files: Sequence[Path], graph: str | None, append: bool) -> None:
    """Load RDF files (Turtle, N-Triples, RDF/XML, JSON-LD) into a named graph, atomically."""
    target = graph or IMPORT_GRAPH_BASE + files[0].stem
    store = context.store()
    report = store.load(files, target, replace=not append)
    context.out.print(context.msg("loaded", triples=report.triples, files=report.files, graph=report.graph))


# ------------------------------------------------------------------------------------------------------ query
@cli.command()
@click.argument("query", required=False)
@click.option("--list", "listing", is_flag=True, help="List the named queries: name, title, parameters.")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="KEY=VALUE",
    help="A parameter of a named query (repeatable); values are bound, never pasted into the query.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "turtle", "ntriples"]),
    default=None,
    help="Output format (default: table for SELECT/ASK, turtle for CONSTRUCT/DESCRIBE).",
)
@pass_context
def query(context: Context, query: str | None, listing: bool, params: Sequence[str], fmt: str | None) -> None:
    """Run a SPARQL query given as text, as a .rq file, as a named query of queries/, or '-' for stdin."""
    from evalgraph.store import queries

    override = context.settings.resources_dir
    if listing:
        _list_queries(context, queries.catalogue(override))
        return
    if query is None:
        raise UsageError("query_or_list")
    given: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError("bad_param_syntax", value=item)
        given[key.strip()] = value
    known = resources.names("queries", override=override)
    if query in known:
        named = queries.load(query, override)
        result = context.store().query(named.text, queries.bind(named, given))
    else:
        if given:
            raise UsageError("params_need_named_query")
        result = context.store().query(_query_text(context, query))
    _render(context, result, fmt)


def _list_queries(context: Context, catalogue: Sequence[Any]) -> None:
    fr = context.lang == "fr"
    table = Table(title="Requêtes nommées" if fr else "Named queries", show_lines=False)
    table.add_column("nom" if fr else "name", no_wrap=True)
    table.add_column("titre" if fr else "title")
    table.add_column("paramètres" if fr else "parameters")
    for named in catalogue:
        table.add_row(named.name, named.title(context.lang), "; ".join(p.describe() for p in named.parameters))
    context.out.print(table)


def _query_text(context: Context, argument: str) -> str:
    if argument == "-":
        return sys.stdin.read()
    candidate = Path(argument)
    if candidate.suffix == ".rq" or (len(argument) < 4096 and "\n" not in argument and candidate.is_file()):
        try:
            return candidate.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise UsageError("file_not_found", file=argument) from exc
    if any(ch.isspace() for ch in argument.strip()) or "{" in argument:
        return argument
    known = resources.names("queries", override=context.settings.resources_dir)
    raise UsageError("unknown_query", name=argument, known=", ".join(known))


def _run_named(context: Context, store: OxigraphStore, name: str) -> QueryResult:
    return store.query(resources.read_text("queries", name, override=context.settings.resources_dir))


def _render(context: Context, result: QueryResult, fmt: str | None) -> None:
    if fmt is None:
        fmt = "turtle" if result.kind == "graph" else "table"
    if fmt != "table":
        click.echo(formats.serialize(result, fmt), nl=False)
        return
    if result.kind == "ask":
        context.out.print("true" if result.boolean else "false")
        return
    table = Table(show_lines=False)
    if result.kind == "graph":
        for column in ("subject", "predicate", "object"):
            table.add_column(column)
        for triple in result.triples:
            table.add_row(*(formats.display(t) for t in (triple.subject, triple.predicate, triple.object)))
    else:
        for variable in result.variables:
            table.add_column(variable)
        for row in result.rows:
            table.add_row(*(formats.display(term) for term in row))
    context.out.print(table)
    if not len(result):
        context.err.print(context.msg("no_rows"))


# ------------------------------------------------------------------------------------------------------ check
@cli.command()
@pass_context
def check(context: Context) -> None:
    """Run every queries/*-violation.rq check on the store; exit 1 if any returns rows."""
    store = context.store()
    failed = 0
    for name in resources.names("queries", override=context.settings.resources_dir):
        if not name.endswith("-violation"):
            continue
        result = _run_named(context, store, name)
        if len(result):
            failed += 1
            context.out.print("[red]✗[/red] " + context.msg("check_failed", name=name, rows=len(result)))
            for row in result.rows[:20]:
                context.out.print("    " + "  ".join(formats.display(t) for t in row))
        else:
            context.out.print("[green]✓[/green] " + context.msg("check_ok", name=name))
    if failed:
        raise SystemExit(EXIT_CHECK_FAILED)


# ----------------------------------------------------------------------------------------------------- reason
@cli.command()
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    help="Graph to include (repeatable; default: the built-in graphs and the inferred graph).",
)
@pass_context
def reason(context: Context, graphs: Sequence[str]) -> None:
    """HermiT (needs Java): consistency of the ontology, knowledge base, catalogue and inferred graph, and the
    classification of technologies into the ontology's defined classes; an inconsistency is narrowed down to
    the graph and statements that cause it."""
    from evalgraph.ontology.reasoning import check_consistency, explain_inconsistency

    store = context.store()
    present = store.graph_iris()
    selected = list(graphs) or [*BUILTIN_GRAPHS, *([INFERRED_GRAPH] if INFERRED_GRAPH in present else [])]
    names = ", ".join(formats.compact(g) for g in selected)
    report = check_consistency(store, selected)
    if not report.consistent:
        context.out.print("[red]" + context.msg("inconsistent", graphs=names) + "[/red]")
        with context.err.status(context.msg("explaining")):
            explanation = explain_inconsistency(store, selected, ONTOLOGY_GRAPH)
        context.out.print(
            context.msg("inconsistency_where", graph=formats.compact(explanation.graph or "?"), runs=explanation.runs)
        )
        for subject in explanation.subjects[:30]:
            context.out.print(f"  - {formats.compact(subject)}")
        context.err.print(report.detail[-3000:])
        raise SystemExit(EXIT_CHECK_FAILED)
    if report.unsatisfiable:
        context.out.print(
            "[red]" + context.msg("unsatisfiable", classes=", ".join(map(formats.compact, report.unsatisfiable)))
        )
        raise SystemExit(EXIT_CHECK_FAILED)
    context.out.print(
        "[green]" + context.msg("consistent", graphs=names, triples=report.triples, seconds=report.seconds) + "[/green]"
    )
    if report.classification:
        table = Table(title=context.msg("classification_title"))
        table.add_column("classe" if context.lang == "fr" else "class")
        table.add_column("n", justify="right")
        table.add_column("individus" if context.lang == "fr" else "individuals")
        for iri, members in sorted(report.classification.items()):
            table.add_row(formats.compact(iri), str(len(members)), ", ".join(formats.compact(m) for m in members))
        context.out.print(table)


# --------------------------------------------------------------------------------------------------- validate
@cli.command()
@click.argument("dossiers", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--lang", type=click.Choice(["en", "fr"]), default=None, help="Language of findings (default: the global --lang)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "ttl", "html"]),
    default="text",
    show_default=True,
    help="text: readable findings; json; ttl: the SHACL validation report; html: a page.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of the terminal.",
)
@pass_context
def validate(context: Context, dossiers: Sequence[Path], lang: str | None, fmt: str, output: Path | None) -> None:
    """Check technology dossiers (Turtle, JSON-LD, YAML; files or folders) against the SHACL shapes.

    Exit 0 when every dossier conforms (warnings and infos allowed), 1 when violations are found,
    2 when a file cannot be read, is not a valid dossier or is over a dossier limit (EVALGRAPH_DOSSIER_MAX_…,
    see docs/dossiers.md); every file is reported either way.
    """
    from evalgraph.dossiers import reading as dossier
    from evalgraph.dossiers import validation
    from evalgraph.dossiers.report import Outcome, render_html, render_json, render_text, render_turtle
    from evalgraph.errors import DataFileError

    language = lang or context.lang
    files = list(dossier.iter_dossier_files(list(dossiers)))
    if not files:
        raise UsageError("validate_no_files", path=", ".join(map(str, dossiers)))
    engine = validation.engine(context.settings.resources_dir)
    limits = dossier.Limits.from_settings(context.settings)
    outcomes: list[Outcome] = []
    with _progress(context, len(files) > 1) as progress:
        task = progress.add_task("", total=len(files)) if progress else None
        for file in files:
            if progress is not None and task is not None:
                progress.update(task, description=message("validate_progress", language, file=file.name))
            try:
                outcomes.append(
                    Outcome(
                        str(file), report=engine.validate(dossier.read(file, limits), file=str(file), lang=language)
                    )
                )
            except DataFileError as exc:
                outcomes.append(Outcome(str(file), error=exc.render(language)))
            if progress is not None and task is not None:
                progress.advance(task)
    if fmt == "text":
        if output is None:
            render_text(outcomes, context.out, language)
        else:
            with _writing(output), output.open("w", encoding="utf-8") as handle:
                render_text(outcomes, Console(file=handle, width=120, no_color=True, soft_wrap=True), language)
    else:
        text = {
            "json": lambda: render_json(outcomes, language),
            "ttl": lambda: render_turtle(outcomes),
            "html": lambda: render_html(outcomes, language),
        }[fmt]()
        if output is None:
            click.echo(text, nl=False)
        else:
            with _writing(output):
                output.write_text(text, encoding="utf-8")
    if output is not None:
        context.err.print(message("validate_written", language, file=str(output)))
    if any(o.report is None for o in outcomes):
        raise SystemExit(2)
    if any(not o.report.conforms for o in outcomes if o.report is not None):
        raise SystemExit(EXIT_CHECK_FAILED)


@contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Turn a failure to write an output file (missing folder, permissions) into a clear error, exit 2."""
    try:
        yield
    except OSError as exc:
        raise UsageError("output_unwritable", file=str(path), reason=exc.strerror or str(exc)) from exc


@contextmanager
def _progress(context: Context, enabled: bool) -> Iterator[Progress | None]:
    """A progress bar on standard error for long work (several files on a terminal), else nothing."""
    if not enabled:
        yield None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=context.err,
        transient=True,
    ) as progress:
        yield progress


# ---------------------------------------------------------------------------------------------------- qualify
@cli.command()
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
        _show_qualification(context, model, result, language, fmt)
        return
    store = context.store()
    if everything:
        model = q.DecisionModel(store)
        techs = q.technologies(store)
        triples = []
        counts = {"gap": 0, "undetermined": 0}
        with _progress(context, True) as progress:
            task = progress.add_task(message("qualify_progress", language), total=len(techs)) if progress else None
            all_facts = q.read_all_facts(store)
            for iri, _labels in techs:
                result = q.qualify(model, all_facts.get(iri, q.Facts(iri)))
                triples.extend(q.inferred_triples(result))
                counts["gap"] += result.gap is True
                counts["undetermined"] += any(c.status == "undetermined" for c in result.conclusions)
                if progress is not None and task is not None:
                    progress.advance(task)
        written = store.write_graph(triples, INFERRED_GRAPH, source="evalgraph qualify --all")
        context.out.print(
            message(
                "qualify_all_done", language, technologies=len(techs), triples=written, graph=INFERRED_GRAPH, **counts
            )
        )
        return
    assert target is not None
    iri = q.resolve_technology(store, target)
    model = q.DecisionModel(store)
    _show_qualification(context, model, q.qualify(model, q.read_facts(store, iri)), language, fmt)


def _show_qualification(context: Context, model: Any, result: Any, language: str, fmt: str) -> None:
    from evalgraph.qualification import engine as q

    if fmt == "json":
        click.echo(json.dumps(q.to_dict(model, result, language), ensure_ascii=False, indent=2))
    else:
        _print_qualification(context, model, result, language)


def _is_dossier_path(target: str) -> bool:
    from evalgraph.dossiers import reading as dossier

    return Path(target).suffix.lower() in dossier.SUFFIXES


def _qualify_dossier(context: Context, path: Path) -> tuple[Any, Any]:
    """Qualify a dossier file against the ontology and knowledge base in a scratch in-memory store (the
    persistent store is not opened); its statements about reference terms are left out, as in validation."""
    from evalgraph.dossiers import reading as dossier
    from evalgraph.qualification import engine as q

    model, results = q.qualify_dossier(dossier.read(path), context.settings.resources_dir, source=str(path))
    if len(results) != 1:
        raise UsageError("qualify_dossier_subjects", file=str(path), count=len(results))
    return results[0], model


def _print_qualification(context: Context, model: Any, result: Any, lang: str) -> None:
    from rich.markup import escape

    fr = lang == "fr"
    out = context.out
    label = result.labels.get(lang) or result.labels.get("en") or ""
    out.print(f"[bold]{escape(label)}[/bold] ({formats.compact(result.technology)})")
    words = {"yes": "oui" if fr else "yes", "no": "non" if fr else "no", "unknown": "?"}
    for c in result.conclusions:
        title = escape(model.label(c.procedure, lang))
        if c.status == "determined":
            future = c.application_date and c.application_date > datetime.now(UTC).date().isoformat()
            date = f" — {message('applies_from', lang, date=c.application_date)}" if future else ""
            head = f"[green]{escape(model.label(c.value, lang))}[/green]{date}"
        elif c.status == "not-applicable":
            head = f"[dim]{message('not_applicable', lang)}[/dim]"
        else:
            bound = f"; {message('at_least', lang, value=model.label(c.at_least, lang))}" if c.at_least else ""
            needs = ", ".join(model.label(n, lang) for n in c.needs)
            stated = (
                "; " + message("stated_value", lang, value=", ".join(model.label(v, lang) for v in c.stated))
                if c.stated
                else ""
            )
            head = f"[yellow]{message('undetermined_needs', lang, needs=needs)}{bound}{stated}[/yellow]"
        out.print(f"\n[bold]{title}[/bold]: {head}", highlight=False)
        for i, s in enumerate(c.steps, 1):
            if s.how == "outcome":
                continue
            if isinstance(s.answer, bool):
                answer = words["yes"] if s.answer else words["no"]
            elif s.answer is None:
                answer = words["unknown"]
            else:
                answer = model.label(s.answer, lang)
            how = {
                "stated": message("how_stated", lang),
                "derived": message("how_derived", lang),
                "unknown": message("how_unknown", lang),
            }.get(s.how)
            if s.how == "rule" and s.rule:
                how = message("how_rule", lang, rule=model.label(s.rule, lang))
            out.print(
                f"  {i}. {escape(model.label(s.node, lang))} → [bold]{escape(answer)}[/bold] "
                f"[dim]({escape(how or '')})[/dim]",
                highlight=False,
            )
            for r in s.references:
                text = r.label(lang) if r.labels else ""
                link = ", ".join(r.urls)
                out.print(
                    f"       [dim]↳ {escape(text + (' — ' if text and link else '') + link)}[/dim]", highlight=False
                )
    eligible = [p for p in result.pathways if p.status == "eligible"]
    undetermined = [p for p in result.pathways if p.status == "undetermined"]
    out.print(
        f"\n[bold]{message('pathways_eligible', lang)}[/bold]: "
        + (", ".join(escape(model.label(p.target, lang)) for p in eligible) or "—"),
        highlight=False,
    )
    if undetermined:
        out.print(
            f"[bold]{message('pathways_undetermined', lang)}[/bold]: "
            + ", ".join(escape(model.label(p.target, lang)) for p in undetermined),
            highlight=False,
        )
    obtained = [model.label(p, lang) for p in sorted(result.obtained)]
    out.print(
        f"[bold]{message('pathways_obtained', lang)}[/bold]: " + (escape(", ".join(obtained)) or "—"), highlight=False
    )
    gap = {True: words["yes"], False: words["no"], None: words["unknown"]}[result.gap]
    needs = (
        f" ({message('needs', lang, needs=', '.join(model.label(n, lang) for n in result.gap_needs))})"
        if result.gap_needs
        else ""
    )
    out.print(f"[bold]{message('evaluation_gap', lang)}[/bold]: {gap}{needs}", highlight=False)
    obligations = [o for o in result.obligations if o.status == "eligible"]
    out.print(
        f"[bold]{message('obligations', lang)}[/bold]: "
        + (
            ", ".join(
                escape(model.label(o.target, lang))
                + (f" ({message('applies_from', lang, date=o.application_date)})" if o.application_date else "")
                for o in obligations
            )
            or "—"
        ),
        highlight=False,
    )
    criteria = [model.label(c.target, lang) for c in result.criteria if c.status == "eligible"]
    out.print(f"[bold]{message('criteria', lang)}[/bold]: " + (escape(", ".join(criteria)) or "—"), highlight=False)
    for conflict in result.conflicts:
        out.print(
            "[red]"
            + escape(
                message(
                    f"conflict_{conflict.reason}",
                    lang,
                    fact=formats.compact(conflict.fact),
                    asserted=model.label(conflict.asserted, lang),
                    derived=model.label(conflict.derived, lang),
                )
            )
            + "[/red]",
            highlight=False,
        )


# ---------------------------------------------------------------------------------------------- decision-graph
@cli.command("decision-graph")
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
    with _writing(output):
        if suffix == ".graphml":
            decision_export.write_graphml(model, output, language)
        else:
            decision_export.write_drawing(model, output, language)
    context.err.print(message("validate_written", language, file=str(output)))


# ------------------------------------------------------------------------------------------------ cartography
@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="report.html (offline page with charts), report.xlsx (one sheet per table) or report.csv "
    "(the pathway table; the other tables beside it as report-<table>.csv).",
)
@click.option(
    "--graphml",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the network of technologies, pathways and evaluators (Gephi, Cytoscape).",
)
@click.option("--lang", type=click.Choice(["en", "fr"]), default=None, help="Language (default: the global --lang).")
@pass_context
def cartography(context: Context, output: Path | None, graphml: Path | None, lang: str | None) -> None:
    """The cartography of evaluation types: pathways, category × pathway matrix, evaluation gap, evidence profile,
    comparators and timeline, as HTML, XLSX or CSV (the qualification of every technology is refreshed first)."""
    from importlib.metadata import version

    from evalgraph.cartography import report as carto

    language = lang or context.lang
    if output is None and graphml is None:
        raise UsageError("cartography_output")
    suffix = output.suffix.lower() if output else ""
    if output is not None and suffix not in (".html", ".xlsx", ".csv"):
        raise UsageError("cartography_format", file=str(output))
    store = context.store()
    with _progress(context, True) as progress:
        task = progress.add_task(message("qualify_progress", language), total=None) if progress else None

        def advance(done: int, total: int) -> None:
            if progress is not None and task is not None:
                progress.update(task, completed=done, total=total)

        report = carto.build(store, language, context.settings.resources_dir, advance)
    if output is not None:
        with _writing(output):
            if suffix == ".html":
                carto.write_html(report, output, version("evalgraph"))
            elif suffix == ".xlsx":
                carto.write_xlsx(report, output)
            else:
                for path in carto.write_csv(report, output)[1:]:
                    context.err.print(message("validate_written", language, file=str(path)))
        context.err.print(message("validate_written", language, file=str(output)))
    if graphml is not None:
        with _writing(graphml):
            carto.write_graphml(store, language, graphml)
        context.err.print(message("validate_written", language, file=str(graphml)))


# ------------------------------------------------------------------------------------------------ establishments
@cli.group()
def template() -> None:
    """Write an empty template to fill in."""


@template.command("inventory")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write: .xlsx (drop-down lists, example row, economics sheet) or .csv.",
)
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), help="Format (default: from the suffix).")
@pass_context
def template_inventory(context: Context, output: Path, fmt: str | None) -> None:
    """The establishment inventory template: bilingual headers, drop-down lists of controlled values, an example
    row, and a companion sheet for the economic assumptions."""
    from evalgraph.establishments import inventory

    with _writing(output):
        written = inventory.write_template(context.store(), output, fmt, context.settings.resources_dir)
    context.err.print(context.msg("validate_written", file=str(written)))


@cli.group("import")
def import_group() -> None:
    """Import an establishment's data into the graph."""


@import_group.command("inventory")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--establishment", required=True, help="The establishment's name (its graph is replaced).")
@pass_context
def import_inventory(context: Context, file: Path, establishment: str) -> None:
    """Import a filled inventory (XLSX or CSV): one deployment per valid row, linked to a known technology when
    its name and manufacturer match one (else created and flagged for review). Bad cells are reported by row and
    column; the other rows are imported. Exit 1 when some rows were left out."""
    from evalgraph.cartography import report as carto
    from evalgraph.establishments import inventory

    store = context.store()
    report = inventory.import_inventory(
        store, file, establishment, lang=context.lang, override=context.settings.resources_dir
    )
    with context.err.status(context.msg("qualify_progress")):
        carto.refresh_inferred(store)
    fr = context.lang == "fr"
    table = Table(title=f"{establishment} — {file.name}")
    table.add_column("lignes lues" if fr else "rows read", justify="right")
    table.add_column("déploiements" if fr else "deployments", justify="right")
    table.add_column("reconnues (nom et fabricant / nom seul)" if fr else "recognised (name and maker / name only)")
    table.add_column("créées, à revoir" if fr else "created, to review", justify="right")
    table.add_column("lignes économiques" if fr else "economics rows", justify="right")
    table.add_column("problèmes" if fr else "problems", justify="right")
    ev = vocab.EGV
    table.add_row(
        str(report.rows),
        str(report.deployments),
        f"{report.matches.get(ev + 'match-name-and-manufacturer', 0)} / "
        f"{report.matches.get(ev + 'match-name-only', 0)}",
        str(len(report.created)),
        str(report.economics_rows),
        str(len(report.problems)),
    )
    context.out.print(table)
    for problem in report.notes:
        context.err.print(problem.render(file.name, context.lang), highlight=False)
    for problem in inventory.iter_problems(report):
        context.err.print(f"[red]{problem.render(file.name, context.lang)}[/red]", highlight=False)
    context.err.print(context.msg("inventory_imported", graph=report.graph, triples=report.triples))
    if report.problems:
        raise SystemExit(EXIT_CHECK_FAILED)


@cli.command()
@click.argument("establishment")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report: .html (with a summary chart), .xlsx or .json. Without it, a summary table.",
)
@click.option(
    "--years",
    default=5,
    show_default=True,
    type=click.IntRange(1, 30),
    help="Horizon of the economic sheet included in the HTML report.",
)
@click.option("--lang", type=click.Choice(["fr", "en"]), help="Language of the report (default: --lang).")
@pass_context
def readiness(context: Context, establishment: str, output: Path | None, years: int, lang: str | None) -> None:
    """Certification readiness of an imported establishment: per criterion and deployment, each evaluation
    element met, to check, missing or not applicable, and the legal obligations of each deployment, with sources.
    Exit 1 when something is missing."""
    from evalgraph.establishments import readiness as rd

    language = lang or context.lang
    store = context.store()
    result = rd.assess(store, establishment, language, context.settings.resources_dir)
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in (".html", ".xlsx", ".json"):
            raise UsageError("readiness_format", file=str(output))
        with _writing(output):
            if suffix == ".html":
                rd.write_html(result, output, _economics_html(context, store, result.establishment, language, years))
            elif suffix == ".xlsx":
                rd.write_xlsx(result, output)
            else:
                import json

                output.write_text(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        context.err.print(message("validate_written", language, file=str(output)))
    summary = result.summary()
    fr = language == "fr"
    table = Table(title=result.label)
    table.add_column("critère" if fr else "criterion")
    for column in ("deployments", "to-determine", "met", "to-check", "missing"):
        table.add_column(
            rd.word(column, language) if column != "deployments" else ("déploiements" if fr else "deployments"),
            justify="right",
        )
    for criterion in result.criteria:
        counts = summary[criterion.iri]
        table.add_row(
            criterion.label, *(str(counts[c]) for c in ("deployments", "to-determine", "met", "to-check", "missing"))
        )
    context.out.print(table)
    obligations_missing = sum(o.status == "missing" for d in result.deployments for o in d.obligations)
    context.out.print(context.msg("readiness_obligations_missing", count=obligations_missing), highlight=False)
    if obligations_missing or any(counts["missing"] for counts in summary.values()):
        raise SystemExit(EXIT_CHECK_FAILED)


@cli.command()
@click.argument("establishment")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Write the sheet: .xlsx (live formulas over the assumptions) or .html (tables and a chart).",
)
@click.option("--years", default=5, show_default=True, type=click.IntRange(1, 30), help="Horizon, in years.")
@click.option(
    "--discount-rate",
    type=click.FloatRange(min=0, max=1),
    default=None,
    help="Yearly discount rate (e.g. 0.04); none by default.",
)
@click.option("--lang", type=click.Choice(["fr", "en"]), help="Language of the sheet (default: --lang).")
@pass_context
def economics(
    context: Context, establishment: str, output: Path, years: int, discount_rate: float | None, lang: str | None
) -> None:
    """The economic sheet of an imported establishment: budget impact over N years of the costs and expected
    effects its inventory states per deployment, every assumption shown — a calculator, not a verdict."""
    from decimal import Decimal

    from evalgraph.establishments import economics as eco
    from evalgraph.establishments import readiness as rd

    language = lang or context.lang
    store = context.store()
    iri, _graph = rd.resolve(store, establishment)
    sheet = eco.compute(
        eco.read(store, iri, language, context.settings.resources_dir),
        years,
        Decimal(str(discount_rate)) if discount_rate is not None else None,
    )
    suffix = output.suffix.lower()
    if suffix not in (".html", ".xlsx"):
        raise UsageError("economics_format", file=str(output))
    with _writing(output):
        if suffix == ".xlsx":
            eco.write_xlsx(sheet, output, language)
        else:
            output.write_text(eco.render_html(sheet, language, establishment), encoding="utf-8")
    context.err.print(message("validate_written", language, file=str(output)))


def _economics_html(context: Context, store: OxigraphStore, establishment: str, lang: str, years: int) -> str:
    from evalgraph.establishments import economics

    inputs = economics.read(store, establishment, lang, context.settings.resources_dir)
    if not inputs:
        return ""
    return economics.html_section(economics.compute(inputs, years), lang)


# ------------------------------------------------------------------------------------------------------ serve
@cli.command()
@click.option("--host", default=None, help="Address to listen on [EVALGRAPH_HOST; 127.0.0.1].")
@click.option("--port", default=None, type=click.IntRange(0, 65535), help="Port to listen on [EVALGRAPH_PORT; 8000].")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory of the store and of submitted dossiers (same as the global --data-dir).",
)
@click.option("--public-url", default=None, help="URL clients reach the server at [EVALGRAPH_PUBLIC_URL].")
@click.option("--read-only", is_flag=True, default=None, help="Refuse every write (403) [EVALGRAPH_READ_ONLY].")
@click.option(
    "--allow-update",
    is_flag=True,
    default=None,
    help="Accept SPARQL Update from admin tokens [EVALGRAPH_ALLOW_UPDATE].",
)
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Bearer tokens and roles, one 'NAME ROLE TOKEN-or-sha256:DIGEST' per line [EVALGRAPH_TOKEN_FILE].",
)
@click.option(
    "--query-timeout",
    type=click.FloatRange(min=0.1),
    default=None,
    help="Seconds a SPARQL query may be checked and run before it is stopped (503) [EVALGRAPH_QUERY_TIMEOUT; 30].",
)
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Query worker processes; 0 answers in the server process [EVALGRAPH_WORKERS; 2].",
)
@click.option(
    "--max-waiting",
    type=click.IntRange(min=0),
    default=None,
    help="Requests that may wait for a busy worker; more get 503 [EVALGRAPH_MAX_WAITING; 16].",
)
@click.option(
    "--max-body", type=click.IntRange(min=1), default=None, help="Largest request body, bytes [EVALGRAPH_MAX_BODY]."
)
@click.option(
    "--max-result", type=click.IntRange(min=1), default=None, help="Largest result, bytes [EVALGRAPH_MAX_RESULT]."
)
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Answer one GET request for PATH (e.g. '/sparql?query=…') in-process, print it, and exit.",
)
@click.option("--accept", default="", help="Accept header for --get.")
@pass_context
def serve(context: Context, /, data_dir: Path | None, get_path: str | None, accept: str, **options: object) -> None:
    """Serve the SPARQL 1.1 Protocol endpoint (/sparql), the dossier API (/validate, /dossiers), named queries,
    the cartography, dereferenceable IRIs and the web UI (/ui/), with OpenAPI docs at /docs. Every option also
    reads its EVALGRAPH_… variable (docs/settings.md); see docs/server.md."""
    from evalgraph.web.app import create_app
    from evalgraph.web.service import ServerSettings

    context.settings = get_settings(
        **options,
        data_dir=data_dir or context.settings.data_dir,
        lang=context.settings.lang,
        resources_dir=context.settings.resources_dir,
    )
    settings = context.settings
    server = ServerSettings.from_settings(settings, lang=context.lang, in_process=get_path is not None)
    public_url, host, port = settings.public_url, settings.host, settings.port
    if get_path is not None:
        import asyncio

        import httpx

        app = create_app(context.settings, server, store_factory=context.store)

        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=public_url or "http://localhost") as client:
                return await client.get(get_path, headers={"accept": accept} if accept else {})

        response = asyncio.run(fetch())
        click.echo(response.text, nl=not response.text.endswith("\n"))
        if response.status_code >= 400:
            raise SystemExit(EXIT_CHECK_FAILED)
        return
    import uvicorn

    app = create_app(context.settings, server)
    with context.err.status("evalgraph…"):
        app.state.service.store()  # open and fill the store now: a locked store is a clear error, not a traceback
    context.err.print(message("serve_listening", context.lang, url=public_url or f"http://{host}:{port}"))
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.command()
@click.argument("name")
@click.argument("role", type=click.Choice(["submitter", "reviewer", "admin"]))
@click.option(
    "--append",
    "token_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Append the line (with the token's digest, not the token) to this token file.",
)
@pass_context
def token(context: Context, name: str, role: str, token_file: Path | None) -> None:
    """Make a bearer token for NAME with ROLE: prints the token once, and the token-file line holding its digest."""
    from evalgraph.web.auth import TokenRegistry, new_token

    secret, digest = new_token()
    line = f"{name} {role} {digest}"
    if token_file is not None:
        existing = token_file.read_text(encoding="utf-8") if token_file.exists() else ""
        candidate = existing + ("" if not existing or existing.endswith("\n") else "\n") + line + "\n"
        staged = token_file.with_name(token_file.name + ".new")
        staged.write_text(candidate, encoding="utf-8")
        try:
            TokenRegistry.from_file(staged)  # a duplicate name or a broken file is refused before anything changes
        except EvalgraphError:
            staged.unlink()
            raise
        staged.replace(token_file)
        context.err.print(context.msg("token_appended", file=str(token_file)))
    else:
        context.err.print(context.msg("token_line"))
        context.out.print(line, highlight=False)
    context.err.print(context.msg("token_secret"))
    context.out.print(secret, highlight=False)


# ------------------------------------------------------------------------------------------------------- main
def main(argv: Sequence[str] | None = None) -> Any:
    """Entry point: run the CLI, turning evalgraph errors into messages and exit codes."""
    _state["lang"] = "fr" if os.environ.get("EVALGRAPH_LANG", "en").lower().startswith("fr") else "en"
    try:
        get_settings()  # a bad EVALGRAPH_… value is a clear error before any command runs
        return cli.main(args=list(argv) if argv is not None else None, prog_name="evalgraph", standalone_mode=False)
    except EvalgraphError as exc:
        Console(stderr=True, soft_wrap=True).print(
            f"[red]evalgraph:[/red] {exc.render(_state['lang'])}", highlight=False
        )
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2 if exc.exit_code not in (0, 1) else exc.exit_code)
    except SystemExit:
        raise
    except Exception:  # noqa: BLE001 - last resort: report, never hide
        Console(stderr=True).print_exception()
        sys.exit(EXIT_INTERNAL)
