"""The SHACL shapes of ``shapes/``: for every shape, a dossier it accepts and one it rejects with the exact finding.

Data-driven from ``tests/data/shapes/``: complete base dossiers in Turtle that no shape finds anything in, and
``cases.yaml``, which changes a copy of a base dossier with a SPARQL UPDATE and names the finding that change must
cause (shape, path, severity, and usually focus and value). A shape without a case fails
:func:`test_every_shape_has_a_reject_case`. The shapes also carry French and English messages and cite what they
enforce, and they conform to the SHACL meta-shapes (shacl-shacl).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
import yaml
from rdflib import SH, Literal, URIRef

from evalgraph.dossiers import reading as dossier
from evalgraph.dossiers.validation import EG, Finding, Report, engine
from evalgraph.vocab import EGSH as SHAPES_NS
from evalgraph.vocab import compact

DATA = Path(__file__).parent / "data" / "shapes"
BASES = sorted(p.stem for p in DATA.glob("*.ttl"))
TABLE: dict[str, list[dict[str, Any]]] = yaml.safe_load((DATA / "cases.yaml").read_text(encoding="utf-8"))
REJECT = TABLE["reject"]
ACCEPT = TABLE["accept"]
REJECT_KEYS = {"shape", "variant", "base", "why", "update", "severity", "path", "focus", "value", "also"}
ACCEPT_KEYS = {"id", "base", "why", "update"}
SEVERITIES = {"Violation", "Warning", "Info"}
UPDATE_PREFIXES = """\
PREFIX eg: <https://w3id.org/evalgraph/ontology/>
PREFIX egv: <https://w3id.org/evalgraph/vocab/>
PREFIX egr: <https://w3id.org/evalgraph/id/>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['shape']}-{case['variant']}" if "variant" in case else str(case["shape"])


def _local(shape: str) -> str:
    return shape.removeprefix(SHAPES_NS)


# ------------------------------------------------------------------------------------------------------- helpers


@cache
def _base(name: str) -> tuple[ox.Triple, ...]:
    return tuple(dossier.read(DATA / f"{name}.ttl"))


@cache
def _base_report(name: str) -> Report:
    return engine().validate(_base(name), file=f"{name}.ttl")


def _mutate(base: str, update: str) -> list[ox.Triple]:
    """The triples of ``base`` after running the SPARQL ``update`` on a copy of them."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in _base(base))
    store.update(UPDATE_PREFIXES + update)
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None,
                                                                                           ox.DefaultGraph())]
    assert set(triples) != set(_base(base)), "the update changed nothing: a typo in its IRIs?"
    return triples


def _key(finding: Finding) -> tuple[str, str | None, str]:
    return (_local(finding.shape), finding.path, finding.severity)


def _describe(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.severity} {_local(f.shape)} {compact(f.focus)} {f.path} {f.value!r}: {f.message}"
                     for f in findings) or "  (none)"


def _message_templates(shape: URIRef) -> dict[str, str]:
    """The shape's messages by language: its own, or those of its SPARQL constraints."""
    shapes = engine().shapes
    holders = [shape, *shapes.objects(shape, SH.sparql)]
    return {m.language: str(m) for holder in holders for m in shapes.objects(holder, SH.message)
            if isinstance(m, Literal) and m.language}


def _matches(template: str, message: str) -> bool:
    """True when ``message`` is ``template`` with its {?var} placeholders filled in."""
    pattern = ".+?".join(re.escape(part) for part in re.split(r"\{[?$]\w+\}", template))
    return re.fullmatch(pattern, message, flags=re.DOTALL) is not None


# ------------------------------------------------------------------------------------------------- the case table


def test_case_table_is_well_formed() -> None:
    ids = [_case_id(c) for c in REJECT] + [c["id"] for c in ACCEPT]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    for case in REJECT:
        assert set(case) <= REJECT_KEYS, f"{_case_id(case)}: unknown keys {set(case) - REJECT_KEYS}"
        assert {"shape", "base", "update", "severity", "path"} <= set(case), _case_id(case)
        assert case["base"] in BASES and case["severity"] in SEVERITIES, _case_id(case)
        for also in case.get("also", []):
            assert len(also) == 3 and also[2] in SEVERITIES, f"{_case_id(case)}: also {also}"
    for case in ACCEPT:
        assert set(case) <= ACCEPT_KEYS and {"id", "base", "update"} <= set(case), case
        assert case["base"] in BASES, case["id"]
    used = {c["base"] for c in REJECT}
    assert used == set(BASES), f"base dossiers no case starts from: {set(BASES) - used}"


def test_every_shape_has_a_reject_case() -> None:
    """A new shape needs its case in cases.yaml (and a case for a removed shape must go)."""
    shapes = {_local(s) for s in engine().shape_iris()}
    covered = {c["shape"] for c in REJECT}
    assert shapes - covered == set(), f"shapes without a reject case in {DATA / 'cases.yaml'}"
    assert covered - shapes == set(), "cases for shapes that do not exist or have no sh:severity"
    for case in REJECT:
        for also in case.get("also", []):
            assert also[0] in shapes, f"{_case_id(case)}: unknown shape {also[0]} in also"


# ---------------------------------------------------------------------------------------------------- base dossiers


@pytest.mark.parametrize("base", BASES)
def test_base_dossier_has_no_finding(base: str) -> None:
    report = _base_report(base)
    assert report.subjects, f"{base}.ttl describes no eg:DigitalTechnology"
    assert report.findings == [], f"{base}.ttl must be complete; findings:\n{_describe(report.findings)}"


@pytest.mark.parametrize("case", ACCEPT, ids=[c["id"] for c in ACCEPT])
def test_edge_case_is_accepted(case: dict[str, Any]) -> None:
    report = engine().validate(_mutate(case["base"], case["update"]))
    assert report.findings == [], f"{case['id']} ({case.get('why', '')}):\n{_describe(report.findings)}"


# ---------------------------------------------------------------------------------------------------- reject cases


@pytest.mark.parametrize("case", REJECT, ids=[_case_id(c) for c in REJECT])
def test_shape_rejects_its_case(case: dict[str, Any]) -> None:
    shape = SHAPES_NS + case["shape"]
    # the accept side: the complete base dossier has nothing for this shape
    assert not [f for f in _base_report(case["base"]).findings if f.shape == shape]

    report = engine().validate(_mutate(case["base"], case["update"]), lang="fr")
    expected = (case["shape"], case["path"], case["severity"])
    hits = [f for f in report.findings if _key(f) == expected
            and ("focus" not in case or compact(f.focus) == case["focus"])
            and ("value" not in case or f.value == str(case["value"]))]
    assert len(hits) == 1, f"{_case_id(case)}: expected one {expected} finding; got:\n{_describe(report.findings)}"
    also = {tuple(a) for a in case.get("also", [])}
    assert {_key(f) for f in report.findings} == {expected} | also, \
        f"{_case_id(case)}: unexpected findings:\n{_describe(report.findings)}"

    # the finding speaks French when asked to, and the report keeps the English message beside it
    (finding,) = hits
    templates = _message_templates(URIRef(shape))
    assert _matches(templates["fr"], finding.message), f"not the French message: {finding.message}"
    results = [r for r in report.graph.objects(None, SH.result)
               if report.graph.value(r, SH.sourceShape) == URIRef(shape)]
    for result in results:
        messages = {m.language: str(m) for m in report.graph.objects(result, SH.resultMessage)
                    if isinstance(m, Literal)}
        assert set(messages) == {"fr", "en"}, messages
        assert _matches(templates["en"], messages["en"]) and _matches(templates["fr"], messages["fr"]), messages


def test_messages_follow_the_language_asked_for() -> None:
    case = next(c for c in REJECT if c["shape"] == "PecanTermWithinDuration")
    triples = _mutate(case["base"], case["update"])
    (fr,) = engine().validate(triples, lang="fr").findings
    (en,) = engine().validate(triples, lang="en").findings
    assert fr.message == ("La prise en charge PECAN revendiquée va du 2024-01-15 au 2025-01-16, soit plus que sa "
                          "durée maximale de 12 mois.")
    assert en.message == ("The claimed PECAN coverage runs from 2024-01-15 to 2025-01-16, longer than its maximum "
                          "term of 12 months.")
    case = next(c for c in REJECT if c["shape"] == "ManufacturerRequired")
    triples = _mutate(case["base"], case["update"])
    (fr,) = engine().validate(triples, lang="fr").findings
    (en,) = engine().validate(triples, lang="en").findings
    assert fr.message.startswith("La technologie doit désigner un et un seul fabricant")
    assert en.message.startswith("The technology must name exactly one manufacturer")
    assert fr.sources == en.sources and fr.sources[0].label("fr") != fr.sources[0].label("en")


# ------------------------------------------------------------------------------------------- messages and citations


@pytest.mark.parametrize("shape", [_local(s) for s in engine().shape_iris()])
def test_shape_has_bilingual_messages_and_a_citation(shape: str) -> None:
    graph = engine().shapes
    iri = URIRef(SHAPES_NS + shape)
    templates = _message_templates(iri)
    assert {"fr", "en"} <= set(templates), f"{shape}: sh:message languages {sorted(templates)}"
    assert all(t.strip() for t in templates.values())
    holders = [iri, *graph.subjects(SH.property, iri)]  # its own, or the node shape's that holds it
    cited = {str(o) for holder in holders for o in graph.objects(holder, EG.enforces)}
    assert cited, f"{shape}: no eg:enforces, directly or through its node shape"
    for item in cited:
        citation = engine().citations[item]
        assert {"fr", "en"} <= set(citation.labels), f"{shape}: {item} labels {sorted(citation.labels)}"
        assert citation.url and citation.url.startswith(("https://", "http://")), f"{shape}: {item} has no URL"


# -------------------------------------------------------------------------------------------------- shacl-shacl


@lru_cache(maxsize=1)
def _meta_shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl", format="turtle")


def test_shapes_conform_to_shacl_shacl() -> None:
    conforms, _graph, text = pyshacl.validate(engine().shapes, shacl_graph=_meta_shapes(), inference="none")
    assert conforms, text


def test_shacl_shacl_catches_a_broken_shape() -> None:
    """The meta-validation above is not vacuous."""
    broken = rdflib.Graph()
    broken += engine().shapes
    broken.add((URIRef(SHAPES_NS + "ManufacturerRequired"), SH.minCount, Literal("one")))
    conforms, _graph, _text = pyshacl.validate(broken, shacl_graph=_meta_shapes(), inference="none")
    assert not conforms
