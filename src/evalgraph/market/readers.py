"""One reader per registry format: the file's rows as :class:`~.records.Entry` records, each bad row a
:class:`~.records.Problem` (file:row:column) while the valid rows are kept. Readers read; what the values mean is
the mappings' business (:mod:`.config`)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from evalgraph.errors import DataFileError
from evalgraph.market.records import SUBMISSION, Authorisation, Entry, Problem, iso_date, us_date

Rows = list[tuple[int, dict[str, Any]]]
Read = tuple[list[Entry], list[Problem]]
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
FDA_RECORD = {
    "K": "https://www.accessdata.fda.gov/scripts/cdrh/cfdocs/cfpmn/pmn.cfm?ID=",
    "D": "https://www.accessdata.fda.gov/scripts/cdrh/cfdocs/cfpmn/denovo.cfm?ID=",
    "P": "https://www.accessdata.fda.gov/scripts/cdrh/cfdocs/cfpma/pma.cfm?id=",
}


def rows(file: Path, data: bytes, json_key: str | None = None) -> Rows:
    """The file's records as dictionaries, each with its row: CSV (the header is row 1) or a JSON array (or the
    array under ``json_key``), each record's position from 1."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError("market_encoding", file=str(file), detail=str(exc)) from exc
    if file.suffix.lower() == ".json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataFileError("market_json", file=str(file), line=exc.lineno, detail=exc.msg) from exc
        items = document.get(json_key, []) if isinstance(document, dict) and json_key else document
        if not isinstance(items, list):
            raise DataFileError("market_json", file=str(file), line=1, detail="not a JSON array of records")
        return [(i, item) for i, item in enumerate(items, 1) if isinstance(item, dict)]
    if file.suffix.lower() != ".csv":
        raise DataFileError("market_format", file=str(file), suffix=file.suffix.lower(), expected=".csv, .json")
    return [(i, row) for i, row in enumerate(csv.DictReader(io.StringIO(text)), 2)]


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _list(value: Any, separator: str = "|") -> list[str]:
    """A list field: a JSON list, or text joined with ``separator``."""
    if isinstance(value, list):
        return [_text(v) for v in value if _text(v)]
    return [v.strip() for v in _text(value).split(separator) if v.strip()]


class _Reader:
    """Checks shared by the readers: required cells and well-formed identifiers, each failure a problem."""

    def __init__(self, file: Path) -> None:
        self.name = file.name
        self.problems: list[Problem] = []

    def required(self, row: int, record: dict[str, Any], *columns: str) -> list[str] | None:
        values = [_text(record.get(c)) for c in columns]
        missing = [c for c, v in zip(columns, values, strict=True) if not v]
        for column in missing:
            self.problems.append(Problem(self.name, row, column, "", "a value is required"))
        return None if missing else values

    def submission(self, row: int, column: str, value: str) -> str | None:
        """The FDA submission number a cell holds ("" when empty; a label before it is read past, as in
        ``PMA P150043``), or None — a problem — when it holds none."""
        text = value.strip().upper()
        found = re.search(r"\b(K\d{6}|DEN\d{6}|P\d{6}(/S\d{3})?|BK\d{6})\b", text)
        if text and (found is None or not SUBMISSION.match(found.group(1))):
            self.problems.append(Problem(self.name, row, column, value, "an FDA submission number (K…, DEN…, P…)"))
            return None
        return found.group(1) if found else ""

    def date(self, row: int, column: str, value: str, parse: Callable[[str], str | None]) -> str | None:
        parsed = parse(value)
        if parsed is None:
            self.problems.append(Problem(self.name, row, column, value, "a date"))
        return parsed


def fda_url(number: str) -> str:
    return FDA_RECORD.get(number[:1], FDA_RECORD["K"]) + number


def read_fda(file: Path, data: bytes) -> Read:
    """The FDA AI-enabled device list (its CSV release, or the enriched JSON copy): one record per submission."""
    reader, entries = _Reader(file), []
    aliases = {"date": "Date of Final Decision", "submission_id": "Submission Number", "device": "Device",
               "company": "Company", "panel": "Panel (Lead)", "code": "Primary Product Code"}  # fmt: skip
    for row, raw in rows(file, data):
        record = {aliases.get(k, k): v for k, v in raw.items()}
        values = reader.required(row, record, "Submission Number", "Device", "Company", "Date of Final Decision")
        if values is None:
            continue
        number = reader.submission(row, "Submission Number", values[0])
        decided = reader.date(row, "Date of Final Decision", values[3], us_date)
        if number is None or decided is None:
            continue
        fields = {"panel": _list(record.get("Panel (Lead)")), "productCode": _list(record.get("Primary Product Code"))}
        code = fields["productCode"][0] if fields["productCode"] else ""
        entries.append(Entry(number, row, values[1], values[2], fields,
                             [Authorisation(number, decided, values[1], code)], url=fda_url(number), raw=record))  # fmt: skip
    return entries, reader.problems


def read_hair(file: Path, data: bytes) -> Read:
    """A Health AI Register snapshot (CSV with ``|``-joined lists, or JSON with a ``products`` array)."""
    reader, entries = _Reader(file), []
    for row, record in rows(file, data, "products"):
        values = reader.required(row, record, "slug", "name", "vendor")
        if values is None:
            continue
        number = reader.submission(row, "fda_number", _text(record.get("fda_number")))
        if number is None:
            continue
        fields = {name: _list(record.get(name)) for name in ("register", "modality", "subspeciality")}
        for name in ("ce_class", "ce_pathway", "ivdr_class", "ivdr_pathway", "fda_pathway"):
            fields[name] = _list(record.get(name))
        authorisations = [Authorisation(number, device=values[1])] if number else []
        url = (
            _text(record.get("url"))
            or f"https://healthairegister.com/{_text(record.get('register'))}/products/{values[0]}"
        )
        entries.append(Entry(values[0], row, values[1], values[2], fields, authorisations, url=url, raw=record))
    return entries, reader.problems


def _dlinrt_fields(record: dict[str, Any]) -> tuple[dict[str, list[str]], Any]:
    regulatory: dict[str, Any] = record["regulatory"] if isinstance(record.get("regulatory"), dict) else {}
    ce: dict[str, Any] = regulatory["ce"] if isinstance(regulatory.get("ce"), dict) else {}
    fda = regulatory.get("fda")
    fda_status = fda.get("status") if isinstance(fda, dict) else fda
    modality = record.get("modality")
    fields = {
        "register": ["radiotherapy"],
        "category": _list([record.get("category"), *(record.get("secondaryCategories") or [])]),
        "modality": _list(modality if isinstance(modality, list) else [modality]),
        "ce_status": _list([ce.get("status")]),
        "ce_class": _list([ce.get("class")]),
        "ce_regulation": _list(
            [ce.get("regulation") or (ce.get("type") if ce.get("type") in ("MDR", "MDD") else None)]
        ),
        "fda_status": [re.sub(r"\s*\((K|DEN)\d{6}\)", "", s) for s in _list([fda_status])],
    }
    return fields, fda


def read_dlinrt(file: Path, data: bytes) -> Read:
    """The DLinRT.eu product list (a JSON array of its ``ProductDetails``)."""
    reader, entries = _Reader(file), []
    for row, record in rows(file, data):
        values = reader.required(row, record, "id", "name", "company")
        if values is None:
            continue
        fields, fda = _dlinrt_fields(record)
        given = _text(fda.get("clearanceNumber")) if isinstance(fda, dict) else ""
        stated = re.search(r"\b(K\d{6}|DEN\d{6})\b", _text(fda.get("status") if isinstance(fda, dict) else fda))
        number = reader.submission(row, "regulatory.fda", given or (stated.group(1) if stated else ""))
        if number is None:
            continue
        authorisations = [Authorisation(number, device=values[1])] if number else []
        url = _text(record.get("productUrl")) or _text(record.get("website")) or "https://dlinrt.eu"
        revised = iso_date(_text(record.get("lastRevised")) or _text(record.get("lastUpdated"))) or ""
        entries.append(
            Entry(values[0], row, values[1], values[2], fields, authorisations, url=url, raw=record, dated=revised)
        )
    return entries, reader.problems


def read_crosswalk(file: Path, data: bytes) -> Read:
    """The EUDAMED ↔ FDA crosswalk: one record per confirmed match of an FDA submission and a EUDAMED device."""
    reader, entries = _Reader(file), []
    for row, record in rows(file, data):
        columns = ("fda_submission", "fda_device_name", "fda_manufacturer", "eudamed_uuid", "tier")
        values = reader.required(row, record, *columns)
        if values is None:
            continue
        number = reader.submission(row, "fda_submission", values[0])
        uuid = values[3].lower()
        if not _UUID.match(uuid):
            reader.problems.append(Problem(reader.name, row, "eudamed_uuid", values[3], "a EUDAMED UUID"))
        if values[4] != "confirmed":
            reader.problems.append(
                Problem(reader.name, row, "tier", values[4], "confirmed (only confirmed matches are imported)")
            )
        if not number or not _UUID.match(uuid) or values[4] != "confirmed":
            continue
        code = _text(record.get("fda_product_code"))
        entries.append(Entry(f"{number}/{uuid}", row, values[1], values[2], {"productCode": _list(code)},
                             [Authorisation(number, device=values[1], product_code=code)],
                             [(uuid, _text(record.get("eudamed_trade_name")))], fda_url(number), raw=record))  # fmt: skip
    return entries, reader.problems


def event_counts(file: Path, data: bytes) -> tuple[dict[str, dict[str, int]], list[Problem]]:
    """The MAUDE reports file: per submission, the number of reports of each event type."""
    kinds = {"M": "malfunctionReports", "IN": "injuryReports", "D": "deathReports"}
    counts: dict[str, dict[str, int]] = {}
    problems = []
    for row, record in rows(file, data):
        number, kind = _text(record.get("idnumber")).upper(), _text(record.get("event_type"))
        if not number or kind not in kinds:
            problems.append(
                Problem(file.name, row, "event_type" if number else "idnumber", kind or number, "M, IN or D")
            )
            continue
        per = counts.setdefault(number, {})
        per[kinds[kind]] = per.get(kinds[kind], 0) + 1
    return counts, problems


def read_adverse_events(file: Path, data: bytes, reports: dict[str, dict[str, int]] | None = None) -> Read:
    """Babic et al.'s devices with their MAUDE report counts (an empty count is none found, not unknown)."""
    reader, entries = _Reader(file), []
    for row, record in rows(file, data):
        values = reader.required(row, record, "idnumber", "devicename", "applicant", "dtdec")
        if values is None:
            continue
        number = reader.submission(row, "idnumber", values[0])
        decided = reader.date(row, "dtdec", values[3], iso_date)
        total = _text(record.get("adverse_events")) or "0"
        if not total.isdigit():
            reader.problems.append(Problem(reader.name, row, "adverse_events", total, "a whole number"))
        if not number or decided is None or not total.isdigit():
            continue
        by_kind = (reports or {}).get(number, {})
        counts = (("adverseEventReports", int(total)), *sorted(by_kind.items()))
        code = _text(record.get("productcode"))
        fields = {"panel": _list(record.get("classadvisecomm")), "productCode": _list(code)}
        authorisation = Authorisation(number, decided, values[1], code, counts)
        entries.append(
            Entry(number, row, values[1], values[2], fields, [authorisation], url=fda_url(number), raw=record)
        )
    return entries, reader.problems


def dates_in(entries: list[Entry]) -> Iterator[str]:
    for entry in entries:
        yield from (a.date for a in entry.authorisations if a.date)
        if entry.dated:
            yield entry.dated
