"""Candidates of a comparison: a technology of the store (by IRI, prefixed name or unambiguous name) or a dossier
file, qualified where its facts are — the store, or a scratch store holding the ontology, the knowledge base and
the dossier (statements about reference terms left out, as in validation and ``qualify``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from evalgraph.errors import UsageError
from evalgraph.qualification import engine as q
from evalgraph.store.oxigraph import IMPORT_GRAPH_BASE, OxigraphStore, open_store

from .model import Candidate

DOSSIER_GRAPH = IMPORT_GRAPH_BASE + "dossier"


@dataclass
class Loaded:
    """A candidate with the store its facts are read from and its qualification."""

    candidate: Candidate
    store: OxigraphStore
    model: q.DecisionModel
    qualification: q.Qualification


@dataclass(frozen=True)
class Received:
    """A dossier received rather than named by path (the web service's ``POST /compare``): its name for messages
    and its statements, already read by the dossier reader within the dossier limits."""

    name: str
    triples: list[ox.Triple]


def is_dossier(target: str) -> bool:
    from evalgraph.dossiers import reading

    return Path(target).suffix.lower() in reading.SUFFIXES


def _label(labels: dict[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), fallback)


def _from_dossier(dossier: Path | Received, key: str, lang: str, override: Path | None) -> Loaded:
    from evalgraph.dossiers import reading, validation
    from evalgraph.store import kb

    triples = dossier.triples if isinstance(dossier, Received) else reading.read(dossier)
    shown = dossier.name if isinstance(dossier, Received) else str(dossier)
    kept, _ignored = validation.engine(override).without_reference_statements(triples)
    scratch = open_store(None)
    kb.ensure_loaded(scratch, override, datasets=("ontology", "kb"))
    scratch.write_graph(kept, DOSSIER_GRAPH, source=shown)
    techs = q.technologies(scratch)
    if len(techs) != 1:
        raise UsageError("qualify_dossier_subjects", file=shown, count=len(techs))
    iri, labels = techs[0]
    model = q.DecisionModel(scratch)
    candidate = Candidate(key, iri, _label(labels, lang, iri), "dossier", dossier.name)
    return Loaded(candidate, scratch, model, q.qualify(model, q.read_facts(scratch, iri)))


def load(
    store: OxigraphStore,
    targets: Sequence[str | Received],
    lang: str,
    override: Path | None = None,
    files: bool = True,
) -> list[Loaded]:
    """The candidates ``targets`` names, in the order given (a comparison ranks nothing); at least two, each once.
    A name with a dossier's suffix is read as a file only with ``files`` (the command line; never the web
    service, which receives its dossiers)."""
    if len(targets) < 2:
        raise UsageError("compare_too_few")
    loaded: list[Loaded] = []
    model: q.DecisionModel | None = None
    labels = dict(q.technologies(store))
    for index, target in enumerate(targets, start=1):
        key = f"c{index}"
        if isinstance(target, Received) or (files and is_dossier(target)):
            loaded.append(_from_dossier(target if isinstance(target, Received) else Path(target), key, lang, override))
            continue
        iri = q.resolve_technology(store, target)
        model = model or q.DecisionModel(store)
        candidate = Candidate(key, iri, _label(labels.get(iri, {}), lang, iri), "store")
        loaded.append(Loaded(candidate, store, model, q.qualify(model, q.read_facts(store, iri))))
    seen = [(x.candidate.iri, x.candidate.kind) for x in loaded]
    duplicates = sorted({iri for iri, kind in seen if seen.count((iri, kind)) > 1})
    if duplicates:
        raise UsageError("compare_duplicate", names=", ".join(duplicates))
    return loaded
