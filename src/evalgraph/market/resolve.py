"""Entity resolution: one technology per real product. A record joins the known technology that holds one of its
FDA submission numbers or EUDAMED identifiers, else the one with the same product name by the same manufacturer
(:func:`.names.decide`); a look-alike (a name holding the other's words by the same company, the same name by another
company) or several candidates go to the review list, and the record describes a technology of its own meanwhile.
Technologies the record creates join the index, so later records of the same file find them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from evalgraph.establishments.inventory.naming import slug
from evalgraph.market.names import alternatives, decide_normal, manufacturer
from evalgraph.market.records import Entry
from evalgraph.store import queries
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import EGR


@dataclass
class Known:
    names: set[str] = field(default_factory=set)
    makers: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Resolution:
    """The technology a record describes, how it was found, and the candidates a reviewer should look at."""

    technology: str
    method: str  # submission, eudamed, name-and-manufacturer, new
    review: tuple[str, ...] = ()
    created: bool = False


class Index:
    """The known technologies by identifier, compact product name and manufacturer's first word."""

    def __init__(self) -> None:
        self.known: dict[str, Known] = {}
        self.by_id: dict[str, set[str]] = {}
        self.by_name: dict[str, set[str]] = {}
        self.by_maker: dict[str, set[str]] = {}

    @classmethod
    def from_store(cls, store: OxigraphStore, override: Path | None = None) -> Index:
        index = cls()
        for technology, kind, value in store.query(queries.load("market-identities", override).text).rows:
            if isinstance(technology, ox.NamedNode) and isinstance(kind, ox.Literal) and isinstance(value, ox.Literal):
                index.add(technology.value, kind.value, value.value)
        return index

    def add(self, technology: str, kind: str, value: str) -> None:
        known = self.known.setdefault(technology, Known())
        if kind in ("submission", "eudamed"):
            self.by_id.setdefault(value.upper() if kind == "submission" else value.lower(), set()).add(technology)
        elif kind == "name":
            for name in alternatives(value):
                known.names.add(name)
                self.by_name.setdefault(name.replace(" ", ""), set()).add(technology)
        elif kind == "maker":
            known.makers.add(manufacturer(value))
            words = manufacturer(value).split()
            if words:
                self.by_maker.setdefault(words[0], set()).add(technology)

    def learn(self, technology: str, entry: Entry) -> None:
        """What ``entry`` says of ``technology``, for the records that follow."""
        self.add(technology, "name", entry.name)
        self.add(technology, "maker", entry.maker)
        for number in entry.submissions:
            self.add(technology, "submission", number)
        for uuid, _name in entry.eudamed:
            self.add(technology, "eudamed", uuid)

    def _decisions(self, entry: Entry) -> dict[str, str]:
        """Each candidate technology with the strongest decision any of its (name, maker) pairs gives."""
        names, maker = alternatives(entry.name), manufacturer(entry.maker)
        words = maker.split()
        candidates = {t for name in names for t in self.by_name.get(name.replace(" ", ""), set())}
        candidates |= self.by_maker.get(words[0], set()) if words else set()
        rank = {"different": 0, "review": 1, "same": 2}
        found: dict[str, str] = {}
        for technology in candidates:
            known = self.known[technology]
            best = "different"
            for name in names:
                for other in known.names:
                    for other_maker in known.makers or {""}:
                        decision = decide_normal(name, maker, other, other_maker)
                        best = decision if rank[decision] > rank[best] else best
            if best != "different":
                found[technology] = best
        return found

    def resolve(self, entry: Entry, source: str, previous: str | None = None) -> Resolution:
        """The technology ``entry`` describes (created when no known one is it, under ``previous``, the IRI an earlier
        resolution of the same record gave, when there is one) — and learn it."""
        resolution = self._find(entry, source, previous)
        self.learn(resolution.technology, entry)
        return resolution

    def _find(self, entry: Entry, source: str, previous: str | None = None) -> Resolution:
        for method, ids in (("submission", entry.submissions), ("eudamed", [u for u, _ in entry.eudamed])):
            holders = sorted({t for i in ids for t in self.by_id.get(i.upper() if method == "submission" else i, ())})
            if len(holders) == 1:
                return Resolution(holders[0], method)
            if holders:
                return Resolution(holders[0], method, tuple(holders[1:]))
        decisions = self._decisions(entry)
        same = sorted(t for t, d in decisions.items() if d == "same")
        if len(same) == 1:
            return Resolution(same[0], "name-and-manufacturer")
        technology = previous or self._new_iri(entry, source)
        return Resolution(technology, "new", tuple(sorted(decisions)), created=True)

    def _new_iri(self, entry: Entry, source: str) -> str:
        base = f"{EGR}product-{slug(manufacturer(entry.maker))[:40]}-{slug(entry.name)[:60]}"
        iri, n = base, 1
        while iri in self.known:
            n += 1
            iri = f"{base}-{n}"
        return iri
