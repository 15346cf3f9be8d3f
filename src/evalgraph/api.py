"""evalgraph from Python: what a notebook or a script calls (docs/api.md).

>>> import evalgraph
>>> store = evalgraph.open_store()                       # the embedded store, loaded on first use
>>> evalgraph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", store).rows[0][0].value
>>> report = evalgraph.validate("examples/dossiers/boneview.ttl")
>>> report.conforms, [f.message for f in report.findings]
>>> result = evalgraph.qualify("BoneView", store)
>>> result.gap, [c.status for c in result.conclusions]

Each function raises evalgraph's errors (:class:`evalgraph.EvalgraphError` and its subclasses), whose messages
name the file, line or field at fault; none prints or exits.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from evalgraph.dossiers import reading, validation
from evalgraph.errors import UsageError
from evalgraph.market import shipped
from evalgraph.qualification import engine
from evalgraph.settings import Settings
from evalgraph.store.oxigraph import OxigraphStore, QueryResult
from evalgraph.store.oxigraph import open_store as _open


def open_store(path: str | Path | None = None, *, load: bool = True) -> OxigraphStore:
    """The embedded store at ``path`` (a folder; default: the ``store`` folder of ``EVALGRAPH_DATA_DIR`` or the
    platform's data directory), with the ontology, knowledge base and demo catalogue loaded when they are missing
    or changed, and the shipped FDA market when the store holds none — what the command line and the web service
    see (``load=False`` leaves it as it is). Close it (``store.close()``) before another process opens it."""
    location = Path(path) if path is not None else Settings().store_path
    store = _open(location)
    if load:
        shipped.ensure_loaded(store)
    return store


def query(sparql: str, store: OxigraphStore | None = None, **bindings: str | ox.NamedNode | ox.Literal) -> QueryResult:
    """Run a read-only SPARQL query (checked by the guard, as on the endpoint). ``bindings`` give variables their
    values — a ``str`` that looks like an IRI (``https://…``) is an IRI, any other ``str`` a literal — never pasted
    into the text."""
    values = {name: _term(value) for name, value in bindings.items()}
    return (store or open_store()).query(sparql, values or None)


def validate(dossier: str | Path, *, lang: str = "en") -> validation.Report:
    """Validate one dossier file (Turtle, JSON-LD or YAML) against the SHACL shapes; the report lists every finding
    with its severity, focus, message and source. Raises :class:`evalgraph.DataFileError` when the file cannot be
    read or is over a dossier limit (docs/dossiers.md)."""
    path = Path(dossier)
    limits = reading.Limits.from_settings(Settings())
    return validation.engine().validate(reading.read(path, limits), file=str(path), lang=lang)


def qualify(technology: str | Path, store: OxigraphStore | None = None) -> engine.Qualification:
    """Qualify a technology of the store (an IRI, a prefixed name such as ``egr:tech-boneview``, or a label that
    only one technology has) or a dossier file (qualified against the built-in data, in a scratch store): its
    qualification, class, categories, eligible pathways, obligations and evaluation gap, with the steps taken."""
    if isinstance(technology, Path) or Path(str(technology)).suffix.lower() in reading.SUFFIXES:
        _model, results = engine.qualify_dossier(reading.read(Path(technology)), None, source=str(technology))
        if len(results) != 1:
            raise UsageError("qualify_dossier_subjects", file=str(technology), count=len(results))
        return results[0]
    the_store = store or open_store()
    iri = engine.resolve_technology(the_store, str(technology))
    return engine.qualify(engine.DecisionModel(the_store), engine.read_facts(the_store, iri))


def _term(value: str | ox.NamedNode | ox.Literal) -> ox.NamedNode | ox.Literal:
    if isinstance(value, ox.NamedNode | ox.Literal):
        return value
    return ox.NamedNode(value) if value.split(":", 1)[0] in ("http", "https", "urn") else ox.Literal(value)
