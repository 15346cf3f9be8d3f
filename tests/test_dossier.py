"""Reading dossiers: the three formats agree, and bad input is refused with its location — never fetched."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from evalgraph.dossiers import reading as dossier
from evalgraph.dossiers.validation import to_graph
from evalgraph.errors import DataFileError

DOSSIERS = Path(__file__).parent / "data" / "dossiers"


def _graph(path: Path) -> rdflib.Graph:
    return to_graph(dossier.read(path))


def test_turtle_jsonld_and_yaml_give_the_same_graph() -> None:
    turtle = _graph(DOSSIERS / "minimal.ttl")
    assert len(turtle) == 20
    assert isomorphic(turtle, _graph(DOSSIERS / "minimal.jsonld"))
    assert isomorphic(turtle, _graph(DOSSIERS / "minimal.yaml"))


def _read_text(tmp_path: Path, name: str, text: str) -> list[object]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return list(dossier.read(path))


def test_yaml_keeps_text_as_text(tmp_path: Path) -> None:
    triples = _read_text(tmp_path, "d.yaml", "id: egr:t\ntype: DigitalTechnology\nmanufacturer: {id: egr:o, country: NO}\n"
                         "version: [{id: egr:v, versionNumber: 2.10}]\nmarketLaunch: 2024-01-02\n")
    graph = to_graph(triples)  # type: ignore[arg-type]
    eg = rdflib.Namespace("https://w3id.org/evalgraph/ontology/")
    assert graph.value(rdflib.URIRef("https://w3id.org/evalgraph/id/o"), eg.country) == rdflib.Literal("NO")
    assert graph.value(rdflib.URIRef("https://w3id.org/evalgraph/id/v"), eg.versionNumber) == rdflib.Literal("2.10")
    launch = graph.value(rdflib.URIRef("https://w3id.org/evalgraph/id/t"), eg.marketLaunch)
    assert launch == rdflib.Literal("2024-01-02", datatype=rdflib.XSD.date)


def test_decimal_fields_get_decimal_literals(tmp_path: Path) -> None:
    text = ('{"id": "egr:m", "type": "PerformanceMeasure", "value": 0.752, "ciLower": 0.7, "ciUpper": 1}')
    graph = to_graph(dossier.read_tree("m.json", text, yaml_syntax=False))
    values = {str(p).rsplit("/", 1)[-1]: o for _, p, o in graph if isinstance(o, rdflib.Literal)}
    assert values["value"] == rdflib.Literal("0.752", datatype=rdflib.XSD.decimal)
    assert str(values["ciLower"]) == "0.7" and str(values["ciUpper"]) == "1"
    assert all(v.datatype == rdflib.XSD.decimal for v in values.values())


@pytest.mark.parametrize(
    ("name", "text", "key", "line", "column"),
    [
        ("bad.ttl", "@prefix eg: <https://w3id.org/evalgraph/ontology/> .\neg:x a eg:Y ;\n  eg:p \"z\"\n", "parse_error", 4, 1),
        ("bad.json", '{\n  "id": "egr:x",\n  "type": "DigitalTechnology",\n}\n', "json_error", 4, 1),
        ("bad.jsonld", '{\n  "id": "egr:x"\n  "type": "DigitalTechnology"\n}\n', "json_error", 3, 3),
        ("bad.yaml", "id: egr:x\nlabel:\n  en: [unclosed\n", "yaml_error", 4, 1),
        ("field.yaml", "id: egr:x\ntype: DigitalTechnology\nintendedPurpse: [egv:purpose-diagnosis-aid]\n",
         "dossier_unknown_field_hint", 3, 1),
        ("field.json", '{"id": "egr:x",\n "studies": [{"type": "Study",\n   "sampleSise": 3}]}',
         "dossier_unknown_field_hint", 3, 4),
        ("lang.yaml", "id: egr:x\nlabel: BoneView\n", "dossier_language_map", 2, 1),
        ("list.json", '[1, 2]', "dossier_not_object", 1, 2),
        ("relative.yaml", "id: egr:x\ncareSetting: [setting-radiology]\n", "dossier_not_an_iri", 2, 15),
        ("relative-id.json", '{"id": "egr:x",\n "studies": [{"id": "study-1", "type": "Study"}]}',
         "dossier_not_an_iri", 2, 15),
        ("text-bool.json", '{"id": "egr:x",\n "isAISystem": "true"}', "dossier_wrong_boolean", 2, 2),
        ("yes.yaml", "id: egr:x\nisAISystem: yes\n", "dossier_wrong_boolean", 2, 1),
        ("size.yaml", "id: egr:x\nstudies: [{type: Study, sampleSize: 12.5}]\n", "dossier_wrong_integer", 2, 25),
        ("date.yaml", "id: egr:x\nmarketLaunch: March 2023\n", "dossier_wrong_date", 2, 1),
        ("type.yaml", "id: egr:x\ntype: Technology\n", "dossier_unknown_type", 2, 1),
    ],
)
def test_bad_input_is_located(tmp_path: Path, name: str, text: str, key: str, line: int, column: int) -> None:
    with pytest.raises(DataFileError) as caught:
        _read_text(tmp_path, name, text)
    error = caught.value
    assert (error.key, error.line, error.column) == (key, line, column), error.render()
    assert str(tmp_path / name) in error.render("fr") and f":{line}:{column}" in error.render()


def test_unknown_field_names_its_place_and_a_suggestion(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        _read_text(tmp_path, "f.json", '{"id": "egr:x", "studies": [{"type": "Study", "sampleSise": 3}]}')
    assert "'sampleSise' in $.studies[0]; did you mean 'sampleSize'?" in caught.value.render()
    assert "« sampleSise » dans $.studies[0] ; vouliez-vous dire « sampleSize » ?" in caught.value.render("fr")


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    (tmp_path / "d.csv").write_text("a,b\n")
    with pytest.raises(DataFileError, match="unknown dossier format '.csv'"):
        dossier.read(tmp_path / "d.csv")
    with pytest.raises(DataFileError, match="file not found"):
        dossier.read(tmp_path / "missing.ttl")


def test_empty_dossier_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        _read_text(tmp_path, "e.yaml", "# nothing\n")
    assert caught.value.key == "dossier_empty"


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record (and block) every attempt to open a socket connection or resolve a host name."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ('{"@context": "https://example.org/ctx.jsonld", "id": "egr:x"}', "https://example.org/ctx.jsonld"),
        ('{"@context": ["https://w3id.org/evalgraph/context.jsonld", "http://127.0.0.1:9/c"], "id": "egr:x"}',
         "http://127.0.0.1:9/c"),
        ('{"@context": "context.jsonld", "id": "egr:x"}', "context.jsonld"),
        ('{"@context": {"@import": "https://example.org/c"}, "id": "egr:x"}', "@import"),
        ('{"id": "egr:x", "studies": [{"@context": "https://example.org/nested", "type": "Study"}]}',
         "https://example.org/nested"),
    ],
)
def test_foreign_contexts_are_refused_without_any_connection(
    tmp_path: Path, no_network: list[object], text: str, refused: str
) -> None:
    with pytest.raises(DataFileError) as caught:
        _read_text(tmp_path, "remote.jsonld", text)
    assert caught.value.key == "dossier_context_refused"
    assert refused in caught.value.render()
    assert caught.value.line == 1
    assert no_network == []


def test_evalgraph_context_resolves_locally(no_network: list[object]) -> None:
    assert len(dossier.read(DOSSIERS / "minimal.jsonld")) == 20
    assert no_network == []


def test_turtle_dossier_cannot_reach_out(tmp_path: Path, no_network: list[object]) -> None:
    path = tmp_path / "d.rdf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY e SYSTEM "http://127.0.0.1:9/x">]>\n<r/>\n')
    with pytest.raises(DataFileError) as caught:
        dossier.read(path)
    assert caught.value.key == "doctype_refused"
    assert no_network == []


@pytest.mark.parametrize(
    ("name", "text", "detail"),
    [
        ("bomb.yaml", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "anchors and aliases are not allowed"),
        ("self.yaml", "a: &a [*a]\n", "anchors and aliases are not allowed"),
        ("tag.yaml", "id: !!python/object/apply:os.system [ls]\n", "is not allowed in a dossier"),
        ("int.yaml", "id: egr:x\nsampleSize: !!int abc\n", "'abc' is not a valid int"),
        ("twice.yaml", "id: egr:x\nid: egr:y\n", "the key 'id' appears twice"),
        ("twice.json", '{"id": "egr:x", "id": "egr:y"}', "the key 'id' appears twice"),
        ("deep.json", "[" * 5000 + "]" * 5000, "nested too deeply"),
    ],
)
def test_abusive_input_is_refused_cleanly(tmp_path: Path, name: str, text: str, detail: str) -> None:
    with pytest.raises(DataFileError) as caught:
        _read_text(tmp_path, name, text)
    assert detail in caught.value.render()


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        ("keyword.json", '{"@id": "org-1", "type": "DigitalTechnology"}', "dossier_unknown_field_hint"),
        ("value.json", '{"id": "egr:x", "country": {"@value": "FR"}}', "dossier_unknown_field_hint"),
        ("pipe.json", '{"id": "egr:x", "source": ["https://example.org/a|b"]}', "dossier_not_an_iri"),
        ("typo.json", '{"id": "egr:x", "type": "eg:DigitalTechnolgy"}', "dossier_unknown_type"),
        ("ref.json", '{"id": "egr:x", "studies": ["egr:study-1"]}', "dossier_nested_object"),
        ("none.ttl", "<https://example.org/x> <https://example.org/p> 1 .\n", "dossier_no_technology"),
        ("relative.ttl", "@prefix eg: <https://w3id.org/evalgraph/ontology/> .\n<tech> a eg:DigitalTechnology .\n",
         "parse_error"),
        ("star.ttl", "@prefix eg: <https://w3id.org/evalgraph/ontology/> .\n<https://example.org/t> a "
         "eg:DigitalTechnology ; <https://example.org/p> <<( <https://example.org/a> <https://example.org/b> "
         "<https://example.org/c> )>> .\n", "dossier_rdf_star"),
    ],
)
def test_statements_are_never_dropped_silently(tmp_path: Path, name: str, text: str, key: str) -> None:
    with pytest.raises(DataFileError) as caught:
        _read_text(tmp_path, name, text)
    assert caught.value.key == key, caught.value.render()


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + (DOSSIERS / "minimal.jsonld").read_bytes())
    assert len(dossier.read(path)) == 20
