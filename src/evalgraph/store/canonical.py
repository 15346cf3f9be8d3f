"""SPARQL text in canonical form: what the guard checks is, byte for byte, what the engine runs.

Two SPARQL parsers read every query: rdflib's (a complete SPARQL 1.1 grammar that yields the algebra the guard
decides on) and Oxigraph's (which runs it). Wherever the two could read the same text differently — comments and
line ends, ``\\u`` escapes, string extents, prefixed names with escapes, relative IRIs and ``BASE`` — an attacker
could show one of them a ``SERVICE`` the other does not see. So the text is first cut into the terminals of the
SPARQL 1.1 grammar (§19.8) by a scanner that works in linear time, and written out again with every such
difference removed:

* codepoint escapes (``\\u``, ``\\U``) are expanded once, before scanning, as §19.2 requires;
* comments are dropped and tokens are separated by one space (``\\r``, form feeds and the like never reach a parser);
* ``PREFIX`` and ``BASE`` declarations are applied and dropped: every IRI is written absolute, in ``<…>``,
  prefixed names included (their ``\\`` escapes removed), and each is checked by Oxigraph's own IRI parser;
* strings are written in one form, ``"…"`` with ``\\\\ \\" \\n \\r \\t \\b \\f`` escaped.

Text the scanner cannot cut into SPARQL terminals is refused (:class:`CanonicalError`, with its line): the guard
fails closed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f"
    "\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

_WS = re.compile(r"[ \t\r\n]++")
_COMMENT = re.compile(r"#[^\r\n]*+")
_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*+>")
_SHORT_STRING = {
    '"': re.compile(r'"(?:[^"\\\n\r]|\\[tbnrf\\"\'])*+"'),
    "'": re.compile(r"'(?:[^'\\\n\r]|\\[tbnrf\\\"'])*+'"),
}
_LONG_STRING = {
    '"': re.compile(r'"""(?:"{0,2}(?:[^"\\]|\\[tbnrf\\"\']))*+"""'),
    "'": re.compile(r"'''(?:'{0,2}(?:[^'\\]|\\[tbnrf\\\"']))*+'''"),
}
_VAR = re.compile(f"[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*+")
_BNODE = re.compile(f"_:[{_CHARS_U}0-9](?:[{_CHARS}.]*+)")
_LANGTAG = re.compile(r"@[a-zA-Z]++(?:-[a-zA-Z0-9]++)*+")
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]++\.[0-9]*+[eE][+-]?[0-9]++|\.[0-9]++[eE][+-]?[0-9]++|[0-9]++[eE][+-]?[0-9]++"
    r"|[0-9]*+\.[0-9]++|[0-9]++)"
)
_PREFIX_RUN = re.compile(f"[{_BASE}][{_CHARS}.]*+")
_LOCAL = re.compile(f"(?:[{_CHARS_U}:0-9]|{_PLX})(?:[{_CHARS}.:]|{_PLX})*+")
_KEYWORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*+")
_PUNCTUATION = ("^^", "&&", "||", "!=", "<=", ">=", *"{}()[];,.*/=!|^+-<>?")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ECHAR = re.compile(r"\\(.)", re.DOTALL)
_WRITE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_FORBIDDEN_IN_IRI = re.compile(r"[<>\"{}|^`\\\x00-\x20]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_RFC3986 = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.DOTALL)


MAX_DEPTH = 256
"""Brackets nested deeper than this are refused before any parser sees them (real queries nest a few levels)."""


class CanonicalError(ValueError):
    """The text is not made of SPARQL 1.1 terminals, or names an IRI or prefix that cannot be resolved."""

    def __init__(self, reason: str, line: int, detail: str = "", column: int = 0) -> None:
        super().__init__(f"line {line}: {reason}" + (f" ({detail})" if detail else ""))
        self.reason, self.line, self.detail, self.column = reason, line, detail, column


@dataclass(frozen=True)
class Token:
    kind: str
    """iri, string, var, bnode, langtag, number, keyword, punct"""
    text: str
    """The canonical text of the token."""
    line: int
    column: int = 0
    """Line and column (from 1; 0: made by evalgraph) in the text as the user wrote it."""


@dataclass
class Canonical:
    """The canonical text and its tokens (each with its line in the original text)."""

    text: str
    tokens: list[Token] = field(default_factory=list)

    def first(self, *words: str) -> Token | None:
        """The first keyword token among ``words`` (upper case), if any."""
        wanted = set(words)
        return next((t for t in self.tokens if t.kind == "keyword" and t.text.upper() in wanted), None)


def expand_codepoints(text: str) -> str:
    """SPARQL 1.1 §19.2: ``\\u`` + 4 hex digits and ``\\U`` + 8 hex digits are replaced by the code points they
    name, before parsing."""

    def replace(match: re.Match[str]) -> str:
        value = int(match.group(1) or match.group(2), 16)
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise CanonicalError("invalid_codepoint", text.count("\n", 0, match.start()) + 1, match.group())
        return chr(value)

    return _CODEPOINT.sub(replace, text)


def resolve(reference: str, base: str | None, line: int, column: int = 0) -> str:
    """``reference`` resolved against ``base`` (RFC 3986 §5.2), checked as an absolute IRI by Oxigraph."""
    if _SCHEME.match(reference):
        target = _normalise_absolute(reference)
    elif base is None:
        raise CanonicalError("relative_iri", line, reference, column)
    else:
        target = _join(base, reference)
    if _FORBIDDEN_IN_IRI.search(target):
        raise CanonicalError("bad_iri", line, target, column)
    try:
        ox.NamedNode(target)
    except ValueError as exc:
        raise CanonicalError("bad_iri", line, f"{target}: {exc}", column) from exc
    return target


def _normalise_absolute(iri: str) -> str:
    scheme, authority, path, query, fragment = _RFC3986.match(iri).groups()  # type: ignore[union-attr]
    dotted = authority is not None or path.startswith("/")
    return _compose(scheme, authority, _remove_dots(path) if dotted else path, query, fragment)


def _join(base: str, reference: str) -> str:
    b_scheme, b_auth, b_path, b_query, _ = _RFC3986.match(base).groups()  # type: ignore[union-attr]
    _, r_auth, r_path, r_query, r_fragment = _RFC3986.match(reference).groups()  # type: ignore[union-attr]
    if r_auth is not None:
        return _compose(b_scheme, r_auth, _remove_dots(r_path), r_query, r_fragment)
    if r_path == "":
        return _compose(b_scheme, b_auth, b_path, r_query if r_query is not None else b_query, r_fragment)
    if r_path.startswith("/"):
        path = _remove_dots(r_path)
    elif b_auth is not None and b_path == "":
        path = _remove_dots("/" + r_path)
    else:
        path = _remove_dots(b_path[: b_path.rfind("/") + 1] + r_path)
    return _compose(b_scheme, b_auth, path, r_query, r_fragment)


def _remove_dots(path: str) -> str:
    """RFC 3986 §5.2.4 remove_dot_segments, reading ``path`` with an index (linear: no copy per segment)."""
    output: list[str] = []
    i, n = 0, len(path)
    while i < n:
        rest = n - i
        if path.startswith("../", i):
            i += 3
        elif path.startswith("./", i) or path.startswith("/./", i):
            i += 2
        elif rest == 2 and path.startswith("/.", i):
            output.append("/")
            i = n
        elif path.startswith("/../", i) or (rest == 3 and path.startswith("/..", i)):
            if output:
                output.pop()
            if rest == 3:
                output.append("/")
                i = n
            else:
                i += 3
        elif rest <= 2 and path[i:] in (".", ".."):
            i = n
        else:
            end = path.find("/", i + 1 if path[i] == "/" else i)
            end = n if end < 0 else end
            output.append(path[i:end])
            i = end
    return "".join(output)


def _compose(scheme: str | None, authority: str | None, path: str, query: str | None, fragment: str | None) -> str:
    text = (f"{scheme}:" if scheme else "") + (f"//{authority}" if authority is not None else "") + path
    return text + (f"?{query}" if query is not None else "") + (f"#{fragment}" if fragment is not None else "")


def _string_value(raw: str, long: bool) -> str:
    body = raw[3:-3] if long else raw[1:-1]
    return _ECHAR.sub(lambda m: _ESCAPES[m.group(1)], body)


def _write_string(value: str) -> str:
    return '"' + "".join(_WRITE.get(ch, ch) for ch in value) + '"'


def _unescape_local(local: str) -> str:
    return re.sub(r"\\(.)", r"\1", local)


class _Scanner:
    """Cuts ``text`` into SPARQL terminals (longest match, §19.8) in one left-to-right pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self._no_pname_before = -1
        """Up to this offset, a run of name characters is known not to end in ':' (keeps the scan linear)."""

    def _advance(self, end: int) -> str:
        chunk = self.text[self.pos : end]
        breaks = chunk.count("\n") + chunk.count("\r") - chunk.count("\r\n")
        if breaks:
            self.line += breaks
            self.line_start = self.pos + max(chunk.rfind("\n"), chunk.rfind("\r")) + 1
        self.pos = end
        return chunk

    @property
    def column(self) -> int:
        return self.pos - self.line_start + 1

    def tokens(self) -> list[tuple[str, str, int, int]]:
        found: list[tuple[str, str, int, int]] = []
        text, size = self.text, len(self.text)
        while self.pos < size:
            match = _WS.match(text, self.pos) or _COMMENT.match(text, self.pos)
            if match:
                self._advance(match.end())
                continue
            line, column = self.line, self.pos - self.line_start + 1
            kind, end = self._next()
            found.append((kind, self._advance(end), line, column))
        return found

    def _next(self) -> tuple[str, int]:  # noqa: C901 - one branch per first character, as the grammar reads
        text, pos = self.text, self.pos
        char = text[pos]
        if char == "<":
            match = _IRIREF.match(text, pos)
            if match:
                return "iri", match.end()
        elif char in "\"'":
            long = text.startswith(char * 3, pos)
            match = (_LONG_STRING if long else _SHORT_STRING)[char].match(text, pos)
            if not match:
                raise CanonicalError("unterminated_string", self.line, "", self.column)
            return ("long_string" if long else "string"), match.end()
        elif char in "?$":
            match = _VAR.match(text, pos)
            if match:
                return "var", match.end()
        elif char == "_" and text.startswith("_:", pos):
            match = _BNODE.match(text, pos)
            if match:
                return "bnode", pos + len(match.group().rstrip("."))
            raise CanonicalError("bad_token", self.line, text[pos : pos + 20], self.column)
        elif char == "@":
            match = _LANGTAG.match(text, pos)
            if match:
                return "langtag", match.end()
            raise CanonicalError("bad_token", self.line, text[pos : pos + 20], self.column)
        elif char.isdigit() or (char in "+-." and _NUMBER.match(text, pos)):
            match = _NUMBER.match(text, pos)
            if match:
                return "number", match.end()
        elif char == ":" or re.match(f"[{_BASE}]", char):
            found = self._name()
            if found:
                return found
        for punct in _PUNCTUATION:
            if text.startswith(punct, pos):
                return "punct", pos + len(punct)
        raise CanonicalError("bad_token", self.line, text[pos : pos + 20], self.column)

    def _name(self) -> tuple[str, int] | None:
        """A prefixed name (``pname``) or a keyword, starting at a name character or ':'."""
        text, pos = self.text, self.pos
        colon = pos
        if text[pos] != ":":
            if pos >= self._no_pname_before:
                run = _PREFIX_RUN.match(text, pos)
                assert run is not None  # noqa: S101 - the first character is a name character
                end = run.end()
                if end < len(text) and text[end] == ":" and not run.group().endswith("."):
                    colon = end
                else:
                    self._no_pname_before = end
                    colon = -1
            else:
                colon = -1
        if colon < 0:
            keyword = _KEYWORD.match(text, pos)
            return ("keyword", keyword.end()) if keyword else None
        local = _LOCAL.match(text, colon + 1)
        if not local:
            return "pname", colon + 1
        value = local.group().rstrip(".")  # PN_LOCAL does not end with a bare dot…
        if value.endswith("\\"):  # …but may with an escaped one
            value += "."
        return "pname", colon + 1 + len(value)


def canonical(text: str, *, base_iri: str | None = None, prefixes: Mapping[str, str] | None = None) -> Canonical:
    """``text`` in canonical form (see the module's description); raises :class:`CanonicalError`. ``prefixes`` are
    declared before the text's own declarations (which replace them)."""
    expanded = expand_codepoints(text)
    raw = _Scanner(expanded).tokens()
    known: dict[str, str] = dict(prefixes or {})
    base = base_iri
    out: list[Token] = []
    at_prologue, depth, index = True, 0, 0
    while index < len(raw):
        kind, value, line, column = raw[index]
        word = value.upper() if kind == "keyword" else ""
        if word in ("PREFIX", "BASE"):
            if not at_prologue:
                raise CanonicalError("misplaced_declaration", line, word, column)
            if word == "BASE":
                if index + 1 >= len(raw) or raw[index + 1][0] != "iri":
                    raise CanonicalError("bad_declaration", line, word, column)
                base = resolve(raw[index + 1][1][1:-1], base, line, column)
                index += 2
                continue
            if (
                index + 2 >= len(raw)
                or raw[index + 1][0] != "pname"
                or raw[index + 1][1].find(":") != len(raw[index + 1][1]) - 1
                or raw[index + 2][0] != "iri"
            ):
                raise CanonicalError("bad_declaration", line, word, column)
            known[raw[index + 1][1][:-1]] = resolve(raw[index + 2][1][1:-1], base, line, column)
            index += 3
            continue
        at_prologue = False
        if kind == "punct" and value in "{([":
            depth += 1
            if depth > MAX_DEPTH:
                raise CanonicalError("too_deep", line, f"more than {MAX_DEPTH} nested brackets", column)
        elif kind == "punct" and value in "})]":
            depth -= 1
        elif kind == "punct" and value == ";" and depth == 0:
            at_prologue = True  # SPARQL Update: each operation may open with its own declarations
        out.append(_token(kind, value, line, base, known, column))
        index += 1
    body = join(out)
    if re.search(r"\\[uU]", body):
        raise CanonicalError("escaped_escape", 1)
    return Canonical(body, out)


def join(tokens: list[Token]) -> str:
    """Tokens separated by one space, except that a language tag or ``^^`` stays glued to its literal (rdflib's
    grammar wants them so)."""
    return "".join(" " + t.text if i and not _glued(tokens[i - 1], t) else t.text for i, t in enumerate(tokens))


def offsets(tokens: list[Token]) -> list[int]:
    """Where each token starts in ``join(tokens)``."""
    found, position = [], 0
    for i, token in enumerate(tokens):
        position += 1 if i and not _glued(tokens[i - 1], token) else 0
        found.append(position)
        position += len(token.text)
    return found


def _glued(previous: Token, token: Token) -> bool:
    """Whether ``token`` is written right after ``previous``: a language tag or ``^^`` after its literal, and a
    path modifier (``*``, ``+``, ``?``) after its IRI, ``a`` or ``)`` — rdflib's grammar wants them so —; ``(``
    after a keyword (Oxigraph wants ``COALESCE(``, ``CONCAT(``…); and ``()`` / ``[]``."""
    return (
        token.kind == "langtag"
        or token.text == "^^"
        or previous.text == "^^"
        or (token.text in ("*", "+", "?") and (previous.kind == "iri" or previous.text in (")", "a")))
        or (token.text == "(" and previous.kind == "keyword")
        or (previous.text, token.text) in (("(", ")"), ("[", "]"))
    )


def _token(kind: str, value: str, line: int, base: str | None, prefixes: Mapping[str, str], column: int) -> Token:
    if kind == "iri":
        return Token("iri", f"<{resolve(value[1:-1], base, line, column)}>", line, column)
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix not in prefixes:
            raise CanonicalError("unknown_prefix", line, prefix + ":", column)
        return Token("iri", f"<{resolve(prefixes[prefix] + _unescape_local(local), None, line, column)}>", line, column)
    if kind in ("string", "long_string"):
        return Token("string", _write_string(_string_value(value, kind == "long_string")), line, column)
    return Token(kind, value, line, column)
