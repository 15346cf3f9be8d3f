"""The built-in datasets — ontology, reference knowledge base, demo catalogue — and their loading.

Each dataset is a data folder loaded into its own named graph. A SHA-256 of the folder's files is recorded with
the graph; :func:`ensure_loaded` reloads a dataset only when its files changed, so calling it on every command
is cheap and reloading is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from evalgraph import resources
from evalgraph.i18n import message
from evalgraph.store.oxigraph import CATALOGUE_GRAPH, KB_GRAPH, ONTOLOGY_GRAPH, LoadReport, OxigraphStore, content_hash


@dataclass(frozen=True)
class Dataset:
    name: str
    kind: str
    graph: str

    def title(self, lang: str) -> str:
        """What the dataset holds, in ``lang`` (the catalogue's ``dataset_<name>``)."""
        return message(f"dataset_{self.name}", lang)

    @property
    def title_en(self) -> str:
        return self.title("en")

    @property
    def title_fr(self) -> str:
        return self.title("fr")

    def files(self, override: Path | None = None) -> list[Path]:
        return resources.files(self.kind, ".ttl", override)


DATASETS = (
    Dataset("ontology", "ontology", ONTOLOGY_GRAPH),
    Dataset("kb", "kb", KB_GRAPH),
    Dataset("catalogue", "catalogue", CATALOGUE_GRAPH),
)


def ensure_loaded(
    store: OxigraphStore,
    override: Path | None = None,
    *,
    force: bool = False,
    progress: Callable[[Dataset, int], None] | None = None,
    datasets: tuple[str, ...] | None = None,
) -> list[LoadReport]:
    """Load every built-in dataset whose files differ from what the store holds (all of them if ``force``);
    ``datasets`` restricts loading to the named ones."""
    root = resources.root(override)
    reports = []
    for dataset in DATASETS:
        if datasets is not None and dataset.name not in datasets:
            continue
        files = dataset.files(override)
        if not force and store.recorded_hash(dataset.graph) == content_hash(files, root):
            continue
        if progress:
            progress(dataset, len(files))
        reports.append(store.load(files, dataset.graph, allow_reserved=True, source_root=root))
    return reports
