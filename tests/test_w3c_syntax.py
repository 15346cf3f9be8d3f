"""No false refusals: the W3C SPARQL 1.1 syntax suites (syntax-query, syntax-update-1, syntax-update-2; copied
unchanged with their licence in tests/data/w3c-sparql11) through the guard, then Oxigraph.

A positive test passes when the guard accepts it and Oxigraph parses the canonical text — or when the guard refuses
it by *policy* after parsing it (LOAD, CLEAR/DROP ALL or NAMED: never run here, whatever the syntax). A negative test
passes when the guard or Oxigraph refuses it. The graphs the tests name are taken as known (FROM <…> of a test is a
graph the store holds)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from evalgraph.errors import EvalgraphError, QuerySyntaxError, ReservedGraphError, UnsafeQueryError
from evalgraph.store import guard as sparql_guard

ROOT = Path(__file__).parent / "data" / "w3c-sparql11"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RESERVED = frozenset({"https://w3id.org/evalgraph/graph/ontology"})


class EveryGraph(frozenset[str]):
    """The graphs a syntax test names are all known."""

    def __contains__(self, item: object) -> bool:
        return True


def cases() -> list[tuple[str, str, bool, bool]]:
    found = []
    for folder in ("syntax-query", "syntax-update-1", "syntax-update-2"):
        manifest = ROOT / folder / "manifest.ttl"
        quads = list(ox.parse(path=str(manifest), format=ox.RdfFormat.TURTLE, base_iri=manifest.resolve().as_uri()))
        kinds = {q.subject: q.object.value.removeprefix(MF) for q in quads
                 if q.predicate.value.endswith("#type") and q.object.value.startswith(MF)}
        actions = {q.subject: q.object.value for q in quads if q.predicate.value == MF + "action"}
        for test, kind in kinds.items():
            if test in actions:
                found.append((folder, actions[test].removeprefix("file://"), kind.startswith("Positive"),
                              "Update" in kind))
    return sorted(found)


CASES = cases()
OUTCOMES: dict[str, list[str]] = {}


def verdict(path: Path, update: bool) -> str:
    """``accepted``, ``policy`` (parsed, refused by policy) or ``refused``."""
    text = path.read_bytes().decode("utf-8", "replace")
    base = path.resolve().as_uri()
    try:
        if update:
            checked = sparql_guard.check_update(text, EveryGraph(), RESERVED, base_iri=base)
            ox.Store().update(checked)  # a scratch store: the guard has refused LOAD
        else:
            ox.Store().query(sparql_guard.check_query(text, EveryGraph(), base_iri=base).text)
    except (UnsafeQueryError, ReservedGraphError) as exc:
        return "policy" if exc.key in ("unsafe_load", "update_all_graphs") else "refused"
    except (QuerySyntaxError, EvalgraphError, SyntaxError):
        return "refused"
    except (OSError, RuntimeError):
        return "accepted"  # parsed; failed to evaluate (an unknown custom function, a missing graph…)
    return "accepted"


@pytest.mark.parametrize(("folder", "action", "positive", "update"), CASES,
                         ids=[f"{c[0]}/{Path(c[1]).name}" for c in CASES])
def test_w3c_syntax(folder: str, action: str, positive: bool, update: bool) -> None:
    path = Path(action)
    outcome = verdict(path, update)
    OUTCOMES.setdefault(f"{folder} {'positive' if positive else 'negative'}", []).append(outcome)
    if not positive:
        assert outcome in ("refused", "policy")
    else:
        assert outcome in ("accepted", "policy")


def test_w3c_counts() -> None:
    """The suites as shipped: 63 + 31 query tests, 42 + 13 update tests; runs after the parametrised test."""
    if not OUTCOMES:
        pytest.fail("run the whole module")
    counts = {key: {o: values.count(o) for o in set(values)} for key, values in OUTCOMES.items()}
    assert sum(len(v) for v in OUTCOMES.values()) == len(CASES) == 149
    assert counts["syntax-query negative"] == {"refused": 31}
    assert counts["syntax-update-1 negative"] == {"refused": 13}
    assert counts["syntax-update-1 positive"] == {"accepted": 28, "policy": 13}  # LOAD, CLEAR/DROP ALL or NAMED
    assert counts["syntax-update-2 positive"] == {"accepted": 1}
    assert counts["syntax-query positive"] == {"accepted": 63}  # no false refusal
