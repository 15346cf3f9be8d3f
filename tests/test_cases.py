"""The qualification case suite (issue 14): tests/data/cases/cases.yaml, qualified as dossiers (through the YAML
dossier reader) or, for the demo catalogue, from the built-in store; each expectation is checked and carries its
justification; docs/qualification.md shows the table of cases and conclusions, checked against the code."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from evalgraph.dossiers import reading
from evalgraph.qualification import engine as q
from evalgraph.store.oxigraph import OxigraphStore
from evalgraph.vocab import EG, EGR, EGV

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((Path(__file__).parent / "data" / "cases" / "cases.yaml").read_text(encoding="utf-8"))
DOC = ROOT / "docs" / "qualification.md"
FACTS = {
    "qualification": EG + "regulatoryQualification", "class": EG + "riskClass", "ai_act": EG + "aiActCategory",
    "has_level": EG + "functionalClassification", "imdrf": EG + "imdrfCategory",
}  # fmt: skip
PREFIXES = {
    "qualification": "qualification-", "class": "device-class-", "ai_act": "ai-act-", "has_level": "has-level-",
    "imdrf": "imdrf-category-",
}  # fmt: skip


def _dossier(case: dict[str, object]) -> dict[str, object]:
    facts = dict(case["facts"])  # type: ignore[call-overload]
    ce = facts.pop("ce", None)
    dossier: dict[str, object] = {
        "@context": "https://w3id.org/evalgraph/context.jsonld",
        "id": f"egr:tech-case-{case['id']}",
        "type": "DigitalTechnology",
        "label": {"en": str(case["id"]), "fr": str(case["id"])},
        **facts,
    }
    if ce:
        dossier["regulatoryStatus"] = [{
            "id": f"egr:ce-case-{case['id']}", "type": "CEMarking", "underRegulation": f"egr:{ce['regulation']}",
            "deviceClass": f"egv:{ce['class']}",
        }]  # fmt: skip
    return dossier


@pytest.fixture(scope="module")
def results(builtin_store: OxigraphStore, tmp_path_factory: pytest.TempPathFactory) -> dict[str, q.Qualification]:
    """Every case qualified: the dossier cases together, in one scratch store, through the YAML reader."""
    directory = tmp_path_factory.mktemp("cases")
    triples = []
    for case in CASES:
        if "facts" in case:
            path = directory / f"{case['id']}.yaml"
            path.write_text(yaml.safe_dump(_dossier(case), allow_unicode=True), encoding="utf-8")
            triples.extend(reading.read(path))
    _model, qualified = q.qualify_dossier(triples)
    by_iri = {r.technology: r for r in qualified}
    model = q.DecisionModel(builtin_store)
    found: dict[str, q.Qualification] = {}
    for case in CASES:
        if "catalogue" in case:
            found[case["id"]] = q.qualify(model, q.read_facts(builtin_store, EGR + case["catalogue"]))
        else:
            found[case["id"]] = by_iri[EGR + f"tech-case-{case['id']}"]
    return found


def _short(iri: str, prefix: str) -> str:
    return iri.rsplit("/", 1)[-1].removeprefix(prefix)


def actual(result: q.Qualification, key: str) -> object:
    """The conclusion of ``result`` for an expectation key, in the case file's notation."""
    if key in FACTS:
        c = result.conclusion(FACTS[key])
        assert c is not None
        prefix = PREFIXES[key]
        if c.status == "not-applicable":
            return "n/a"
        if c.status == "determined":
            return _short(c.value or "", prefix)
        if c.at_least and c.status == "bounded" and key in ("class", "imdrf"):
            return ">=" + _short(c.at_least, prefix)
        return sorted(_short(v, prefix) for v in c.possible) if c.status == "bounded" else "?"
    pathways = {_short(p.target, "pathway-"): p for p in result.pathways}
    if key in ("eligible", "not_eligible", "possible"):
        status = {"eligible": "eligible", "not_eligible": "not-eligible", "possible": "undetermined"}[key]
        return sorted(k for k, p in pathways.items() if p.status == status)
    if key == "possible_needs":
        return sorted({_short(n, "") for p in result.possible_routes for n in p.needs} |
                      {_short(n, "") for p in result.pathways if p.status == "undetermined" for n in p.needs})
    if key in ("obligations", "not_obligations"):
        wanted = "eligible" if key == "obligations" else "not-eligible"
        return sorted(_short(o.target, "obligation-") for o in result.obligations if o.status == wanted)
    if key == "criteria_not":
        return sorted(_short(c.target, "") for c in result.criteria if c.status == "not-eligible")
    return {"gap": result.gap, "evaluated": result.national_evaluation, "route_open": result.national_route,
            "conflict": bool(result.conflicts)}[key]  # fmt: skip


def _cases() -> Iterator[object]:
    for case in CASES:
        yield pytest.param(case, id=case["id"])


def test_the_suite_has_forty_cases_from_every_origin() -> None:
    assert len(CASES) >= 40
    assert len({c["id"] for c in CASES}) == len(CASES)
    origins = " ".join(c["origin"] for c in CASES)
    for origin in ("demo catalogue", "DLinRT", "Health AI Register", "FDA", "edge case"):
        assert origin in origins


@pytest.mark.parametrize("case", list(_cases()))
def test_case(case: dict[str, object], results: dict[str, q.Qualification]) -> None:
    expect, why = case["expect"], case["why"]
    assert isinstance(expect, dict) and isinstance(why, dict)
    assert set(expect) <= set(why), f"every expectation needs its justification: {set(expect) - set(why)}"
    result = results[str(case["id"])]
    for key, wanted in expect.items():
        got = actual(result, key)
        if isinstance(wanted, list) and isinstance(got, list) and key not in FACTS:
            assert set(wanted) <= set(got), f"{key}: {wanted} not all in {got} ({why[key]})"
        elif key == "possible_needs":
            assert wanted in got, f"{key}: {wanted} not in {got} ({why[key]})"  # type: ignore[operator]
        else:
            expected = sorted(wanted) if isinstance(wanted, list) else wanted
            assert got == expected, f"{key}: {got!r} != {expected!r} ({why[key]})"


def _cell(result: q.Qualification, key: str) -> str:
    value = actual(result, key)
    if isinstance(value, list):
        return " or ".join(value) if value else "—"
    return {True: "yes", False: "no", None: "?"}.get(value, str(value)) if not isinstance(value, str) else value  # type: ignore[call-overload]


def table(results: dict[str, q.Qualification]) -> str:
    """The Markdown table of docs/qualification.md."""
    lines = [
        "| case | origin | qualification | class (Rule 11) | AI Act | HAS level | IMDRF | gap | evaluated | route open |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for case in CASES:
        r = results[case["id"]]
        cells = [_cell(r, k) for k in ("qualification", "class", "ai_act", "has_level", "imdrf", "gap", "evaluated",
                                        "route_open")]  # fmt: skip
        lines.append(f"| {case['id']} | {case['origin']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def test_the_documented_table_is_what_the_code_concludes(results: dict[str, q.Qualification]) -> None:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(r"<!-- cases:begin -->\n(.*?)\n<!-- cases:end -->", text, re.S)
    assert match, "docs/qualification.md lacks the cases table markers"
    assert match.group(1) == table(results), "docs/qualification.md is stale; the current table is:\n" + table(results)


def test_bounded_conclusions_name_the_fields_that_settle_them(results: dict[str, q.Qualification]) -> None:
    for case_id, result in results.items():
        for c in result.conclusions:
            if c.status in ("bounded", "undetermined"):
                assert c.needs, f"{case_id}: {c.procedure} is {c.status} without naming what it needs"
                assert all(n.startswith((EG, EGV)) for n in c.needs)
