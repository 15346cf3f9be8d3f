"""The market: public registries of AI medical devices imported into the graph (``evalgraph import <source> FILE``),
one snapshot per named graph with its PROV-O provenance, one technology per real product across sources (entity
resolution, :mod:`.resolve`), and the FDA list shipped with the package so that a fresh install holds the US market
(:mod:`.shipped`). What each registry value means is data (``forms/market.ttl``, :mod:`.config`). Conventions:
docs/market.md."""

from evalgraph.market.importing import ImportReport, import_file

__all__ = ["ImportReport", "import_file"]
