"""The demo catalogue's FDA records against the FDA's own list of AI-enabled medical devices (issue 15, point 4):
every authorisation the list holds has the list's decision date and primary product code, and cites the list."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import rdflib

ROOT = Path(__file__).resolve().parent.parent
RECORDS = Path(__file__).parent / "data" / "fda-catalogue-records.csv"
FDA_LIST = "https://www.fda.gov/medical-devices/software-medical-device-samd/artificial-intelligence-enabled-medical-devices"
QUERY = """PREFIX eg: <https://w3id.org/evalgraph/ontology/>
PREFIX dct: <http://purl.org/dc/terms/>
SELECT ?number ?date ?code ?source WHERE {
    ?authorisation a eg:FDAAuthorisation ; eg:submissionNumber ?number .
    OPTIONAL { ?authorisation eg:statusDate ?date }
    OPTIONAL { ?authorisation eg:productCode ?code }
    OPTIONAL { ?authorisation dct:source ?source }
}"""


def _records() -> dict[str, dict[str, str]]:
    lines = [line for line in RECORDS.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {r["Submission Number"]: r for r in csv.DictReader(lines)}


def test_catalogue_fda_records_match_the_fda_list() -> None:
    graph = rdflib.Graph()
    for file in sorted((ROOT / "catalogue").glob("*.ttl")):
        graph.parse(file, format="turtle")
    records = _records()
    found: dict[str, dict[str, set[str]]] = {}
    for number, date, code, source in graph.query(QUERY):
        entry = found.setdefault(str(number), {"date": set(), "code": set(), "source": set()})
        for key, value in (("date", date), ("code", code), ("source", source)):
            if value is not None:
                entry[key].add(str(value))
    checked = 0
    for number, record in records.items():
        assert number in found, f"{number} is in the extract but not in the catalogue"
        expected_date = datetime.strptime(record["Date of Final Decision"], "%m/%d/%Y").date().isoformat()
        assert found[number]["date"] == {expected_date}, number
        assert found[number]["code"] == {record["Primary Product Code"]}, number
        assert FDA_LIST in found[number]["source"], number
        checked += 1
    assert checked == 24
    assert set(found) - set(records) == {"K212112", "K260378"}  # not on the list's 2025-12-30 release
