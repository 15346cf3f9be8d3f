"""The dossier registry's own terms: a dossier's versions are eg:hasDossierVersion / eg:dossierVersionNumber (until
2026-12-06 the registry wrote eg:hasVersion / eg:versionNumber, whose definitions in ontology/technology.ttl — a
technology's version, its number as text — contradicted the dossier's: every use was inconsistent in OWL). Registries
written before are still read."""

from __future__ import annotations

import pyoxigraph as ox

from evalgraph.dossiers.versions import DossierStore
from evalgraph.vocab import EG

REGISTRY_TERMS = (EG + "hasVersion", EG + "versionNumber", EG + "hasDossierVersion", EG + "dossierVersionNumber")


def submit(store: DossierStore, dossier: str | None = None):  # type: ignore[no-untyped-def]
    triple = ox.Triple(ox.NamedNode("https://example.org/t"), ox.NamedNode(EG + "manufacturer"),
                       ox.NamedNode("https://example.org/m"))
    return store.submit(owner="alice", file_name="d.ttl", media_type="text/turtle", source=b"x", triples=[triple],
                        conforms=True, violations=0, warnings=0, technologies=[], dossier=dossier)


def test_versions_are_recorded_with_the_registry_terms_and_old_registries_still_read() -> None:
    store = DossierStore(None)
    first = submit(store)
    submit(store, first.dossier)
    used = {q.predicate.value for q in store._store.quads_for_pattern(None, None, None, None)}  # noqa: SLF001
    assert {EG + "hasDossierVersion", EG + "dossierVersionNumber"} <= used
    assert not {EG + "hasVersion", EG + "versionNumber"} & used
    assert [v.number for v in store.get(first.dossier).versions] == [1, 2]  # type: ignore[union-attr]

    # a registry written before: its eg:hasVersion links are rewritten to the old term, and still read
    old = [q for q in store._store.quads_for_pattern(None, ox.NamedNode(EG + "hasDossierVersion"), None, None)]  # noqa: SLF001
    for quad in old:
        store._store.remove(quad)  # noqa: SLF001
        store._store.add(ox.Quad(quad.subject, ox.NamedNode(EG + "hasVersion"), quad.object, quad.graph_name))  # noqa: SLF001
    assert [v.number for v in store.get(first.dossier).versions] == [1, 2]  # type: ignore[union-attr]
    assert submit(store, first.dossier).number == 3  # numbering goes on from the old links
    store.close()
