"""Bearer tokens and roles for the web service, from the operator's token file.

The token file has one token per line: ``NAME ROLE SECRET``, where ``ROLE`` is ``submitter``, ``reviewer`` or
``admin`` and ``SECRET`` is ``sha256:<64 hex digits>`` (the digest of the token: the file then holds no secret) or
the token itself (at least 24 characters). Blank lines and lines starting with ``#`` are ignored.
``evalgraph token NAME ROLE`` prints a new token and the line to add.

A presented token is hashed and compared with **every** entry with :func:`hmac.compare_digest`, without stopping
at a match, so the time taken says nothing about which entry (or which prefix) matched.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from evalgraph.errors import DataFileError

ROLES = ("submitter", "reviewer", "admin")
MIN_TOKEN_LENGTH = 24
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@\-]{0,63}$")
_DIGEST = re.compile(r"^sha256:([0-9a-f]{64})$")


@dataclass(frozen=True)
class Principal:
    """Who a valid token belongs to."""

    name: str
    role: str

    @property
    def reads_all(self) -> bool:
        """Reviewers and admins read every dossier; submitters only their own."""
        return self.role in ("reviewer", "admin")

    @property
    def submits(self) -> bool:
        return self.role in ("submitter", "admin")


@dataclass(frozen=True)
class _Entry:
    principal: Principal
    digest: bytes


def digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8")).digest()


class TokenRegistry:
    """The configured tokens; :meth:`check` maps a presented token to its :class:`Principal` or ``None``."""

    def __init__(self, entries: list[_Entry]) -> None:
        self._entries = entries

    def __len__(self) -> int:
        return len(self._entries)

    @classmethod
    def empty(cls) -> TokenRegistry:
        return cls([])

    @classmethod
    def from_file(cls, path: Path) -> TokenRegistry:
        """Read the token file; a bad line is a :class:`DataFileError` naming the file, line and field."""
        from evalgraph.store.oxigraph import read_bytes

        try:
            text = read_bytes(path).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise DataFileError("file_unreadable", file=str(path), reason=f"not UTF-8: {exc.reason}") from exc
        entries: list[_Entry] = []
        names: set[str] = set()
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split()
            if len(fields) != 3:
                raise DataFileError("token_line_fields", file=str(path), line=number, column=1, found=len(fields))
            name, role, secret = fields
            if not _NAME.match(name):
                raise DataFileError("token_bad_name", file=str(path), line=number, column=1, name=name)
            if name in names:
                raise DataFileError("token_duplicate_name", file=str(path), line=number, column=1, name=name)
            if role not in ROLES:
                raise DataFileError(
                    "token_bad_role",
                    file=str(path),
                    line=number,
                    column=raw.index(role) + 1,
                    role=role,
                    expected=", ".join(ROLES),
                )
            match = _DIGEST.match(secret)
            if match:
                value = bytes.fromhex(match.group(1))
            elif secret.startswith("sha256:"):
                raise DataFileError("token_bad_digest", file=str(path), line=number, column=raw.index(secret) + 1)
            elif len(secret) < MIN_TOKEN_LENGTH:
                raise DataFileError(
                    "token_too_short",
                    file=str(path),
                    line=number,
                    column=raw.index(secret) + 1,
                    minimum=MIN_TOKEN_LENGTH,
                )
            else:
                value = digest(secret)
            names.add(name)
            entries.append(_Entry(Principal(name, role), value))
        return cls(entries)

    def check(self, token: str) -> Principal | None:
        """The principal whose token this is, compared in constant time against every entry."""
        presented = digest(token)
        found: Principal | None = None
        for entry in self._entries:
            if hmac.compare_digest(presented, entry.digest):
                found = entry.principal
        return found


def new_token() -> tuple[str, str]:
    """A fresh random token and its ``sha256:`` digest, for the token file."""
    token = secrets.token_urlsafe(32)
    return token, "sha256:" + hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer …`` header (``None`` when absent or another scheme)."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()
