"""The SPARQL 1.1 Protocol endpoint and the linked-data routes: end to end through a real uvicorn server in its own
process (its first start on an empty data directory), queried with SPARQLWrapper — what researchers use — in each
result format; every other route and error in-process (``create_app`` under FastAPI's TestClient,
:func:`tests.serving.in_process`), with the same options."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from tests import serving

if TYPE_CHECKING:
    from starlette.testclient import TestClient

PREFIXES = ("PREFIX eg: <https://w3id.org/evalgraph/ontology/> PREFIX egv: <https://w3id.org/evalgraph/vocab/> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
DE_NOVO = PREFIXES + ("SELECT DISTINCT ?technology WHERE { GRAPH <https://w3id.org/evalgraph/graph/catalogue> { "
                      "?technology eg:hasRegulatoryStatus ?s . ?s eg:fdaPathway egv:fda-de-novo } } "
                      "ORDER BY ?technology")  # the catalogue's three (the shipped FDA market holds dozens more)
EGR = "https://w3id.org/evalgraph/id/"


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = serving.start(tmp_path_factory.mktemp("server"), "--max-body", "20000", "--max-result", "2000000",
                           fresh=True)  # the one first start on an empty data directory (tests/serving.py)
    try:
        yield server.base
    finally:
        server.stop()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The same service in-process, on a copy of the prepared store, with the real server's options."""
    with serving.in_process(tmp_path_factory.mktemp("in-process"), max_body=20000, max_result=2000000) as running:
        yield running


def _wrapper(endpoint: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


def test_select_in_json_xml_and_csv_with_sparqlwrapper(endpoint: str) -> None:
    expected = [EGR + "tech-idx-dr", EGR + "tech-paige-prostate", EGR + "tech-viz-lvo"]
    bindings = _wrapper(endpoint, DE_NOVO, JSON).queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [b["technology"]["value"] for b in bindings] == expected
    document = _wrapper(endpoint, DE_NOVO, XML).queryAndConvert()
    uris = [node.firstChild.data for node in document.getElementsByTagName("uri")]  # type: ignore[union-attr]
    assert uris == expected
    csv_text = _wrapper(endpoint, DE_NOVO, CSV).queryAndConvert().decode("utf-8")  # type: ignore[union-attr]
    assert csv_text.split() == ["technology", *expected]


def test_ask_and_construct_with_sparqlwrapper(endpoint: str) -> None:
    ask = _wrapper(endpoint, PREFIXES + "ASK { ?t a eg:DigitalTechnology }", JSON).queryAndConvert()
    assert ask["boolean"] is True  # type: ignore[index]
    construct = PREFIXES + f"CONSTRUCT {{ <{EGR}tech-boneview> rdfs:label ?l }} WHERE {{ <{EGR}tech-boneview> rdfs:label ?l }}"
    graph = _wrapper(endpoint, construct, TURTLE).queryAndConvert()
    parsed = rdflib.Graph().parse(data=graph, format="turtle")  # type: ignore[arg-type]
    assert {str(o) for o in parsed.objects()} == {"BoneView"} and len(parsed) == 2


def test_post_form_and_direct(client: TestClient) -> None:
    form = client.post("/sparql", data={"query": DE_NOVO}, headers={"accept": "text/csv"})
    assert form.status_code == 200 and form.headers["content-type"].startswith("text/csv")
    direct = client.post("/sparql", content=DE_NOVO.encode(),
                        headers={"content-type": "application/sparql-query", "accept": "text/tab-separated-values"})
    assert direct.status_code == 200 and direct.text.splitlines()[0] == "?technology"
    jsonld = client.post("/sparql", content=f"DESCRIBE <{EGR}org-gleamer>".encode(),
                        headers={"content-type": "application/sparql-query", "accept": "application/ld+json"})
    assert jsonld.status_code == 200 and "Gleamer" in jsonld.text


def test_dataset_parameters(client: TestClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    ontology = client.get("/sparql", params={"query": query,
                                                        "default-graph-uri": "https://w3id.org/evalgraph/graph/ontology"},
                         headers={"accept": "text/csv"})
    everything = client.get("/sparql", params={"query": query}, headers={"accept": "text/csv"})
    assert 0 < int(ontology.text.split()[1]) < int(everything.text.split()[1])
    unknown = client.get("/sparql", params={"query": query, "default-graph-uri": "https://example.org/g"},
                        headers={"accept": "text/csv"})
    # SPARQL 1.1 Protocol: a graph the store does not hold is an empty default graph, not an error
    assert unknown.status_code == 200 and int(unknown.text.split()[1]) == 0


@pytest.mark.parametrize(
    ("request_args", "status", "code"),
    [
        ({"method": "GET", "params": {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}},
         400, "unsafe_service"),
        ({"method": "GET", "params": {"query": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"}}, 400, None),
        ({"method": "GET", "params": {"query": "SELECT * WHERE { ?s ?p "}}, 400, "malformed_query"),
        ({"method": "GET", "params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "two_queries"),
        ({"method": "POST", "data": {"update": "DROP ALL"}}, 403, "read_only"),
        ({"method": "POST", "content": b"INSERT DATA { <a:b> <a:c> <a:d> }",
          "headers": {"content-type": "application/sparql-update"}}, 403, "read_only"),
        ({"method": "POST", "content": b"ASK {}"}, 400, "no_content_type"),
        ({"method": "POST", "content": b"ASK {}", "headers": {"content-type": "text/plain"}}, 415, None),
        ({"method": "POST", "content": b"ASK {} #\xff", "headers": {"content-type": "application/sparql-query"}},
         400, "not_utf8"),
        ({"method": "POST", "content": b"ASK {} #" + b"x" * 30000, "headers": {"content-type": "application/sparql-query"}},
         413, "body_too_large"),
        ({"method": "GET", "params": {"query": "ASK {}"}, "headers": {"accept": "image/png"}}, 406, "not_acceptable"),
        ({"method": "GET", "params": {"query": "SELECT * WHERE { ?s ?p ?o }"}}, 413, "result_too_large"),
    ],
)
def test_bad_requests_get_4xx_with_one_json_error_shape(client: TestClient, request_args: dict[str, object], status: int,
                                                         code: str | None) -> None:
    response = client.request(url="/sparql", **request_args)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    if code:
        assert error["code"] == code
    assert "Traceback" not in response.text


def test_service_description_names_the_real_endpoint(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    assert (rdflib.URIRef(serving.BASE + "/sparql"), sd.endpoint, rdflib.URIRef(serving.BASE + "/sparql")) in graph
    names = {str(n) for n in graph.objects(None, sd.name)}
    assert "https://w3id.org/evalgraph/graph/ontology" in names
    assert (rdflib.URIRef(serving.BASE + "/sparql"), sd.supportedLanguage, sd.SPARQL11Update) not in graph  # read-only


def test_cors_without_credentials(client: TestClient) -> None:
    response = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in response.headers


def test_serve_get_answers_without_a_port(run_cli) -> None:
    result = run_cli("serve", "--get", "/sparql?query=ASK%20%7B%7D", "--accept", "application/sparql-results+json")
    assert result.exit_code == 0 and '"boolean":true' in result.stdout.replace(" ", "")
    refused = run_cli("serve", "--get", "/sparql?query=SELECT%20*%20WHERE%20%7BSERVICE%20%3Chttp://x/%3E%20%7B%7D%7D")
    assert refused.exit_code == 1 and "unsafe_service" in refused.stdout


def test_named_queries_over_http(client: TestClient) -> None:
    listing = client.get("/queries").json()
    assert {"cartography", "evaluation-gap", "technology-profile"} <= {q["name"] for q in listing}
    profile = client.get("/queries/technology-profile",
                        params={"technology": "egr:tech-boneview", "format": "csv"})
    assert profile.status_code == 200 and profile.text.splitlines()[0].startswith("technology,lang,section")
    as_json = client.get("/queries/evaluation-gap", headers={"accept": "application/json"})
    assert as_json.status_code == 200 and "head" in as_json.json()
    wrong = client.get("/queries/technology-profile", params={"tech": "egr:x"})
    assert wrong.status_code == 400 and "technology (IRI)" in wrong.json()["error"]["message"]
    assert client.get("/queries/nope").status_code == 404


def test_cartography_over_http(client: TestClient) -> None:
    report = client.get("/cartography", params={"lang": "fr"})
    assert report.status_code == 200 and report.headers["content-type"].startswith("text/html")
    assert "Cartographie" in report.text and "<svg" in report.text
    tables = client.get("/cartography", params={"format": "json"}).json()
    in_gap = [row[1] for row in tables["evaluation-gap"]["rows"]]
    assert len(in_gap) == 11 and "BoneView" in in_gap and "Moovcare Poumon" not in in_gap
    workbook = client.get("/cartography", params={"format": "xlsx"})
    assert workbook.content[:2] == b"PK"
    assert client.get("/cartography", params={"format": "pdf"}).status_code == 400


def test_iris_dereference_to_html_or_rdf(client: TestClient) -> None:
    page = client.get("/id/tech-boneview", headers={"accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 200 and "<h1>BoneView</h1>" in page.text
    turtle = client.get("/id/tech-boneview", headers={"accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert (rdflib.URIRef(EGR + "tech-boneview"), rdflib.RDFS.label, rdflib.Literal("BoneView", lang="en")) in graph
    term = client.get("/ontology/DigitalTechnology", headers={"accept": "application/ld+json"})
    assert term.status_code == 200 and "digital health technology" in term.text
    assert client.get("/id/no-such-thing").status_code == 404
    assert client.get("/elsewhere/x").status_code == 404


def test_a_fresh_server_serves_the_shipped_market(endpoint: str) -> None:
    """The web service's first start on an empty data directory loads what the command line's first open loads
    (market/shipped.py ``ensure_loaded``): the FDA list's products, not only the demo catalogue's 18."""
    import httpx

    count = PREFIXES + "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a eg:DigitalTechnology }"
    answer = httpx.post(endpoint + "/sparql", content=count, timeout=60,
                        headers={"Content-Type": "application/sparql-query",
                                 "Accept": "application/sparql-results+json"})
    assert answer.status_code == 200
    assert int(answer.json()["results"]["bindings"][0]["n"]["value"]) > 1000
    page = httpx.get(endpoint + "/id/product-aidoc-medical-briefcase-triage", timeout=60,
                     headers={"accept": "text/html,application/xhtml+xml"})
    assert page.status_code == 200 and "BriefCase-Triage" in page.text


def test_void_and_dcat_description_of_the_dataset(client: TestClient) -> None:
    response = client.get("/void", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef(serving.BASE + "/void")
    assert (dataset, void.sparqlEndpoint, rdflib.URIRef(serving.BASE + "/sparql")) in graph
    assert (dataset, rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/dcat#Dataset")) in graph
    kb_graph = rdflib.URIRef("https://w3id.org/evalgraph/graph/kb")
    assert (dataset, void.subset, kb_graph) in graph
    assert int(graph.value(kb_graph, void.triples)) > 1000
    well_known = client.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    assert well_known.status_code == 200 and well_known.headers["content-type"] == "application/ld+json"


def test_ontology_page_documents_terms_in_french_and_english(client: TestClient) -> None:
    page = client.get("/ontology", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Object properties" in page.text and "eg:DigitalTechnology" in page.text
    assert "technologie numérique" in page.text.lower() and "digital technology" in page.text.lower()
    french = client.get("/ontology", params={"lang": "fr"}, headers={"Accept": "text/html"})
    assert "Propriétés d'objet" in french.text or "Propriétés d&#39;objet" in french.text
    rdf = client.get("/ontology", headers={"Accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=rdf.text, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/evalgraph/ontology/DigitalTechnology"), rdflib.RDF.type,
            rdflib.OWL.Class) in graph


def test_openapi_documents_bodies_parameters_security_and_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    post = spec["paths"]["/sparql"]["post"]
    assert {"application/sparql-query", "application/sparql-update",
            "application/x-www-form-urlencoded"} <= set(post["requestBody"]["content"])
    assert {"text/csv", "text/turtle", "application/sparql-results+xml"} <= set(post["responses"]["200"]["content"])
    assert {p["name"] for p in spec["paths"]["/sparql"]["get"]["parameters"]} == {
        "query", "default-graph-uri", "named-graph-uri"}
    submit = spec["paths"]["/dossiers"]["post"]
    assert {"text/turtle", "application/ld+json", "application/yaml"} <= set(submit["requestBody"]["content"])
    assert submit["security"] == [{"bearer": []}]
    assert post["requestBody"]["content"]["application/sparql-query"]["schema"]["minLength"] == 1  # no empty query
    assert submit["requestBody"]["content"]["text/turtle"]["schema"]["minLength"] == 1  # no empty dossier
    assert "text/csv" in spec["paths"]["/queries/{name}"]["get"]["responses"]["200"]["content"]
    assert {"text/html", "text/turtle"} <= set(spec["paths"]["/ontology"]["get"]["responses"]["200"]["content"])
    assert "text/turtle" in spec["paths"]["/void"]["get"]["responses"]["200"]["content"]
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (path, method)
            assert "422" in operation["responses"], (path, method)
            assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}, (path, method)


@pytest.mark.parametrize(("accept", "expected"), [
    ("text/turtle;q=0, */*", "application/n-triples"),  # the explicit q=0 wins over */*: never Turtle
    ("*/*;q=abc", "text/turtle"),  # a malformed range is ignored, not a 406
    ("application/rdf+xml;q=0.5, application/n-triples", "application/n-triples"),
    ("", "text/turtle"),
])
def test_content_negotiation_follows_rfc_9110(client: TestClient, accept: str, expected: str) -> None:
    query = "CONSTRUCT WHERE { ?s a <http://www.w3.org/2002/07/owl#Ontology> }"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    if expected == "application/n-triples" and accept.startswith("text/turtle"):
        assert response.status_code == 200 and not response.headers["content-type"].startswith("text/turtle")
    else:
        assert response.status_code == 200 and response.headers["content-type"].startswith(expected)
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize("path", ["/sparql?query=CONSTRUCT%20WHERE%20%7B%3Curn:a%3E%20?p%20?o%7D", "/ontology", "/void",
                                  "/id/tech-boneview", "/vocab/device-class-IIa"])
def test_negotiated_answers_vary_on_accept(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"accept": "text/turtle"})
    assert response.status_code == 200, path
    assert "accept" in [v.strip().lower() for v in response.headers["vary"].split(",")]


def test_ask_as_csv_and_tsv_has_a_header(client: TestClient) -> None:
    csv_answer = client.get("/sparql", params={"query": "ASK {}"}, headers={"accept": "text/csv"})
    assert csv_answer.text.splitlines() == ["_askResult", "true"]
    tsv = client.get("/sparql", params={"query": "ASK { <urn:x> <urn:y> <urn:z> }"},
                    headers={"accept": "text/tab-separated-values"})
    assert tsv.text.splitlines() == ["?_askResult", "false"]
