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
from evalgraph.store.oxigraph import ONTOLOGY_GRAPH
from evalgraph.vocab import BASE, RDFS, SKOS
from evalgraph.web.protocol import GRAPH_FORMATS, graph_body, negotiate
from evalgraph.web.requests import public_base, service_of

router = APIRouter()
DEREFERENCEABLE = ("id", "ontology", "vocab", "shapes")
EVALGRAPH = BASE
RDFS_LABEL = RDFS + "label"
SKOS_PREF_LABEL = SKOS + "prefLabel"
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
        return Response(_describe_html(iri, triples, lang), media_type="text/html; charset=utf-8")
    return Response(graph_body(triples, media), media_type=media)


def _describe_html(iri: str, triples: list[ox.Triple], lang: str) -> str:
    """A small readable page of what the graph says about ``iri`` (templates/iri.html)."""
    subject = ox.NamedNode(iri)
    labels = [
        t.object.value
        for t in triples
        if isinstance(t.object, ox.Literal)
        and t.subject == subject
        and t.predicate.value in (RDFS_LABEL, SKOS_PREF_LABEL)
        and t.object.language == lang
    ]
    rows = [(_cell(t.predicate), _cell(t.object)) for t in triples if t.subject == subject]
    return pages.render("iri.html", lang=lang, iri=iri, title=labels[0] if labels else formats.compact(iri), rows=rows)


def _cell(term: object) -> dict[str, str | None]:
    """A term as the template shows it: an evalgraph IRI links to its page on this server."""
    if isinstance(term, ox.NamedNode):
        local = term.value.startswith(EVALGRAPH)
        return {
            "text": formats.compact(term.value),
            "href": "/" + term.value[len(EVALGRAPH) :] if local else term.value,
        }
    if isinstance(term, ox.Literal):
        return {"text": term.value, "lang": term.language}
    return {"text": str(term)}
