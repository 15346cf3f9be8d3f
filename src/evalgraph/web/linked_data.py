"""Linked data: the VoID / DCAT description (``/void``), the ontology's page (``/ontology``) and every evalgraph IRI
(``/id/…``, ``/ontology/…``, ``/vocab/…``, ``/shapes/…``) as HTML for browsers or RDF by ``Accept``."""

from __future__ import annotations

import re

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from evalgraph import pages
from evalgraph.errors import ApiError
from evalgraph.i18n import message
from evalgraph.store import formats
from evalgraph.store import queries as named_queries
from evalgraph.store.oxigraph import INFERRED_GRAPH, ONTOLOGY_GRAPH, OxigraphStore
from evalgraph.vocab import BASE, EG, RDFS, SKOS
from evalgraph.web.protocol import GRAPH_FORMATS, graph_body, negotiate
from evalgraph.web.requests import public_base, service_of

router = APIRouter()
DEREFERENCEABLE = ("id", "ontology", "vocab", "shapes")
EVALGRAPH = BASE
RDFS_LABEL = RDFS + "label"
SKOS_PREF_LABEL = SKOS + "prefLabel"
FACT_STATUS = EG + "factStatus"
_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9._~\-]+$")


@router.get("/void", tags=["linked data"], summary="VoID and DCAT description of the dataset (Turtle, JSON-LD…)")
def void_description(request: Request) -> Response:
    service = service_of(request)
    base = public_base(request)
    named = named_queries.load("dataset-description", service.settings.resources_dir)
    bindings = named_queries.bind(named, {"dataset": base + "/void", "endpoint": base + "/sparql"})
    triples = service.store().query(named.text, bindings).triples
    media = negotiate(request.headers.get("accept", ""), GRAPH_FORMATS, "text/turtle")
    if media is None:
        raise ApiError(
            406, "not_acceptable", message("server_not_acceptable", service.lang, offered=", ".join(GRAPH_FORMATS))
        )
    return Response(graph_body(triples, media), media_type=media)


router.add_api_route("/.well-known/void", void_description, methods=["GET"], include_in_schema=False)


@router.get(
    "/ontology",
    tags=["linked data"],
    summary="The ontology's documentation (HTML, classes and properties in French and English) or its RDF",
)
def ontology_page(request: Request) -> Response:
    from evalgraph.ontology import documentation as ontology_doc

    service = service_of(request)
    lang = service.lang
    offered = {"text/html": 1, **GRAPH_FORMATS}
    media = negotiate(request.headers.get("accept", ""), offered, "text/html")
    if media is None:
        raise ApiError(406, "not_acceptable", message("server_not_acceptable", lang, offered=", ".join(offered)))
    the_store = service.store()
    if media == "text/html":
        page_lang = request.query_params.get("lang") or lang
        return Response(
            ontology_doc.render(
                the_store, page_lang if page_lang in ("en", "fr") else lang, service.settings.resources_dir
            ),
            media_type="text/html; charset=utf-8",
        )
    return Response(graph_body(the_store.export([ONTOLOGY_GRAPH]), media), media_type=media)


@router.get(
    "/{namespace}/{local:path}",
    include_in_schema=True,
    tags=["linked data"],
    summary="An evalgraph IRI (id/…, ontology/…, vocab/…, shapes/…): HTML for browsers, RDF by Accept",
)
def dereference(namespace: str, local: str, request: Request) -> Response:
    service = service_of(request)
    lang = service.lang
    if namespace not in DEREFERENCEABLE:
        raise ApiError(404, "not_found", message("server_not_found", lang, path=request.url.path))
    iri = f"https://w3id.org/evalgraph/{namespace}/{local}"
    the_store = service.store()
    triples = the_store.query("DESCRIBE ?x", {"x": ox.NamedNode(iri)}).triples if _SAFE_LOCAL.match(local) else []
    if not triples:
        raise ApiError(404, "not_found", message("server_not_found", lang, path=request.url.path))
    offered = {"text/html": 1, **GRAPH_FORMATS}
    media = negotiate(request.headers.get("accept", ""), offered, "text/turtle")
    if media is None:
        raise ApiError(406, "not_acceptable", message("server_not_acceptable", lang, offered=", ".join(offered)))
    if media == "text/html":
        return Response(_describe_html(the_store, iri, lang), media_type="text/html; charset=utf-8")
    return Response(graph_body(triples, media), media_type=media)


_STATEMENTS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?p ?o"


def _describe_html(store: OxigraphStore, iri: str, lang: str) -> str:
    """A small readable page of what the graph says about ``iri`` (templates/iri.html): what the sources state and
    what evalgraph derives (the inferred graph) apart, each statement once with the graphs that hold it, the fact
    status in view, and links to the ontology reference."""
    subject = ox.NamedNode(iri)
    statements: dict[tuple[ox.NamedNode, object], list[str]] = {}
    for _s, predicate, value, graph in store.query(_STATEMENTS, {"s": subject}).rows:
        if isinstance(predicate, ox.NamedNode) and isinstance(graph, ox.NamedNode):
            statements.setdefault((predicate, value), []).append(formats.compact(graph.value))
    labels = [
        str(value.value)
        for (predicate, value) in statements
        if isinstance(value, ox.Literal) and predicate.value in (RDFS_LABEL, SKOS_PREF_LABEL) and value.language == lang
    ]
    inferred = formats.compact(INFERRED_GRAPH)
    rows: dict[str, list[tuple[dict[str, str | None], dict[str, str | None], str]]] = {"stated": [], "derived": []}
    for (predicate, term), graphs in statements.items():
        kind = "derived" if graphs == [inferred] else "stated"
        rows[kind].append((_cell(predicate), _cell(term), ", ".join(sorted(set(graphs)))))
    status = [_label(store, term, lang) for (predicate, term) in statements if predicate.value == FACT_STATUS]
    return pages.render(
        "iri.html",
        lang=lang,
        iri=iri,
        title=labels[0] if labels else formats.compact(iri),
        stated=rows["stated"],
        derived=rows["derived"],
        fact_status=status[0] if status else "",
        reference="/ontology#" + formats.compact(iri) if iri.startswith(EG) else "/ontology",
        site_nav=True,
    )


def _label(store: OxigraphStore, term: object, lang: str) -> str:
    """The preferred label of a concept in ``lang`` (its compact IRI when it has none)."""
    if not isinstance(term, ox.NamedNode):
        return str(term)
    rows = store.query(f"SELECT ?c ?l WHERE {{ ?c <{SKOS_PREF_LABEL}> ?l }}", {"c": term}).rows
    found = [str(r[1].value) for r in rows if isinstance(r[1], ox.Literal) and r[1].language == lang]
    return found[0] if found else formats.compact(term.value)


def _cell(term: object) -> dict[str, str | None]:
    """A term as the template shows it: an evalgraph IRI links to its page on this server."""
    if isinstance(term, ox.NamedNode):
        local = term.value.startswith(EVALGRAPH)
        return {
            "text": formats.compact(term.value),
            "href": "/" + term.value[len(EVALGRAPH) :] if local else term.value,
            "reference": "/ontology#" + formats.compact(term.value) if term.value.startswith(EG) else None,
        }
    if isinstance(term, ox.Literal):
        return {"text": term.value, "lang": term.language}
    return {"text": str(term)}
