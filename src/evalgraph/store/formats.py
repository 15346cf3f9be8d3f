"""Writing query results: SPARQL 1.1 JSON, CSV and TSV results, Turtle and N-Triples, and terminal tables."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from evalgraph.errors import UsageError
from evalgraph.store.oxigraph import QueryResult
from evalgraph.vocab import PREFIXES as PREFIXES
from evalgraph.vocab import compact as compact

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None


def display(term: Term) -> str:
    """A short human-readable form of a term for tables."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        return term.value + (f" @{term.language}" if term.language else "")
    return str(term)


def _json_term(term: Term) -> dict[str, str] | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _csv_value(term: Term) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _tsv_value(term: Term) -> str:
    return "" if term is None else str(term)


def serialize(result: QueryResult, fmt: str) -> str:
    """``result`` in ``fmt`` (``csv``, ``tsv``, ``json`` for solutions and booleans; ``turtle``, ``ntriples``
    for graphs). Tables are drawn by the CLI."""
    if result.kind == "graph":
        if fmt not in ("turtle", "ntriples"):
            raise UsageError(
                "format_not_for_result", format=fmt, kind="CONSTRUCT/DESCRIBE", expected="turtle, ntriples"
            )
        if fmt == "turtle":
            data = ox.serialize(result.triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
        else:
            data = ox.serialize(result.triples, format=ox.RdfFormat.N_TRIPLES)
        return data.decode("utf-8") if data else ""
    if fmt not in ("csv", "tsv", "json"):
        raise UsageError("format_not_for_result", format=fmt, kind="SELECT/ASK", expected="table, csv, tsv, json")
    if result.kind == "ask":
        if fmt == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if fmt == "json":
        bindings = [
            {v: t for v, t in ((var, _json_term(term)) for var, term in zip(result.variables, row, strict=True)) if t}
            for row in result.rows
        ]
        return (
            json.dumps(
                {"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False, indent=1
            )
            + "\n"
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_csv_value(t) for t in row])
        return buffer.getvalue()
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    lines += ["\t".join(_tsv_value(t) for t in row) for row in result.rows]
    return "\n".join(lines) + "\n"
