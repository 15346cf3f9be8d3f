"""The qualification engine: demo-catalogue cases, every Rule 11 branch, IVD routing, undetermined cases, conflicts,
the inferred graph and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from evalgraph.qualification import engine as q
from evalgraph.store.oxigraph import OxigraphStore

EG = "https://w3id.org/evalgraph/ontology/"
EGV = "https://w3id.org/evalgraph/vocab/"
EGR = "https://w3id.org/evalgraph/id/"


@pytest.fixture(scope="module")
def model(builtin_store: OxigraphStore) -> q.DecisionModel:
    return q.DecisionModel(builtin_store)


def _catalogue(store: OxigraphStore, model: q.DecisionModel, name: str) -> q.Qualification:
    return q.qualify(model, q.read_facts(store, EGR + name))


def _value(result: q.Qualification, fact: str) -> tuple[str, str | None, str | None]:
    conclusion = result.conclusion(EG + fact)
    assert conclusion is not None
    return conclusion.status, _short(conclusion.value), _short(conclusion.at_least)


def _short(iri: str | None) -> str | None:
    return iri.rsplit("/", 1)[-1] if iri else None


def test_graph_is_built_from_the_rdf(model: q.DecisionModel) -> None:
    assert len(model.procedures) == 5
    questions = [n for n, d in model.graph.nodes(data=True) if d["kind"] == "question"]
    outcomes = [n for n, d in model.graph.nodes(data=True) if d["kind"] == "outcome"]
    assert len(questions) == 18 and len(outcomes) == 19
    assert model.graph.number_of_edges() == 41
    assert all(data["references"] for _, _, data in model.graph.edges(data=True))
    assert all(model.graph.out_degree(n) >= 2 for n in questions)
    assert all(model.graph.out_degree(n) == 0 for n in outcomes)
    for procedure in model.procedures:  # every node of a procedure is reachable from its start
        start = model.procedure_info[procedure]["start"]
        members = {n for n, d in model.graph.nodes(data=True) if d["procedure"] == procedure}
        assert members <= nx.descendants(model.graph, start) | {start}


def test_boneview(builtin_store: OxigraphStore, model: q.DecisionModel) -> None:
    result = _catalogue(builtin_store, model, "tech-boneview")
    assert _value(result, "regulatoryQualification") == ("determined", "qualification-mdsw-mdr", None)
    # Rule 11 stops at the impact of decisions (at least IIa); the declared CE class IIa, one of the classes still
    # possible, settles it
    risk = result.conclusion(EG + "riskClass")
    assert risk is not None and (risk.status, risk.value) == ("determined", EGV + "device-class-IIa")
    assert risk.steps[-1].how == "declared" and risk.steps[-1].fact == EG + "deviceClass"
    assert result.national_evaluation is False and result.national_route is False
    ai_act = result.conclusion(EG + "aiActCategory")
    assert ai_act is not None and ai_act.value == EGV + "ai-act-high-risk-annex-i"
    assert ai_act.application_date == "2027-08-02"
    assert result.gap is True
    eligible = set(result.eligible_pathways)
    assert {EGR + "pathway-has-choice-aid-guide", EGR + "pathway-has-certification"} <= eligible
    assert not eligible & {EGR + "pathway-pecan", EGR + "pathway-latm", EGR + "pathway-lppr-brand-name"}
    assert {EGR + "obligation-l4001-3-patient-information", EGR + "obligation-ai-act-art-26-deployer"} <= set(
        result.applicable_obligations)
    assert result.conflicts == []
    assert result.applicable_criteria == [EGR + "criterion-v2025-dmn-advanced"]
    dates = {o.target: o.application_date for o in result.obligations}
    assert dates[EGR + "obligation-ai-act-art-26-deployer"] == "2027-08-02"  # an Annex I product (Art. 113(c))
    assert dates[EGR + "obligation-ai-act-art-4-literacy"] == "2025-02-02"
    first = result.conclusion(EG + "regulatoryQualification").steps[0]  # type: ignore[union-attr]
    # the diagnosis-aid purpose and the CE marking under the MDR both answer it; the first in IRI order is shown
    assert first.how == "rule" and first.rule in {EGR + "rule-medical-purpose-from-ce", EGR + "rule-medical-purpose-from-purpose"}
    assert any(r.iri == EGR + "law-mdr-art-2-1" and r.urls for r in first.references)


def test_moovcare_is_outside_the_professional_gap(builtin_store: OxigraphStore, model: q.DecisionModel) -> None:
    result = _catalogue(builtin_store, model, "tech-moovcare-poumon")
    assert _value(result, "regulatoryQualification")[1] == "qualification-mdsw-mdr"
    assert EGR + "pathway-lppr-brand-name" in result.obtained
    assert result.gap is False and result.national_evaluation is True
    risk = result.conclusion(EG + "riskClass")
    # telemonitoring monitors physiological processes (answer rule); whether it informs decisions and whether the
    # parameters are vital stay open: every branch left is class IIa or above
    assert risk is not None and (risk.status, risk.at_least) == ("bounded", EGV + "device-class-IIa")
    assert risk.needs[0] == EG + "informsClinicalDecisions"


def test_scheduling_tool_is_not_a_device(builtin_store: OxigraphStore, model: q.DecisionModel) -> None:
    result = _catalogue(builtin_store, model, "tech-ai-staff-scheduling")
    assert _value(result, "regulatoryQualification") == ("determined", "qualification-not-a-device", None)
    assert _value(result, "riskClass")[0] == "not-applicable"
    assert result.gap is False
    assert EGR + "pathway-has-certification" in result.eligible_pathways
    assert result.applicable_criteria == [EGR + "criterion-v2025-digital-standard"]


def test_ambient_scribe_is_decided_by_its_purpose(builtin_store: OxigraphStore, model: q.DecisionModel) -> None:
    result = _catalogue(builtin_store, model, "tech-nabla")
    qualification = result.conclusion(EG + "regulatoryQualification")
    assert qualification is not None and qualification.value == EGV + "qualification-not-a-device"
    deciding = qualification.steps[0]
    assert deciding.fact == EG + "hasMedicalPurpose" and deciding.answer is False
    assert deciding.rule == EGR + "rule-no-medical-purpose-from-purpose"
    assert _value(result, "aiActCategory")[1] == "ai-act-transparency"
    assert EGR + "obligation-ai-act-art-50-transparency" in result.applicable_obligations


def _facts(**properties: object) -> q.Facts:
    facts = q.Facts(EGR + "tech-test")
    for name, value in properties.items():
        values = value if isinstance(value, set) else {value}
        facts.by_property[EG + name] = q.Fact({v if isinstance(v, bool) else EGV + v for v in values})  # type: ignore[misc]
    return facts


DIAGNOSTIC_MD = {"intendedPurpose": "purpose-diagnosis-aid", "isIVDSoftware": False}
MONITORING = {"intendedPurpose": "purpose-telemonitoring", "isIVDSoftware": False, "informsClinicalDecisions": False}


def test_imdrf_cells_sharing_an_outcome_keep_both_branches(model: q.DecisionModel) -> None:
    for situation in ("imdrf-situation-serious", "imdrf-situation-non-serious"):
        facts = _facts(**DIAGNOSTIC_MD, imdrfSignificance="imdrf-significance-inform", imdrfSituation=situation)
        assert _value(q.qualify(model, facts), "imdrfCategory") == ("determined", "imdrf-category-I", None)



@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({**DIAGNOSTIC_MD, "decisionImpact": "impact-death-or-irreversible"}, ("determined", "device-class-III", None)),
        ({**DIAGNOSTIC_MD, "decisionImpact": "impact-serious-or-surgical"}, ("determined", "device-class-IIb", None)),
        ({**DIAGNOSTIC_MD, "decisionImpact": "impact-other"}, ("determined", "device-class-IIa", None)),
        (DIAGNOSTIC_MD, ("bounded", None, "device-class-IIa")),
        ({**MONITORING, "monitorsPhysiologicalProcesses": True, "monitorsVitalParameters": True},
         ("determined", "device-class-IIb", None)),
        ({**MONITORING, "monitorsPhysiologicalProcesses": True, "monitorsVitalParameters": False},
         ("determined", "device-class-IIa", None)),
        ({**MONITORING, "monitorsPhysiologicalProcesses": True}, ("bounded", None, "device-class-IIa")),
        ({"intendedPurpose": "purpose-therapeutic", "isIVDSoftware": False, "actsOnDataBeyondStorage": True,
          "informsClinicalDecisions": False, "monitorsPhysiologicalProcesses": False},
         ("determined", "device-class-I", None)),
        ({"intendedPurpose": "purpose-telemonitoring", "isIVDSoftware": False}, ("bounded", None, "device-class-IIa")),
        ({"intendedPurpose": "purpose-therapeutic", "isIVDSoftware": False}, ("undetermined", None, None)),
    ],
    ids=["III", "IIb", "IIa", "at-least-IIa", "vital-IIb", "monitoring-IIa", "monitoring-at-least-IIa", "other-I",
         "telemonitoring-at-least-IIa", "therapeutic-undetermined"],
)
def test_rule_11_branches(model: q.DecisionModel, facts: dict[str, object], expected: tuple[str, str | None, str | None]) -> None:
    result = q.qualify(model, _facts(**facts))
    assert _value(result, "regulatoryQualification")[1] == "qualification-mdsw-mdr"
    assert _value(result, "riskClass") == expected


def test_ivd_software_is_routed_away_from_rule_11(model: q.DecisionModel) -> None:
    result = q.qualify(model, _facts(intendedPurpose="purpose-diagnosis-aid", isIVDSoftware=True))
    assert _value(result, "regulatoryQualification")[1] == "qualification-mdsw-ivdr"
    assert _value(result, "riskClass") == ("not-applicable", None, None)


def test_missing_facts_are_named_never_guessed(model: q.DecisionModel) -> None:
    result = q.qualify(model, _facts(isAISystem=True))
    qualification = result.conclusion(EG + "regulatoryQualification")
    assert qualification is not None and qualification.status == "undetermined"
    assert qualification.needs[0] == EG + "hasMedicalPurpose"  # then the questions of each branch
    assert set(qualification.possible) == {EGV + "qualification-not-a-device", EGV + "qualification-mdsw-mdr",
                                           EGV + "qualification-mdsw-ivdr"}
    risk = result.conclusion(EG + "riskClass")  # Rule 11 is walked on the assumption that the MDR applies
    assert risk is not None and risk.assuming == [EGV + "qualification-mdsw-mdr"]
    assert _value(result, "aiActCategory")[0] == "bounded"  # an AI system: never "not an AI system"
    assert result.gap is None and EG + "hasMedicalPurpose" in result.gap_needs
    assert all(p.status != "eligible" or not p.conditions or all(c.status == "met" for c in p.conditions)
               for p in result.pathways)


def test_a_stated_category_the_logic_cannot_reach_is_kept(model: q.DecisionModel) -> None:
    """Annex III high risk depends on the use case: the logic cannot conclude it, but a stated one is used."""
    facts = _facts(isAISystem=True, intendedPurpose="purpose-care-organisation",
                   aiActCategory="ai-act-high-risk-annex-iii")
    result = q.qualify(model, facts)
    ai_act = result.conclusion(EG + "aiActCategory")
    assert ai_act is not None and ai_act.status == "bounded"
    assert set(ai_act.possible) == {EGV + "ai-act-transparency", EGV + "ai-act-minimal"}
    assert ai_act.stated == [EGV + "ai-act-high-risk-annex-iii"]
    assert EGR + "obligation-ai-act-art-26-deployer" in result.applicable_obligations
    art_26 = next(o for o in result.obligations if o.target == EGR + "obligation-ai-act-art-26-deployer")
    assert art_26.application_date == "2026-08-02"  # Annex III systems (Art. 113); Annex I products: 2027


def test_declared_class_below_rule_11_is_a_conflict(model: q.DecisionModel) -> None:
    facts = _facts(**DIAGNOSTIC_MD, regulatoryQualification="qualification-mdsw-mdr")
    facts.ce_markings[EGR + "ce-test"] = EGV + "device-class-I"
    facts.ce_regulations[EGR + "ce-test"] = EGR + "law-mdr"
    result = q.qualify(model, facts)
    assert [(c.fact, c.asserted, c.derived, c.reason) for c in result.conflicts] == [
        (EG + "deviceClass", EGV + "device-class-I", EGV + "device-class-IIa", "below")]


def test_class_under_former_directive_is_no_rule_11_conflict(model: q.DecisionModel) -> None:
    facts = _facts(**DIAGNOSTIC_MD)
    facts.ce_markings[EGR + "ce-test"] = EGV + "device-class-I"
    facts.ce_regulations[EGR + "ce-test"] = EGR + "law-mdd"
    assert q.qualify(model, facts).conflicts == []


def test_asserted_qualification_contradicting_the_logic_is_a_conflict(model: q.DecisionModel) -> None:
    facts = _facts(intendedPurpose="purpose-diagnosis-aid", regulatoryQualification="qualification-not-a-device")
    result = q.qualify(model, facts)
    assert _value(result, "regulatoryQualification") == ("bounded", None, None)  # IVD question: MDR or IVDR
    facts = _facts(intendedPurpose="purpose-diagnosis-aid", isIVDSoftware=False,
                   regulatoryQualification="qualification-not-a-device")
    result = q.qualify(model, facts)
    assert [(c.asserted, c.derived, c.reason) for c in result.conflicts] == [
        (EGV + "qualification-not-a-device", EGV + "qualification-mdsw-mdr", "different")]


def test_qualify_all_writes_a_queryable_inferred_graph(run_cli) -> None:
    first = run_cli("qualify", "--all")
    assert first.exit_code == 0, first.stderr
    # the 18 catalogue technologies and the shipped FDA market (its records name no intended user: none in the gap)
    qualified = re.match(r"(\d+) technologies qualified \(11 in the evaluation gap", first.stdout)
    assert qualified is not None and int(qualified.group(1)) > 1000, first.stdout
    query = ("PREFIX eg: <https://w3id.org/evalgraph/ontology/> SELECT ?t WHERE { GRAPH "
             "<https://w3id.org/evalgraph/graph/inferred> { ?t eg:inEvaluationGap true } }")
    gap = run_cli("query", query, "--format", "csv")
    in_gap = set(gap.stdout.splitlines()[1:])
    assert len(in_gap) == 11 and EGR + "tech-boneview" in in_gap
    assert not in_gap & {EGR + "tech-moovcare-poumon", EGR + "tech-nabla", EGR + "tech-ai-staff-scheduling"}
    again = run_cli("qualify", "--all")
    assert again.stdout == first.stdout  # replaced, not appended
    stats = json.loads(run_cli("stats", "--format", "json").stdout)
    inferred = next(g for g in stats["graphs"] if g["graph"].endswith("/inferred"))
    assert inferred["sources"] == ["evalgraph qualify --all"]


def test_qualify_cli_text_and_json(run_cli) -> None:
    text = run_cli("qualify", "BoneView")
    assert text.exit_code == 0, text.stderr
    assert "MDR Annex VIII Rule 11: class IIa" in text.stdout and "(declared CE class)" in text.stdout
    assert "one of category III / category II / category I; needs state of the healthcare situation" in text.stdout
    assert "if state of the healthcare situation (IMDRF) = critical: category III" in text.stdout
    assert "Innovation funding (forfait innovation) ← presumed innovative" in text.stdout
    assert "National route open for the product: no" in text.stdout
    assert "In the evaluation gap: yes" in text.stdout
    french = run_cli("--lang", "fr", "qualify", "egr:tech-boneview")
    assert "Dans le vide d'évaluation : oui" in french.stdout or "Dans le vide d'évaluation: oui" in french.stdout
    document = json.loads(run_cli("qualify", "boneview", "--format", "json").stdout)
    assert document["technology"] == EGR + "tech-boneview" and document["evaluation_gap"] is True
    rule11 = next(c for c in document["conclusions"] if c["fact"] == "eg:riskClass")
    assert rule11["value"]["label"] == "class IIa" and rule11["steps"][-1]["how"] == "declared"
    imdrf = next(c for c in document["conclusions"] if c["fact"] == "eg:imdrfCategory")
    assert imdrf["status"] == "bounded" and len(imdrf["if"]) == 3
    assert document["national_evaluation_obtained"] is False and document["national_route_open"] is False
    not_eligible = next(p for p in document["pathways"] if p["iri"] == EGR + "pathway-latm")
    assert not_eligible["status"] == "not-eligible"
    assert any(c["status"] == "not-met" for c in not_eligible["conditions"])


def test_qualify_cli_errors(run_cli) -> None:
    unknown = run_cli("qualify", "no-such-technology")
    assert unknown.exit_code == 2 and "no technology named 'no-such-technology'" in unknown.stderr
    ambiguous = run_cli("qualify", "Lunit")
    assert ambiguous.exit_code == 2 and "several technologies" in ambiguous.stderr
    assert run_cli("qualify").exit_code == 2


def test_qualify_a_dossier(run_cli) -> None:
    dossier = Path(__file__).parent / "data" / "dossiers" / "faulty.yaml"
    result = run_cli("qualify", str(dossier), "--format", "json")
    assert result.exit_code == 1, result.stderr  # the dossier's declared class contradicts Rule 11
    document = json.loads(result.stdout)
    assert document["technology"] == EGR + "tech-test-faulty"
    assert [c["reason"] for c in document["conflicts"]] == ["below"]


def test_decision_graph_export(run_cli, tmp_path: Path, model: q.DecisionModel) -> None:
    graphml = tmp_path / "logic.graphml"
    assert run_cli("decision-graph", "-o", str(graphml)).exit_code == 0
    exported = nx.read_graphml(graphml)
    assert exported.number_of_nodes() == model.graph.number_of_nodes()
    assert exported.nodes[EGR + "outcome-rule-11-class-III"]["label"] == "Class III (death or irreversible deterioration)"
    png = tmp_path / "logic.png"
    assert run_cli("decision-graph", "-o", str(png)).exit_code == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run_cli("decision-graph", "-o", str(tmp_path / "logic.txt")).exit_code == 2


def test_reading_all_facts_at_once_matches_one_by_one(builtin_store: OxigraphStore) -> None:
    everything = q.read_all_facts(builtin_store)
    assert set(everything) == {iri for iri, _ in q.technologies(builtin_store)}
    for iri, facts in everything.items():
        one = q.read_facts(builtin_store, iri)
        assert {p: f.values for p, f in one.by_property.items()} == {p: f.values for p, f in facts.by_property.items()}
        assert (one.ce_markings, one.ce_regulations, one.obtained, one.labels) == (
            facts.ce_markings, facts.ce_regulations, facts.obtained, facts.labels)


def test_a_stated_national_route_the_conditions_contradict_is_a_conflict_and_is_not_overwritten(
        model: q.DecisionModel) -> None:
    """eg:hasNationalRoute is derived; a source that states otherwise is reported, and the derived value is not
    written next to it (the property is functional: both would make the graph inconsistent)."""
    facts = _facts(**DIAGNOSTIC_MD, intendedUser="user-health-professional", hasNationalRoute=True)
    result = q.qualify(model, facts)
    assert result.national_route is False and result.national_route_derived is False
    assert [(c.fact, c.asserted, c.derived) for c in result.conflicts] == [(EG + "hasNationalRoute", "true", "false")]
    assert not [t for t in q.inferred_triples(result) if t.predicate.value == EG + "hasNationalRoute"]


@pytest.fixture(scope="module")
def market_store() -> OxigraphStore:
    """The store a first open leaves (built-in data and the shipped FDA list), plus the HAIR and DLinRT fixtures:
    registry products with CE markings, domains, input data and users the FDA list does not state."""
    from evalgraph.market import import_file, shipped
    from evalgraph.store.oxigraph import open_store

    store = open_store(None)
    shipped.ensure_loaded(store)
    market = Path(__file__).parent / "data" / "market"
    import_file(store, "hair", market / "hair-2026-06-17.csv")
    import_file(store, "dlinrt", market / "dlinrt.json")
    return store


def test_qualify_all_shares_results_per_fact_pattern_and_concludes_as_one_by_one(market_store: OxigraphStore) -> None:
    """``qualify --all`` (every technology's facts read at once, one model keeping the procedures' walks and the
    eligibility results per fact pattern) concludes, on a sample of ~110 products of the market, exactly what
    qualifying each alone concludes (its facts read alone, walks and eligibility computed afresh): same JSON in both
    languages, same inferred triples."""
    techs = sorted(iri for iri, _ in q.technologies(market_store))
    assert len(techs) > 1000
    batch_model = q.DecisionModel(market_store)
    everything = q.read_all_facts(market_store)
    batch = {t: q.qualify(batch_model, everything.get(t, q.Facts(t))) for t in techs}
    patterns = len(batch_model.compiled.results)
    assert 10 < patterns < len(techs) / 5, patterns  # technologies share patterns: most are evaluated from the cache
    sample = list(dict.fromkeys([t for t in techs if "/tech-" in t] + techs[::12]))  # the catalogue, then a spread
    assert len(sample) > 100
    alone_model = q.DecisionModel(market_store)
    for t in sample:
        alone_model.compiled.results.clear()
        alone = q.qualify(alone_model, q.read_facts(market_store, t))
        for lang in ("en", "fr"):
            assert q.to_dict(alone_model, alone, lang) == q.to_dict(batch_model, batch[t], lang), t
        assert sorted(map(str, q.inferred_triples(alone))) == sorted(map(str, q.inferred_triples(batch[t]))), t
    statuses = {(p.target, p.status) for t in sample for p in batch[t].pathways}
    assert len({status for _target, status in statuses}) >= 3  # eligible, not eligible, possible if … all met
