"""Errors raised by evalgraph.

Hierarchy::

    EvalgraphError                 exit 2 unless noted
    ├── DataFileError              a data file cannot be read or parsed (file, line, column)
    ├── QueryError                 SPARQL text is malformed or cannot be evaluated
    │   ├── QuerySyntaxError       the text is not SPARQL 1.1 that the guard's parser accepts
    │   ├── UnsafeQueryError       SERVICE, LOAD, or FROM a graph not in the store
    │   └── ReservedGraphError     an update that would change a built-in graph (HTTP 403)
    ├── UsageError                 a bad option or argument
    ├── ApiError                   a web request refused with its own status, code and (rendered) message
    ├── StoreUnavailableError      exit 3: the store cannot be opened (locked by another process, I/O)
    ├── Overloaded                 HTTP 503: every worker is busy and the waiting line is full
    └── ReasonerUnavailableError   exit 3: no Java runtime for HermiT, or HermiT crashed

Non-conformance (an inconsistent ontology, a violation query with rows) is a result, not an error.
Every error renders in English (``str``) or French (``render("fr")``).
"""

from __future__ import annotations

from evalgraph.i18n import message


class EvalgraphError(Exception):
    """Base class: a user-facing error with a message key, its parameters, an exit code and an HTTP status."""

    exit_code = 2
    http_status = 400
    family: str | None = None
    """The code the web service answers with, for a class whose messages share one (else the message key)."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(message(key, "en", **params))

    @property
    def code(self) -> str:
        """The error's code in the web service's JSON answers (its message key unless a class names a family)."""
        return self.family or self.key

    def render(self, lang: str = "en") -> str:
        """The message in ``lang`` (``en`` or ``fr``)."""
        return message(self.key, lang, **self.params)


class DataFileError(EvalgraphError):
    """A data file cannot be read or parsed; ``file``, ``line`` and ``column`` locate the problem."""

    def __init__(self, key: str, *, file: str, line: int | None = None, column: int | None = None, **params: object):
        self.file = file
        self.line = line
        self.column = column
        super().__init__(key, file=file, line=line, column=column, **params)


class QueryError(EvalgraphError):
    """A SPARQL query or update is malformed or fails to evaluate."""


class QuerySyntaxError(QueryError):
    """The text is not SPARQL 1.1 as the guard reads it (scanner or parser): refused before anything runs.

    ``hint`` names a second message (``hint_params`` its parameters) added after the first: "did you mean SELECT?"."""

    family = "malformed_query"

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key, **params)
        self.args = (self.render("en"),)

    def render(self, lang: str = "en") -> str:
        rendered = super().render(lang)
        hint, hint_params = self.params.get("hint"), self.params.get("hint_params")
        if isinstance(hint, str) and hint:
            rendered += " — " + message(hint, lang, **(hint_params if isinstance(hint_params, dict) else {}))
        return rendered


class UnsafeQueryError(QueryError):
    """A query asks for something evalgraph refuses: remote SERVICE calls, LOAD, or FROM an unknown graph."""


class ReservedGraphError(QueryError):
    """A SPARQL Update names a built-in graph, or would CLEAR / DROP all graphs (built-in ones included)."""

    http_status = 403
    family = "reserved_graph"


class UsageError(EvalgraphError):
    """A command-line argument or option is wrong."""


class StoreUnavailableError(EvalgraphError):
    """The store cannot be opened (another process holds it, or an I/O error)."""

    exit_code = 3
    http_status = 503


class Overloaded(EvalgraphError):
    """Every worker (query or validation) is busy and the waiting line is full: 503, retry after ``seconds``."""

    exit_code = 3
    http_status = 503
    family = "overloaded"

    def __init__(self, seconds: int = 1) -> None:
        super().__init__("server_overloaded", seconds=seconds)


class ReasonerUnavailableError(EvalgraphError):
    """The reasoner cannot run: no Java runtime, or HermiT crashed."""

    exit_code = 3
    http_status = 503


class ApiError(EvalgraphError):
    """A web request refused: its HTTP status, its code, the message already in the request's language, and
    headers to send (``Retry-After``, ``WWW-Authenticate``)."""

    def __init__(self, status: int, code: str, text: str, headers: dict[str, str] | None = None) -> None:
        Exception.__init__(self, text)
        self.key, self.params = code, {}
        self.http_status, self.text, self.headers = status, text, headers or {}
        self._code = code

    @property
    def code(self) -> str:
        return self._code

    def render(self, lang: str = "en") -> str:
        return self.text
