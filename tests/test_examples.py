"""The example dossiers of examples/dossiers/ and the JSON Schema of docs/dossier.schema.json.

Every example parses and validates with exactly the findings its README line announces (the complete ones with no
Violation and no Warning); every JSON and YAML example matches the JSON Schema; the schema names every term of
evalgraph's JSON-LD context, and its lists of controlled values are the concept schemes of ontology/vocabularies/.
Only files of this repository are read.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import rdflib

from evalgraph.dossiers import reading as dossier
from evalgraph.dossiers import validation
from evalgraph.dossiers.validation import Report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "dossiers"
SCHEMA_FILE = ROOT / "docs" / "dossier.schema.json"
CONTEXT_FILE = ROOT / "ontology" / "context.jsonld"
VOCABULARIES = ROOT / "ontology" / "vocabularies"
EGSH = "https://w3id.org/evalgraph/shapes/"
EGV = "https://w3id.org/evalgraph/vocab/"
SKOS = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")

# Complete dossiers: no Violation, no Warning; the Infos each one is allowed (its README line says why).
COMPLETE: dict[str, set[str]] = {
    "boneview.jsonld": {"ReportingGuidelineRecommended"},
    "nabla.yaml": {"StudySourceRecommended"},
    "online-appointment-booking.ttl": set(),
}

# Faulty dossiers: all their findings, as (severity, shape, path).
FAULTY: dict[str, set[tuple[str, str, str]]] = {
    "faulty-rule11-class-i.yaml": {
        ("Violation", "Rule11DecisionSoftwareNotClassI", "eg:hasRegulatoryStatus"),
    },
    "faulty-genai-no-transparency.jsonld": {
        ("Violation", "TransparencyRequired", "eg:transparencyMeasure"),
        ("Warning", "KnownErrorModesRequired", "eg:knownErrorMode"),
        ("Warning", "OutputReviewRequired", "eg:outputReview"),
    },
    "faulty-pecan-claim.ttl": {
        ("Violation", "PecanTermWithinDuration", "eg:validUntil"),
        ("Violation", "LpprASALevelWhenSASufficient", "eg:asaLevel"),
    },
}

EXAMPLE_FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix.lower() in dossier.SUFFIXES)
JSON_OR_YAML = [p for p in EXAMPLE_FILES if p.suffix.lower() in (*dossier.JSON_SUFFIXES, *dossier.YAML_SUFFIXES)]


def _validate(name: str, lang: str = "en") -> Report:
    return validation.engine(ROOT).validate(dossier.read(EXAMPLES / name), file=name, lang=lang)


def _local(shape: str) -> str:
    assert shape.startswith(EGSH), shape
    return shape.removeprefix(EGSH)


# ------------------------------------------------------------------------------------------------------ examples


def test_every_example_has_its_expectation_and_its_readme_line() -> None:
    names = {p.name for p in EXAMPLE_FILES}
    assert names == set(COMPLETE) | set(FAULTY)
    assert len(COMPLETE) >= 3 and {".jsonld", ".yaml", ".ttl"} <= {Path(n).suffix for n in COMPLETE}
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    for name in names:
        assert f"| `{name}` |" in readme, f"{name} has no line in examples/dossiers/README.md"
    for shapes in FAULTY.values():
        for _severity, shape, _path in shapes:
            assert f"egsh:{shape}" in readme


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_example_parses_and_validates(path: Path) -> None:
    triples = dossier.read(path)
    assert len(triples) > 10
    report = validation.engine(ROOT).validate(triples, file=path.name, lang="fr")
    assert len(report.subjects) == 1, "an example describes exactly one technology"
    assert all(f.message and f.sources for f in report.findings)


@pytest.mark.parametrize("name", sorted(COMPLETE))
def test_complete_example_has_no_violation_and_no_warning(name: str) -> None:
    report = _validate(name)
    assert report.conforms
    assert report.counts["Violation"] == 0 and report.counts["Warning"] == 0, [
        (f.severity, f.shape, f.path) for f in report.findings
    ]
    assert {_local(f.shape) for f in report.findings if f.severity == "Info"} == COMPLETE[name]


@pytest.mark.parametrize("name", sorted(FAULTY))
def test_faulty_example_yields_exactly_its_findings(name: str) -> None:
    report = _validate(name)
    assert not report.conforms
    found = {(f.severity, _local(f.shape), f.path) for f in report.findings}
    assert found == FAULTY[name]
    assert len(report.findings) == len(FAULTY[name]), "each expected finding exactly once"


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_validate_exit_code_is_the_readme_one(path: Path, run_cli: Callable[..., Any]) -> None:
    result = run_cli("validate", str(path))
    assert result.exit_code == (0 if path.name in COMPLETE else 1), result.stdout + result.stderr


def test_validate_the_whole_folder(run_cli: Callable[..., Any]) -> None:
    result = run_cli("validate", str(EXAMPLES), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert {Path(f["file"]).name: f["conforms"] for f in document["files"]} == {
        **{name: True for name in COMPLETE}, **{name: False for name in FAULTY}}


def test_rule11_example_does_not_ask_for_a_notified_body() -> None:
    report = _validate("faulty-rule11-class-i.yaml")
    (finding,) = report.findings
    assert finding.shape == EGSH + "Rule11DecisionSoftwareNotClassI"
    assert finding.value == "egr:ce-example-skin-triage"
    assert [c.iri for c in finding.sources] == ["https://w3id.org/evalgraph/id/law-mdr-annex-viii-rule-11"]
    assert not {"NotifiedBodyRequired", "CertificateReferenceRequired", "CertificateDateRequired"} & {
        _local(f.shape) for f in report.findings
    }


def test_pecan_example_names_the_term_and_the_dates() -> None:
    findings = {_local(f.shape): f for f in _validate("faulty-pecan-claim.ttl", lang="fr").findings}
    pecan = findings["PecanTermWithinDuration"]
    assert pecan.value == "2025-07-14"
    assert "2024-01-15" in pecan.message and "12 mois" in pecan.message
    assert findings["LpprASALevelWhenSASufficient"].focus.endswith("assessment-example-sleep-therapy-lppr")


def test_genai_example_cites_ai_act_article_50() -> None:
    (violation,) = [f for f in _validate("faulty-genai-no-transparency.jsonld").findings if f.severity == "Violation"]
    assert [c.iri for c in violation.sources] == ["https://w3id.org/evalgraph/id/law-ai-act-art-50"]


# ------------------------------------------------------------------------------------------------------ JSON Schema




def _load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in dossier.YAML_SUFFIXES:
        return dossier.load_yaml(str(path), text)
    return json.loads(text)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    value: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return value


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", JSON_OR_YAML, ids=lambda p: p.name)
def test_json_and_yaml_examples_match_the_schema(path: Path, validator: jsonschema.Draft202012Validator) -> None:
    errors = [f"{e.json_path}: {e.message}" for e in validator.iter_errors(_load(path))]
    assert not errors


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"labell": {"en": "x"}}, "a misspelt field"),
        ({"label": "BoneView"}, "a text field that is not a language map"),
        ({"intendedPurpose": ["purpose-diagnosis-aid"]}, "a concept without its egv: prefix"),
        ({"intendedPurpose": "egv:purpose-diagnosis-aid"}, "a set field given as a single value"),
        ({"isAISystem": "true"}, "a boolean written as text"),
        ({"marketLaunch": "March 2023"}, "a date not written YYYY-MM-DD"),
        ({"@context": "https://example.org/context.jsonld"}, "another context"),
        ({"studies": [{"type": "Study", "sampleSize": 12.5}]}, "a non-integer sample size"),
        ({"regulatoryStatus": [{"type": "CEMarking", "underRegulation": "egr:law-mdr",
                                "deviceClass": "egv:device-class-IV"}]}, "an unknown device class"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_schema_refuses_typical_mistakes(change: dict[str, Any], why: str,
                                         validator: jsonschema.Draft202012Validator) -> None:
    document = {**_load(EXAMPLES / "boneview.jsonld"), **change}
    assert not validator.is_valid(document), why


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_every_context_term_is_in_the_schema(schema: dict[str, Any]) -> None:
    context = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    prefixes = {k for k, v in context.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    terms = {k for k in context if not k.startswith("@") and k not in prefixes}
    fields: set[str] = set()
    type_names: set[str] = set()
    for node in _walk(schema):
        fields |= set(node.get("properties", {}))
        kind = node.get("properties", {}).get("type", {})
        type_names |= {kind["const"]} if "const" in kind else set(kind.get("enum", []))
    assert terms - fields - type_names == set(), "context terms missing from docs/dossier.schema.json"
    assert fields - terms - {"@context"} == set(), "schema fields that are not context terms"
    classes = {k for k, v in context.items() if isinstance(v, str) and k in terms and k not in ("id", "type")}
    assert type_names == classes, "every class of the context is a type value of the schema, and only those"


def test_every_object_of_the_schema_is_closed(schema: dict[str, Any]) -> None:
    for node in _walk(schema):
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, sorted(node["properties"])


def test_every_field_is_described_in_english_and_french(schema: dict[str, Any]) -> None:
    for node in _walk(schema):
        for name, definition in node.get("properties", {}).items():
            if "description" in definition and name != "type":
                english, _, french = definition["description"].partition(" / ")
                assert english and french, f"{name}: description must be 'English / French'"


def test_controlled_values_are_the_concept_schemes(schema: dict[str, Any]) -> None:
    graph = rdflib.Graph()
    for file in sorted(VOCABULARIES.glob("*.ttl")):
        graph.parse(file, format="turtle")
    concepts: dict[str, set[str]] = defaultdict(set)
    for concept, scheme in graph.subject_objects(SKOS.inScheme):
        concepts[str(scheme).removeprefix(EGV)].add("egv:" + str(concept).removeprefix(EGV))
    definitions = schema["$defs"]
    checked = 0
    for name, definition in definitions.items():
        if name.endswith("Scheme"):
            assert set(definition["enum"]) == concepts[name], name
            checked += 1
    assert set(definitions["DeviceClass"]["enum"]) == concepts["MedicalDeviceClassScheme"] | concepts["IVDClassScheme"]
    assert checked >= 14
