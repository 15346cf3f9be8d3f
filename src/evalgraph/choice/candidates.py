"""Candidates of a comparison: a technology of the store (by IRI, prefixed name or unambiguous name) or a dossier
file, qualified where its facts are — the store, or a scratch store holding the ontology, the knowledge base and
the dossier (statements about reference terms left out, as in validation and ``qualify``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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


def is_dossier(target: str) -> bool:
    from evalgraph.dossiers import reading

    return Path(target).suffix.lower() in reading.SUFFIXES


def _label(labels: dict[str, str], lang: str, fallback: str) -> str:
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), fallback)


def _from_dossier(path: Path, key: str, lang: str, override: Path | None) -> Loaded:
    from evalgraph.dossiers import reading, validation
    from evalgraph.store import kb

    kept, _ignored = validation.engine(override).without_reference_statements(reading.read(path))
    scratch = open_store(None)
    kb.ensure_loaded(scratch, override, datasets=("ontology", "kb"))
    scratch.write_graph(kept, DOSSIER_GRAPH, source=str(path))
    techs = q.technologies(scratch)
    if len(techs) != 1:
        raise UsageError("qualify_dossier_subjects", file=str(path), count=len(techs))
    iri, labels = techs[0]
    model = q.DecisionModel(scratch)
    candidate = Candidate(key, iri, _label(labels, lang, iri), "dossier", path.name)
    return Loaded(candidate, scratch, model, q.qualify(model, q.read_facts(scratch, iri)))


def load(store: OxigraphStore, targets: list[str], lang: str, override: Path | None = None) -> list[Loaded]:
    """The candidates ``targets`` names, in the order given (a comparison ranks nothing); at least two, each once."""
    if len(targets) < 2:
        raise UsageError("compare_too_few")
    loaded: list[Loaded] = []
    model: q.DecisionModel | None = None
    labels = dict(q.technologies(store))
    for index, target in enumerate(targets, start=1):
        key = f"c{index}"
        if is_dossier(target):
            loaded.append(_from_dossier(Path(target), key, lang, override))
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
