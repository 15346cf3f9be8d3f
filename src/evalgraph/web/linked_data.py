"""Linked data: the VoID / DCAT description (``/void``), the ontology's page (``/ontology``) and every evalgraph IRI
(``/id/…``, ``/ontology/…``, ``/vocab/…``, ``/shapes/…``) as HTML for browsers or RDF by ``Accept``."""

from __future__ import annotations

import html
import re

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from evalgraph.errors import ApiError
from evalgraph.i18n import message
from evalgraph.store import formats
from evalgraph.store import queries as named_queries
from evalgraph.store.oxigraph import ONTOLOGY_GRAPH
from evalgraph.web.protocol import GRAPH_FORMATS, graph_body, negotiate
from evalgraph.web.requests import public_base, service_of

router = APIRouter()
DEREFERENCEABLE = ("id", "ontology", "vocab", "shapes")
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
    """A small readable page of what the graph says about ``iri`` (subject rows first, then incoming links)."""

    def cell(term: object) -> str:
        if isinstance(term, ox.NamedNode):
            shown = formats.compact(term.value)
            target = (
                term.value.replace("https://w3id.org/evalgraph/", "/", 1)
                if term.value.startswith("https://w3id.org/evalgraph/")
                else term.value
            )
            return f'<a href="{html.escape(target)}">{html.escape(shown)}</a>'
        if isinstance(term, ox.Literal):
            suffix = f' <span class="lang">@{term.language}</span>' if term.language else ""
            return html.escape(term.value) + suffix
        return html.escape(str(term))

    labels = [
        t.object.value
        for t in triples
        if isinstance(t.object, ox.Literal)
        and t.subject == ox.NamedNode(iri)
        and t.predicate.value
        in ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel")
        and t.object.language == lang
    ]
    title = labels[0] if labels else formats.compact(iri)
    rows = "".join(
        f"<tr><td>{cell(t.predicate)}</td><td>{cell(t.object)}</td></tr>"
        for t in triples
        if t.subject == ox.NamedNode(iri)
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{html.escape(title)} — evalgraph'
        "</title><style>body{font:14px system-ui,sans-serif;margin:2rem;max-width:70rem}td{padding:.3rem .5rem;"
        "border-bottom:1px solid #e8eaed;vertical-align:top}.lang{color:#5f6368;font-size:.8rem}</style></head>"
        f"<body><h1>{html.escape(title)}</h1><p><code>{html.escape(iri)}</code></p><table>{rows}</table>"
        "</body></html>"
    )
