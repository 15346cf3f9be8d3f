"""``evalgraph import <source> FILE``: a registry file read, its records resolved to technologies and written with
their provenance to the source's named graph, replacing the previous snapshot — and what changed since it (records
added, removed, modified). The same file again changes nothing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from evalgraph.market import readers
from evalgraph.market.config import Source, mappings, source
from evalgraph.market.records import Entry, Problem
from evalgraph.market.resolve import Index
from evalgraph.market.triples import Made, eg, labels, make, typed
from evalgraph.store.oxigraph import CATALOGUE_GRAPH, OxigraphStore, read_bytes
from evalgraph.vocab import DCT, EG, EGR, PROV, RDF

READERS: dict[str, Callable[[Path, bytes], readers.Read]] = {
    "fda": readers.read_fda,
    "hair": readers.read_hair,
    "dlinrt": readers.read_dlinrt,
    "eudamed-crosswalk": readers.read_crosswalk,
    "fda-adverse-events": readers.read_adverse_events,
}
_DATE_IN_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass
class ImportReport:
    """What an import did: the snapshot, its records and how they resolved, what changed since the previous
    snapshot, the values no mapping reads, and the rows left out."""

    source: str
    graph: str
    file: str
    sha256: str
    snapshot_date: str
    unchanged: bool = False
    records: int = 0
    methods: dict[str, int] = field(default_factory=dict)
    created: int = 0
    reviews: int = 0
    added: int = 0
    removed: int = 0
    modified: int = 0
    triples: int = 0
    unmapped: dict[str, dict[str, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    catalogue: str | None = None
    """The catalogue version (its graph's recorded hash) the records were matched against."""


def previous_records(store: OxigraphStore, graph: str) -> tuple[dict[str, str], str | None]:
    """The record keys and hashes of the snapshot ``graph`` holds, and that snapshot's SHA-256."""
    if graph not in store.graph_iris():
        return {}, None
    result = store.query(
        f"PREFIX eg: <{EG}> SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o "
        "VALUES ?p { eg:recordHash eg:sha256 } } }"
    )
    records: dict[str, str] = {}
    sha = None
    for subject, predicate, value in result.rows:
        if isinstance(subject, ox.NamedNode) and isinstance(predicate, ox.NamedNode) and isinstance(value, ox.Literal):
            if predicate.value == EG + "recordHash":
                records[subject.value] = value.value
            else:
                sha = value.value
    return records, sha


def snapshot_date(file: Path, entries: list[Entry], given: str | None) -> str:
    """The snapshot's date: as given, else a date in the file's name, else the latest date of its records, else
    today."""
    if given:
        return date.fromisoformat(given).isoformat()
    match = _DATE_IN_NAME.search(file.name)
    if match:
        return match.group(1)
    return max(readers.dates_in(entries), default=date.today().isoformat())


def import_file(
    store: OxigraphStore,
    key: str,
    file: Path,
    *,
    override: Path | None = None,
    snapshot: str | None = None,
    reports: Path | None = None,
    rematch: bool = False,
) -> ImportReport:
    """Import ``file`` as the new snapshot of registry ``key`` (``reports``: the MAUDE reports file of the
    adverse-event source); its graph is replaced unless the file is the one it already holds. ``rematch``: match its
    records again even so, against the technologies the store holds without this snapshot (a record no known
    technology is keeps the IRI the snapshot gave it)."""
    chosen = source(key, override)
    data = read_bytes(file)
    digest = hashlib.sha256(data + (read_bytes(reports) if reports else b"")).hexdigest()
    entries, problems = _read(key, file, data, reports)
    report = ImportReport(key, chosen.graph, file.name, digest, snapshot_date(file, entries, snapshot))
    report.problems = problems
    old, old_sha = previous_records(store, chosen.graph)
    if old_sha == digest and not rematch:
        report.unchanged, report.records = True, len(old)
        return report
    identities = previous_identities(store, chosen.graph) if rematch else {}
    if rematch:
        store.drop_graphs([chosen.graph])  # else its records would stand as candidates next to the catalogue's
    report.catalogue = store.recorded_hash(CATALOGUE_GRAPH)
    made = _build(store, chosen, entries, report, override, identities)
    new = {_record_iri(key, e.key): e.digest() for e in entries}
    report.added = len(new.keys() - old.keys())
    report.removed = len(old.keys() - new.keys())
    report.modified = sum(1 for k in new.keys() & old.keys() if new[k] != old[k])
    made.add(*_snapshot(chosen, report))
    report.triples = store.write_graph(made.triples, chosen.graph, source=f"{file.name} sha256:{digest}")
    return report


def _record_iri(key: str, record: str) -> str:
    return f"{EGR}record-{key}-{_slug(record)}"


def _slug(text: str) -> str:
    from evalgraph.establishments.inventory.naming import slug

    return slug(text)


def _read(key: str, file: Path, data: bytes, reports: Path | None) -> readers.Read:
    if key == "fda-adverse-events" and reports is not None:
        counts, problems = readers.event_counts(reports, read_bytes(reports))
        entries, more = readers.read_adverse_events(file, data, counts)
        return entries, [*problems, *more]
    return READERS[key](file, data)


def previous_identities(store: OxigraphStore, graph: str) -> dict[str, str]:
    """The technology each record of the snapshot ``graph`` holds was matched to (record IRI → technology IRI)."""
    result = store.query(f"PREFIX eg: <{EG}> SELECT ?r ?t WHERE {{ GRAPH <{graph}> {{ ?r eg:recordOf ?t }} }}")
    return {r.value: t.value for r, t in result.rows if isinstance(r, ox.NamedNode) and isinstance(t, ox.NamedNode)}


def _build(
    store: OxigraphStore,
    chosen: Source,
    entries: list[Entry],
    report: ImportReport,
    override: Path | None,
    identities: dict[str, str],
) -> Made:
    """The records' statements, each record resolved against the store's technologies (the previous snapshot of
    this source included, so that its products keep their IRIs; or, when it is matched again, ``identities``)."""
    index = Index.from_store(store, override)
    rules = mappings(override)
    snapshot = _snapshot_iri(chosen, report.sha256)
    made = Made()
    seen: set[str] = set()
    for entry in entries:
        if entry.key in seen:
            report.problems.append(Problem(report.file, entry.row, "key", entry.key, "a key no other row has"))
            continue
        seen.add(entry.key)
        found = index.resolve(entry, chosen.key, identities.get(_record_iri(chosen.key, entry.key)))
        make(made, chosen, entry, found, snapshot, rules)
        report.records += 1
        report.methods[found.method] = report.methods.get(found.method, 0) + 1
        report.created += found.created
        report.reviews += bool(found.review)
    report.unmapped = made.unmapped
    return made


def _snapshot_iri(chosen: Source, sha: str) -> ox.NamedNode:
    return ox.NamedNode(f"{EGR}snapshot-{chosen.key}-{sha[:16]}")


def _snapshot(chosen: Source, report: ImportReport) -> list[ox.Triple]:
    """The snapshot's provenance (PROV-O): derived from the dataset, its file, SHA-256, date, licence, counts."""
    node, dataset = _snapshot_iri(chosen, report.sha256), ox.NamedNode(chosen.dataset)
    licence = [t.object for t in chosen.description if t.predicate.value in (DCT + "license", DCT + "rights")]
    counts = {"recordCount": report.records, "recordsAdded": report.added, "recordsRemoved": report.removed,
              "recordsModified": report.modified}  # fmt: skip
    return [
        *chosen.description,
        ox.Triple(node, ox.NamedNode(RDF + "type"), eg("RegistrySnapshot")),
        *labels(node, f"{chosen.key} {report.file} ({report.snapshot_date})"),
        ox.Triple(node, ox.NamedNode(PROV + "wasDerivedFrom"), dataset),
        ox.Triple(node, ox.NamedNode(DCT + "source"), dataset),
        ox.Triple(node, eg("fileName"), ox.Literal(report.file)),
        ox.Triple(node, eg("sha256"), ox.Literal(report.sha256)),
        ox.Triple(node, eg("snapshotDate"), typed(report.snapshot_date, "date")),
        *([ox.Triple(node, eg("catalogueSha256"), ox.Literal(report.catalogue))] if report.catalogue else []),
        *(
            ox.Triple(node, ox.NamedNode(DCT + ("license" if isinstance(v, ox.NamedNode) else "rights")), v)
            for v in licence
        ),
        *(ox.Triple(node, eg(name), typed(count, "nonNegativeInteger")) for name, count in counts.items()),
    ]
