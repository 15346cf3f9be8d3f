"""The OpenAPI description of the web service: FastAPI's schema, completed where routes read raw bodies."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from evalgraph.web.protocol import GRAPH_FORMATS, RESULT_FORMATS

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["status", "code", "message"],
            "properties": {"status": {"type": "integer"}, "code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}
_ERRORS = {
    "400": "Malformed or refused request (the message says what and where)",
    "401": "No bearer token, or a token the operator did not issue",
    "403": "The token's role may not do this, or the service is read-only",
    "404": "Unknown path, query, dossier or version (or a dossier the token may not read)",
    "406": "None of the accepted media types is offered",
    "413": "Request body or result over the configured cap",
    "415": "Unsupported Content-Type",
    "422": "A well-formed request the server cannot process (a dossier nested too deeply or too big to expand, "
    "an invalid parameter)",
    "503": "Query stopped at the timeout, or the server is busy (Retry-After)",
}
_TEXT = {"type": "string", "minLength": 1}
"""An empty query, update or dossier is refused: the schema says so."""
_MEDIA = {
    # the non-JSON answers of the routes that negotiate or take a format parameter
    "/queries/{name}": ("application/sparql-results+json", "text/csv"),
    "/cartography": (
        "text/html",
        "application/json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "/compare": ("text/html", "application/json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "/void": tuple(GRAPH_FORMATS),
    "/ontology": ("text/html", *GRAPH_FORMATS),
    "/{namespace}/{local}": ("text/html", *GRAPH_FORMATS),
}
_SPARQL_PARAMETERS = [
    {
        "name": "query",
        "in": "query",
        "required": False,
        "schema": _TEXT,
        "description": "The SPARQL query (GET; or in a form or direct POST body). Absent: the service description.",
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "explode": True,
        "description": "Graphs forming the default graph (a graph the store does not hold is empty)",
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "explode": True,
        "description": "Named graphs of the dataset (a graph the store does not hold is empty)",
    },
]
_DOSSIER_BODY = {
    "required": True,
    "description": "The dossier itself (see docs/dossiers.md)",
    "content": {
        media: {"schema": _TEXT}
        for media in (
            "text/turtle",
            "application/ld+json",
            "application/yaml",
            "application/n-triples",
            "application/rdf+xml",
        )
    },
}
_DOSSIER_PARAMETERS = [
    {
        "name": "name",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": "A file name for the dossier, used in messages and kept with the version",
    },
    {
        "name": "lang",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "enum": ["en", "fr"]},
        "description": "Language of the report's messages",
    },
]


_COMPARE_BODY = {
    "required": True,
    "description": "The candidates, in the order of the fields (at least two): technologies of the store and "
    "dossiers sent as files, each read as POST /validate reads one (dossier limits; nothing fetched). A bad dossier "
    "is refused with its field and file named. See docs/choice.md",
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "technology": {"type": "array", "items": _TEXT, "description": "IRI, prefixed name or name"},
                    "dossier": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": "A dossier file (.ttl, .jsonld, .json, .yaml…: by its name, else its type)",
                    },
                    "format": {"type": "string", "enum": ["html", "json", "xlsx"], "default": "html"},
                    "lang": {"type": "string", "enum": ["en", "fr"]},
                },
            }
        }
    },
}


def openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema, completed where routes read raw bodies: request bodies and their media types, protocol
    parameters, result media types, the bearer scheme, and the one error shape on every route."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes, tags=app.openapi_tags
    )
    components = schema.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = _ERROR_SCHEMA
    components["securitySchemes"] = {
        "bearer": {"type": "http", "scheme": "bearer", "description": "A token from the operator's token file"}
    }
    error_ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    results = {media: {"schema": {"type": "string"}} for media in (*RESULT_FORMATS, *GRAPH_FORMATS)}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, text in _ERRORS.items():
                responses.setdefault(status, {"description": text, "content": error_ref})
            if path in _MEDIA and "200" in responses:
                responses["200"]["content"] = {media: {"schema": {"type": "string"}} for media in _MEDIA[path]}
            if path == "/sparql":
                operation["parameters"] = _SPARQL_PARAMETERS
                responses["200"] = {"description": "Query results, or the service description", "content": results}
                if method == "post":
                    operation["requestBody"] = {
                        "content": {
                            "application/sparql-query": {"schema": _TEXT},
                            "application/sparql-update": {"schema": _TEXT},
                            "application/x-www-form-urlencoded": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "query": _TEXT,
                                        "update": _TEXT,
                                        "using-graph-uri": {"type": "array", "items": {"type": "string"}},
                                        "using-named-graph-uri": {"type": "array", "items": {"type": "string"}},
                                        "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                                        "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                                    },
                                }
                            },
                        }
                    }
                    operation["security"] = [{}, {"bearer": []}]
                    responses["204"] = {"description": "Update done (admin token, --allow-update)"}
            elif path == "/compare" and method == "post":
                operation["requestBody"] = _COMPARE_BODY
            elif path in ("/validate", "/dossiers", "/dossiers/{dossier_id}/versions") and method == "post":
                operation["requestBody"] = _DOSSIER_BODY
                operation["parameters"] = [*operation.get("parameters", []), *_DOSSIER_PARAMETERS]
            if path.startswith("/dossiers"):
                operation["security"] = [{"bearer": []}]
    app.openapi_schema = schema
    return schema


def resources_description() -> str:
    return (
        "Knowledge graph of how digital technologies used by health professionals are regulated and evaluated "
        "(France, EU, foreign comparators). Public: the SPARQL endpoint, named queries, cartography, "
        "dereferenceable IRIs, dossier validation (POST /validate), the choice aid (GET /compare; POST /compare "
        "with dossiers as files). With a bearer token from the operator: "
        "dossier submission and review (/dossiers). Every error: "
        '{"error": {"status": int, "code": str, "message": str}}.'
    )


SPARQL_DESCRIPTION = """SPARQL 1.1 Protocol endpoint.

* **Query:** `GET /sparql?query=…`, `POST` with `application/x-www-form-urlencoded` (`query=…`) or
  `application/sparql-query` (the query as the body). `default-graph-uri` and `named-graph-uri` choose the dataset;
  without them the default graph is the union of all named graphs.
* **Results** by `Accept`: SELECT/ASK as `application/sparql-results+json` (default), `application/sparql-results+xml`,
  `text/csv`, `text/tab-separated-values`; CONSTRUCT/DESCRIBE as `text/turtle` (default), `application/n-triples`,
  `application/ld+json`, `application/rdf+xml`.
* **Prefixes:** `eg:`, `egv:`, `egr:`, `egg:`, `rdfs:`, `skos:`, `xsd:`… are predeclared (the list: the service description's
  `sh:declare`); a query's own `PREFIX` replaces one of the same name.
* **No query:** the SPARQL service description.
* **Update:** only when the operator started the server with `--allow-update`, by `POST` with
  `application/sparql-update` or a form `update=…`, with an admin bearer token; 204 on success. Built-in graphs
  cannot be changed.
* **Refused before execution:** `SERVICE`, `LOAD`, `FROM`/`FROM NAMED`/`USING` of graphs the store does not hold
  (400); updates of built-in graphs, `CLEAR`/`DROP ALL` or `NAMED` (403). A `default-graph-uri` or `named-graph-uri`
  the store does not hold is an empty graph. See the threat model in docs/server.md.
* **Limits:** body (413), result size (413), query time (503 `query_timeout`), busy server (503 `overloaded`,
  `Retry-After`).
* **Malformed query:** 400 `malformed_query`; the message gives the line and column in the query as sent and a hint
  (a misspelt keyword, an undeclared prefix, a bracket never closed).
"""
