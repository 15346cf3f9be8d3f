"""What a registry file holds once read: its records (:class:`Entry`, one per valid row) and the problems of the
rows left out (:class:`Problem`, located by file, row and column)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime

SUBMISSION = re.compile(r"^(K\d{6}|DEN\d{6}|P\d{6}(/S\d{3})?|BK\d{6})$")
"""An FDA submission number: 510(k) K…, De Novo DEN…, PMA P… (with its supplement), biologics BK…."""


@dataclass(frozen=True)
class Problem:
    """A row left out (or a value left unread): file, row (1 = first data row), column, value and what was
    expected."""

    file: str
    row: int
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.value!r} — {self.expected}"


@dataclass(frozen=True)
class Authorisation:
    """An FDA authorisation a record states: its number (when given), date, device name and product code."""

    number: str = ""
    date: str = ""
    device: str = ""
    product_code: str = ""
    counts: tuple[tuple[str, int], ...] = ()
    """Adverse-event counts by property local name (adverseEventReports, malfunctionReports, …)."""


@dataclass
class Entry:
    """One record of a registry: its key and row, the product's name and manufacturer, the fields the value
    mappings read, the FDA authorisations and EUDAMED records it states, and the page it comes from."""

    key: str
    row: int
    name: str
    maker: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    authorisations: list[Authorisation] = field(default_factory=list)
    eudamed: list[tuple[str, str]] = field(default_factory=list)  # (UUID, trade name)
    url: str = ""
    raw: dict[str, object] = field(default_factory=dict)
    dated: str = ""
    """The date the record was last revised, when the registry gives one (ISO)."""

    @property
    def submissions(self) -> list[str]:
        return [a.number for a in self.authorisations if a.number]

    def digest(self) -> str:
        """SHA-256 of the record as read: a newer snapshot that changes any field changes it."""
        text = json.dumps(self.raw, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def us_date(text: str) -> str | None:
    """``MM/DD/YYYY`` (the FDA's and MAUDE's dates) as ISO ``YYYY-MM-DD``; None when it is not one."""
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date().isoformat()
    except ValueError:
        return None


def iso_date(text: str) -> str | None:
    try:
        return date.fromisoformat(text.strip()[:10]).isoformat()
    except ValueError:
        return None


def pathway_of(number: str) -> str:
    """The FDA pathway a submission number's prefix names (``fda-510k``, ``fda-de-novo``, ``fda-pma``)."""
    if number.startswith("DEN"):
        return "fda-de-novo"
    if number.startswith("P"):
        return "fda-pma"
    return "fda-510k"
