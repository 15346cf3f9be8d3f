"""An attacker's corpus: SPARQL that hides SERVICE, LOAD, FROM, CLEAR ALL or a write to a built-in graph from a
naive reader, generated with hypothesis strategies, and a TCP listener that counts the connections it receives.

Used by tests/test_sparql_guard.py (the guard alone, with Oxigraph as the oracle: every generated attack really
connects or really changes a built-in graph when run unguarded) and tests/test_sparql_attacks.py (a real server).
"""

from __future__ import annotations

import select
import socket
import threading

from hypothesis import strategies as st

BUILT_IN = "https://w3id.org/evalgraph/graph/ontology"


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection made to it (and closes it at once, so a client
    that connected gets its answer — an empty one — without waiting).

    :attr:`connections` also takes the connections the kernel has completed but the accept loop has not picked up
    yet, so it is exact as soon as the request that might have connected has returned: no waiting is needed."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.socket.setblocking(False)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self._count = 0
        self._lock = threading.Lock()
        self._running = True
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def connections(self) -> int:
        self._take()
        return self._count

    def _accept(self) -> None:
        while self._running:
            try:
                select.select([self.socket], [], [], 0.1)
            except (OSError, ValueError):  # closed
                return
            self._take()

    def _take(self) -> None:
        """Accept (count and close) every connection waiting in the kernel's queue, without blocking."""
        with self._lock:
            while True:
                try:
                    connection, _ = self.socket.accept()
                except OSError:  # BlockingIOError: none waiting; or the socket is closed
                    return
                self._count += 1
                connection.close()

    def close(self) -> None:
        self._running = False
        self._thread.join(timeout=2)
        self.socket.close()


# Where the hidden keyword starts: after whitespace, after a comment ended by each kind of line end, or glued to
# the end of the previous triple (a literal, a number, a language tag, a prefixed name, a path, a blank node…).
BREAKS = [" ", "\t", "\n", "\r", "\r\n", "#x\r", "#x\n", "#x\r\n", "# SERVICE \r", "#\r#\n"]
TRIPLES = [
    "?s ?p ?o.", "?s ?p ?o .", "?s ?p true.", "?s ?p 'x'@en.", "?s ?p \"x\"@en-GB.", "?s ?p 1e1.", "?s ?p 1.",
    "?s ?p 1.5.", "?s ?p .5.", "?s ?p -1.", "?s rdfs:label?o.", "?s rdfs:label ?o.", "?s ex:a.b ?o.",
    "?s ex:p/ex:q* ?o.", "?s ^ex:p ?o.", "?s (ex:p|ex:q)+ ?o.", "?s ?p <urn:x>.", "?s ?p _:b.", "[] ?p ?o.",
    "?s ?p ( 1 2 ).", "?s ?p \"\"\"a\"\"b\"\"\".", "?s ?p '\\''.", "?s ?p \"x\"^^xsd:string.", "",
]
ORACLE_DATA = """@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<urn:s> <urn:p> <urn:o>, true, 'x'@en, "x"@en-GB, 1e1, 1, 1.5, 0.5, -1, <urn:x>, _:b, (1 2), "a\\"\\"b", "'", "x" ;
    rdfs:label "l" ; ex:a.b "v" ; ex:p <urn:o> .
<urn:o> ex:p <urn:s> .
"""
"""Data every pattern of TRIPLES matches, so that Oxigraph (the oracle) reaches the SERVICE call after it."""
WRAPPERS = [
    "{}", "OPTIONAL {{ {} }}", "MINUS {{ {} }}", "{{ {} }} UNION {{ ?a ?b ?c }}", "FILTER EXISTS {{ {} }}",
    "FILTER NOT EXISTS {{ {} }}", "BIND(EXISTS {{ {} }} AS ?b)", "{{ SELECT * WHERE {{ {} }} }}", "GRAPH ?g {{ {} }}",
    "{{ {{ {{ {} }} }} }}", "?x ex:p ?y FILTER(?x != ?y) {}",
]
PROLOGUE = ("PREFIX ex: <http://example.org/>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n")


@st.composite
def keyword(draw: st.DrawFn, word: str) -> str:
    """``word`` in random case; one time in four, one letter written as a ``\\u`` / ``\\U`` escape (SPARQL 1.1
    §19.2 — which Oxigraph does not apply outside strings and IRIs, so those variants are refused by the guard but
    are not real attacks)."""
    letters = [draw(st.sampled_from([letter.upper(), letter.lower()])) for letter in word]
    if draw(st.sampled_from([False, False, False, True])):
        index = draw(st.integers(0, len(word) - 1))
        code = ord(letters[index])
        letters[index] = draw(st.sampled_from([f"\\u{code:04X}", f"\\U{code:08x}"]))
    return "".join(letters)


@st.composite
def endpoint(draw: st.DrawFn, url: str) -> tuple[str, str]:
    """The remote endpoint written as a full IRI, a prefixed name, or a relative IRI under BASE; with the
    declarations it needs."""
    form = draw(st.sampled_from(["iri", "pname", "base", "escaped"]))
    if form == "pname":
        return f"PREFIX svc: <{url}>\n", "svc:sparql"
    if form == "base":
        return f"BASE <{url}>\n", "<sparql>"
    if form == "escaped":
        return f"PREFIX svc: <{url}>\n", "svc:sp\\-arql"
    return "", f"<{url}sparql>"


@st.composite
def service_queries(draw: st.DrawFn, url: str) -> str:
    """A query that calls ``url`` through SERVICE, hidden in one of many ways."""
    declaration, target = draw(endpoint(url))
    word = draw(keyword("SERVICE"))
    silent = draw(st.sampled_from(["", " SILENT", " silent"]))
    call = f"{word}{silent} {target} {{ ?a ?b ?c }}"
    body = draw(st.sampled_from(TRIPLES)) + draw(st.sampled_from(BREAKS)) + call
    wrapped = draw(st.sampled_from(WRAPPERS)).format(body)
    form = draw(st.sampled_from(["SELECT * WHERE {{ {} }}", "ASK {{ {} }}", "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {} }}",
                                 "SELECT (COUNT(*) AS ?n) {{ {} }}", "DESCRIBE ?s WHERE {{ {} }}"]))
    return PROLOGUE + declaration + form.format(wrapped)


@st.composite
def from_queries(draw: st.DrawFn, url: str) -> str:
    """A query whose dataset names a graph the store does not hold (``url``), hidden the same ways."""
    declaration, target = draw(endpoint(url))
    word = draw(keyword("FROM"))
    named = draw(st.sampled_from(["", " NAMED", " named"]))
    head = draw(st.sampled_from(["SELECT *", "ASK", "CONSTRUCT { ?s ?p ?o }"]))
    gap = draw(st.sampled_from(BREAKS))
    return f"{PROLOGUE}{declaration}{head}{gap}{word}{named} {target} WHERE {{ ?s ?p ?o }}"


@st.composite
def load_updates(draw: st.DrawFn, url: str) -> str:
    """An update that LOADs ``url``, hidden after other operations, comments or escapes."""
    declaration, target = draw(endpoint(url))
    word = draw(keyword("LOAD"))
    silent = draw(st.sampled_from(["", " SILENT"]))
    into = draw(st.sampled_from(["", " INTO GRAPH <urn:x:g>", f" INTO GRAPH <{BUILT_IN}>"]))
    before = draw(st.sampled_from(["", "INSERT DATA { GRAPH <urn:x:g> { <urn:a> <urn:b> 1.} };",
                                   "CLEAR SILENT GRAPH <urn:x:g> ;", "#x\r", "#x\r\n"]))
    return f"{declaration}{before}{draw(st.sampled_from(BREAKS))}{word}{silent} {target}{into}"


@st.composite
def built_in_writes(draw: st.DrawFn) -> str:
    """An update that would change or wipe a built-in graph, however the graph or the keyword is written."""
    graph = draw(st.sampled_from([
        (f"<{BUILT_IN}>", ""),
        ("g:ontology", "PREFIX g: <https://w3id.org/evalgraph/graph/>\n"),
        ("g:graph\\/ontology", "PREFIX g: <https://w3id.org/evalgraph/>\n"),
        ("<ontology>", "BASE <https://w3id.org/evalgraph/graph/>\n"),
        ("<../graph/ontology>", "BASE <https://w3id.org/evalgraph/x/>\n"),
        ("<https://w3id.org/evalgraph/graph/x/../ontology>", ""),
        ("<\\u0068ttps://w3id.org/evalgraph/graph/ontology>", ""),
    ]))
    target, declaration = graph
    gap = draw(st.sampled_from(BREAKS))
    operation = draw(st.sampled_from([
        f"INSERT DATA {{ GRAPH {target} {{ <urn:a> <urn:b> <urn:c> }} }}",
        f"DELETE DATA {{ GRAPH {target} {{ <urn:a> <urn:b> <urn:c> }} }}",
        f"DELETE WHERE {{ GRAPH {target} {{ ?s ?p ?o }} }}",
        f"WITH {target} DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
        f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g = {target}) }}",
        "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { BIND(IRI(CONCAT(\"https://w3id.org/evalgraph/graph/\","
        " \"ontology\")) AS ?g) GRAPH ?g { ?s ?p ?o } }",
        f"CLEAR{gap}GRAPH {target}", f"DROP{gap}SILENT GRAPH {target}", f"CLEAR{gap}ALL", f"DROP{gap}NAMED",
        f"CLEAR #x\r{draw(keyword('ALL'))}", f"COPY <urn:x:empty> TO {target}", f"MOVE {target} TO <urn:x:g>",
        f"ADD <urn:x:g> TO {target}", f"CREATE GRAPH {target}",
    ]))
    before = draw(st.sampled_from(["", "INSERT DATA { GRAPH <urn:x:g> { <urn:a> <urn:b> 1 } } ;\n", "#x\r"]))
    return declaration + before + operation
