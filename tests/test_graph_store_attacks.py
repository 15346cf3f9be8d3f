"""An attacker's suite for the server's Graph Store Protocol writes (PUT / POST /store?graph=IRI): whatever the graph
parameter, the body, its media type or the token, a write lands in a graph that is not reserved or nowhere; the
answer is a 2xx or a 4xx, never a 500; the built-in, provenance and inferred graphs never change. Generated cases
(hypothesis) and hand-picked ones, in-process (FastAPI's TestClient) on a copy of the prepared store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalgraph.store.oxigraph import RESERVED_GRAPHS
from tests import serving

ADMIN, REVIEWER = "a" * 40, "r" * 40
RESERVED = sorted(RESERVED_GRAPHS)
TRIPLE = b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    folder = tmp_path_factory.mktemp("graph-store")
    tokens = folder / "tokens.txt"
    tokens.write_text(f"alice admin {ADMIN}\nrita reviewer {REVIEWER}\n", encoding="utf-8")
    with serving.in_process(folder / "data", allow_update=True, token_file=tokens) as test_client:
        yield test_client


def reserved_state(client) -> str:  # type: ignore[no-untyped-def]
    """A digest of the reserved graphs' content: the built-in and inferred graphs whole, and the provenance graph's
    records of the built-in graphs (a write records its own graph's provenance there, as it should, and the inferred
    graph's refresh its new time)."""
    builtin = [g for g in RESERVED if not g.endswith(("/meta", "/inferred"))]
    rows = []
    for graph in RESERVED:
        only = "FILTER (STR(?s) IN (%s))" % ", ".join(f'"{g}"' for g in builtin) if graph.endswith("/meta") else ""
        answer = client.get("/sparql", params={"query": f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o {only} }} }}"},
                            headers={"Accept": "text/csv"})
        assert answer.status_code == 200, answer.text
        rows.append(str(sorted(answer.text.splitlines())))
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def variants(iri: str) -> list[str]:
    """Look-alikes of a reserved IRI that a careless check might take for another graph, or the same."""
    return [iri, iri + " ", " " + iri, iri.upper(), iri.replace("https", "HTTPS"), iri + "/", iri + "#",
            iri.replace("/graph/", "/graph/./"), iri.replace("/graph/", "/graph//"), iri.replace("kb", "%6Bb"),
            iri.replace("https://", "https://W3ID.org/") , "<" + iri + ">", iri + "\n"]


GRAPHS = st.one_of(st.sampled_from([v for iri in RESERVED for v in variants(iri)]),
                   st.sampled_from(["egg:kb", "kb", "", "urn:x", "https://example.org/mine", "file:///etc/passwd"]),
                   st.text(max_size=40))
BODIES = st.one_of(st.just(TRIPLE), st.binary(max_size=200),
                   st.sampled_from([b"<a> <b> <c> .", b"@prefix : <x> . :a :b :c .", b"<!DOCTYPE x SYSTEM 'file:///etc/passwd'>",
                                    b"@base <http://attacker.example/> . <a> <b> <c> .", TRIPLE * 3, b""]))
TYPES = st.sampled_from(["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml",
                         "text/turtle; charset=utf-8", "", "text/plain"])
TOKENS = st.sampled_from([ADMIN, REVIEWER, "", "x" * 40, ADMIN + " ", ADMIN.upper()])


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graph=GRAPHS, body=BODIES, media_type=TYPES, token=TOKENS, method=st.sampled_from(["PUT", "POST"]))
def test_generated_writes_never_touch_a_reserved_graph(client, graph: str, body: bytes, media_type: str, token: str,
                                                       method: str) -> None:  # type: ignore[no-untyped-def]
    before = reserved_state(client)
    headers = {"Content-Type": media_type, **({"Authorization": f"Bearer {token}"} if token else {})}
    answer = client.request(method, "/store", params={"graph": graph}, content=body, headers=headers)
    assert answer.status_code in (204, 400, 401, 403, 413, 415, 422), (answer.status_code, answer.text)
    if answer.status_code == 204:
        assert token.strip() == ADMIN and graph not in RESERVED_GRAPHS  # (HTTP drops a header value's spaces)
    assert reserved_state(client) == before


@pytest.mark.parametrize("graph", RESERVED)
def test_each_reserved_graph_is_refused_to_an_admin(client, graph: str) -> None:  # type: ignore[no-untyped-def]
    answer = client.put("/store", params={"graph": graph}, content=TRIPLE,
                        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {ADMIN}"})
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "reserved_graph"


def test_a_body_over_the_limit_is_refused_before_it_is_read(client) -> None:  # type: ignore[no-untyped-def]
    answer = client.put("/store", params={"graph": "https://example.org/big"}, content=TRIPLE * 40_000,
                        headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {ADMIN}"})
    assert answer.status_code == 413
    assert "https://example.org/big" not in client.get("/sparql", params={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}, headers={"Accept": "text/csv"}).text


def test_an_admin_write_lands_whole_with_its_provenance(client) -> None:  # type: ignore[no-untyped-def]
    graph = "https://example.org/mine"
    answer = client.put("/store", params={"graph": graph, "source": ["mine.nt"]}, content=TRIPLE,
                        headers={"Content-Type": "application/n-triples", "Authorization": f"Bearer {ADMIN}"})
    assert answer.status_code == 204
    csv = client.get("/sparql", params={"query": f"SELECT ?src WHERE {{ GRAPH egg:meta {{ <{graph}> dct:source ?src }} }}"},
                     headers={"Accept": "text/csv"}).text
    assert "mine.nt" in csv and "alice" in csv and "sha256:" in csv


@pytest.mark.parametrize("graph", ["https://example.org/g\n", "https://example.org/g\r\n", "https://example.org/ g"])
def test_a_graph_iri_with_a_line_end_or_space_is_a_400_not_a_500(client, graph: str) -> None:  # type: ignore[no-untyped-def]
    """Found by the generated cases: a regex anchored with `$` let a trailing line end through to pyoxigraph."""
    answer = client.put("/store", params={"graph": graph}, content=TRIPLE,
                        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {ADMIN}"})
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_graph_iri"
