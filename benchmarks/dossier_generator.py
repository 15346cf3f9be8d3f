"""A seeded generator of varied technology dossiers (Turtle text) for the validation benchmark.

Each dossier describes one fictitious digital technology with its manufacturer, version, intended purposes, users and
care settings, in one of six profiles: software that is not a device, a non-AI medical device (MDR class I to III),
an AI medical device (MDR), an AI in-vitro diagnostic device (IVDR class A to D), a generative-AI system and an AI
system that is not a device. Medical devices and AI systems may carry studies with performance measures and
confidence intervals, and medical devices may claim assessments under the PECAN, LPPR brand-name, LATM and ANS
certificate pathways of the knowledge base.

Every dossier is *complete* (no finding expected), *partial* (omissions that give warnings or infos) or *faulty*
(typical mistakes that give violations, sometimes with omissions too). The vocabulary concepts are read from
``ontology/vocabularies/``, the pathways, the PECAN term and the LATM prerequisite from ``kb/pathways.ttl``, so the
dossiers only use real terms (except where a fault is a misspelt or unknown term on purpose). Each generated dossier
records the shapes its omissions and faults should trigger (``expected``), which the benchmark uses as a sanity check.

Usage as a script: ``python benchmarks/dossier_generator.py --count 5 --seed 1`` prints the dossiers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from evalgraph import resources

EG = "https://w3id.org/evalgraph/ontology/"
EGV = "https://w3id.org/evalgraph/vocab/"
EGR = "https://w3id.org/evalgraph/id/"
SKOS = "http://www.w3.org/2004/02/skos/core#"

PREFIXES = """@prefix eg:   <https://w3id.org/evalgraph/ontology/> .
@prefix egv:  <https://w3id.org/evalgraph/vocab/> .
@prefix egr:  <https://w3id.org/evalgraph/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix dct:  <http://purl.org/dc/terms/> .
"""

PROFILES = ("non-ai-software", "non-ai-md", "ai-md", "ai-ivd", "genai", "ai-not-device")
PROFILE_WEIGHTS = (12, 16, 32, 12, 14, 14)
KINDS = ("complete", "partial", "faulty")
KIND_WEIGHTS = (35, 30, 35)

# Purposes that make software "information used to take decisions" under MDR Annex VIII Rule 11 (the list the
# shape egsh:Rule11DecisionSoftwareNotClassI holds); checked against the scheme when the vocabulary is read.
DECISION_PURPOSES = ("purpose-screening-aid", "purpose-diagnosis-aid", "purpose-medical-decision-aid",
                     "purpose-therapeutic-decision-aid")
HIGH_RISK = ("ai-act-high-risk-annex-i", "ai-act-high-risk-annex-iii")
NB_CLASSES = ("device-class-IIa", "device-class-IIb", "device-class-III")

WORDS_A = ("Radio", "Cardio", "Neuro", "Onco", "Derma", "Pulmo", "Gastro", "Patho", "Ortho", "Nephro", "Triage",
           "Care", "Med", "Vita", "Scan", "Path", "Lumen", "Clin", "Sana", "Veri")
WORDS_B = ("Sight", "Scope", "Guard", "Flow", "Mind", "Assist", "Note", "Track", "Lens", "Sense", "Plan", "Check",
           "Read", "Link", "Watch", "Detect", "Scribe", "Board", "Pilot", "Logic")
COUNTRIES = ("FR", "DE", "BE", "NL", "IT", "ES", "FI", "US", "GB", "IL", "KR", "CH")


# --------------------------------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True)
class Vocabulary:
    """The concepts of each scheme (local names, ``egv:`` namespace) and the pathway facts of the knowledge base."""

    schemes: dict[str, tuple[str, ...]]
    pathways: frozenset[str]
    pecan_months: int
    latm_prerequisites: tuple[str, ...]

    def concepts(self, scheme: str) -> tuple[str, ...]:
        return self.schemes[scheme]


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    store = ox.Store()
    for kind in ("ontology", "kb"):
        for file in resources.files(kind, ".ttl"):
            store.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
    schemes: dict[str, list[str]] = {}
    query = f"SELECT ?c ?s WHERE {{ ?c a <{SKOS}Concept> ; <{SKOS}inScheme> ?s }} ORDER BY ?s ?c"
    for row in store.query(query):  # type: ignore[union-attr]
        concept, scheme = row["c"].value, row["s"].value
        if concept.startswith(EGV) and scheme.startswith(EGV):
            schemes.setdefault(scheme[len(EGV):], []).append(concept[len(EGV):])
    pathways = frozenset(row["p"].value[len(EGR):] for row in store.query(  # type: ignore[union-attr]
        f"SELECT ?p WHERE {{ ?p a <{EG}EvaluationPathway> }}"))
    months = [int(row["m"].value) for row in store.query(  # type: ignore[union-attr]
        f"SELECT ?m WHERE {{ <{EGR}pathway-pecan> <{EG}durationMonths> ?m }}")]
    prerequisites = tuple(sorted(row["p"].value[len(EGR):] for row in store.query(  # type: ignore[union-attr]
        f"SELECT ?p WHERE {{ <{EGR}pathway-latm> <{EG}prerequisitePathway> ?p }}")))
    vocab = Vocabulary({k: tuple(v) for k, v in schemes.items()}, pathways, months[0] if months else 12,
                       prerequisites)
    for pathway in ("pathway-pecan", "pathway-lppr-brand-name", "pathway-latm", "pathway-ans-certificate"):
        assert pathway in vocab.pathways, f"{pathway} is not in the knowledge base"
    assert set(DECISION_PURPOSES) <= set(vocab.concepts("IntendedPurposeScheme"))
    assert set(NB_CLASSES) <= set(vocab.concepts("MedicalDeviceClassScheme"))
    return vocab


# ------------------------------------------------------------------------------------------------------ model


def lit(text: str, lang: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + f'"@{lang}'


def both(fr: str, en: str) -> list[str]:
    return [lit(fr, "fr"), lit(en, "en")]


def date(day: dt.date) -> str:
    return f'"{day.isoformat()}"^^xsd:date'


@dataclass
class Dossier:
    """One generated dossier: its nodes (subject → predicate → Turtle objects) and what it should trigger."""

    name: str
    profile: str
    kind: str
    tech: str
    nodes: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    expected: set[str] = field(default_factory=set)  # local names of shapes the dossier should trigger
    changes: list[str] = field(default_factory=list)  # omissions and faults applied
    ce: str | None = None
    ce_class: str | None = None
    studies: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    assessments: dict[str, str] = field(default_factory=dict)  # pathway local name → assessment subject

    def node(self, subject: str) -> dict[str, list[str]]:
        return self.nodes.setdefault(subject, {})

    def set(self, subject: str, predicate: str, *objects: str) -> None:
        self.node(subject)[predicate] = list(objects)

    def drop(self, subject: str, *predicates: str) -> None:
        for predicate in predicates:
            self.node(subject).pop(predicate, None)

    def get(self, subject: str, predicate: str) -> list[str]:
        return self.nodes.get(subject, {}).get(predicate, [])

    @property
    def is_ai(self) -> bool:
        return self.get(self.tech, "eg:isAISystem") == ["true"]

    @property
    def is_device(self) -> bool:
        return self.profile in ("non-ai-md", "ai-md", "ai-ivd") or (self.ce is not None)

    def turtle(self) -> str:
        lines = [f"# Generated dossier {self.name}: profile {self.profile}, {self.kind}"
                 + (f" ({', '.join(self.changes)})" if self.changes else "") + ".", PREFIXES]
        for subject, predicates in self.nodes.items():
            items = [(p, o) for p, o in predicates.items() if o]
            if not items:
                continue
            body = " ;\n    ".join(f"{p} {' , '.join(o)}" for p, o in items)
            lines.append(f"{subject}\n    {body} .\n")
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------------- generation


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)  # noqa: S311 — reproducible test data, not secrets
        self.vocab = vocabulary()

    def pick(self, scheme: str, exclude: tuple[str, ...] = ()) -> str:
        return self.rng.choice([c for c in self.vocab.concepts(scheme) if c not in exclude])

    def some(self, scheme: str, low: int, high: int, among: tuple[str, ...] | None = None) -> list[str]:
        pool = list(among) if among else list(self.vocab.concepts(scheme))
        return self.rng.sample(pool, self.rng.randint(low, min(high, len(pool))))

    def day(self, start: int = 2019, end: int = 2026) -> dt.date:
        return dt.date(self.rng.randint(start, end), self.rng.randint(1, 12), self.rng.randint(1, 28))

    def dossier(self, index: int, profile: str | None = None, kind: str | None = None) -> Dossier:
        rng = self.rng
        profile = profile or rng.choices(PROFILES, PROFILE_WEIGHTS)[0]
        kind = kind or rng.choices(KINDS, KIND_WEIGHTS)[0]
        key = f"bench-{index:05d}"
        product = rng.choice(WORDS_A) + rng.choice(WORDS_B)
        d = Dossier(f"{key}-{product.lower()}", profile, kind, f"egr:tech-{key}")
        self._technology(d, key, product)
        if profile in ("non-ai-md", "ai-md", "ai-ivd"):
            self._ce_marking(d, key, product)
        if d.is_ai:
            self._ai_facts(d)
        if profile == "genai":
            self._genai_facts(d)
        n_studies = {"non-ai-software": rng.choice((0, 0, 1)), "genai": rng.randint(0, 1)}.get(profile,
                                                                                             rng.randint(1, 3))
        if d.is_ai and kind == "complete":
            n_studies = max(n_studies, 1)  # an AI system without a reported measure gets a warning
        for s in range(n_studies):
            self._study(d, key, s + 1, product)
        if d.is_device and rng.random() < 0.6:
            self._assessments(d, key)
        elif rng.random() < 0.1:
            self._assessment(d, key, "pathway-ans-certificate")
        if kind != "complete":
            self._alter(d, kind)
        return d

    def typical(self) -> Dossier:
        """The typical dossier: a complete AI medical device (MDR class IIa, its notified body and certificate),
        one MRMC reader study with two measures and their confidence intervals, and one PECAN claim."""
        saved = self.rng
        self.rng = random.Random(20261201)  # noqa: S311
        rng = self.rng
        d = Dossier("typical-ai-medical-device", "ai-md", "complete", "egr:tech-bench-typical")
        self._technology(d, "bench-typical", "RadioSight", purposes=["purpose-diagnosis-aid"])
        self._ce_marking(d, "bench-typical", "RadioSight", cls="device-class-IIa")
        self._ai_facts(d)
        self._study(d, "bench-typical", 1, "RadioSight", measures=2, design="design-mrmc-reader-study")
        self._assessment(d, "bench-typical", "pathway-pecan")
        assert rng is self.rng
        self.rng = saved
        return d

    # ---------------------------------------------------------------------------------------- building blocks

    def _technology(self, d: Dossier, key: str, product: str, purposes: list[str] | None = None) -> None:
        rng, p = self.rng, d.profile
        t = d.tech
        maker = f"egr:org-{key}-maker"
        version = f"egr:version-{key}"
        d.set(t, "a", "eg:DigitalTechnology")
        d.set(t, "rdfs:label", lit(product, "fr"), lit(product, "en"))
        d.set(t, "rdfs:comment", *both(f"Logiciel fictif {product}, généré pour le banc d'essai de validation.",
                                       f"Fictitious software {product}, generated for the validation benchmark."))
        d.set(t, "eg:manufacturer", maker)
        d.set(t, "eg:hasVersion", version)
        if purposes is None:
            decision = DECISION_PURPOSES
            other = tuple(c for c in self.vocab.concepts("IntendedPurposeScheme") if c not in decision)
            if p in ("ai-md", "ai-ivd"):
                purposes = self.some("", 1, 2, decision if p == "ai-md" else ("purpose-diagnosis-aid",
                                                                                "purpose-screening-aid"))
            elif p == "non-ai-md":
                purposes = self.some("", 1, 2, ("purpose-telemonitoring", "purpose-therapeutic",
                                                "purpose-prescription-dispensation-aid"))
            elif p == "genai":
                purposes = ["purpose-administrative-documentation"]
            else:
                purposes = self.some("", 1, 2, tuple(c for c in other if c in (
                    "purpose-care-organisation", "purpose-administrative-documentation",
                    "purpose-telemonitoring")))
        d.set(t, "eg:intendedPurpose", *(f"egv:{c}" for c in purposes))
        users = (["user-health-professional"] if p in ("ai-md", "ai-ivd") else
                 self.some("IntendedUserScheme", 1, 2))
        d.set(t, "eg:intendedUser", *(f"egv:{c}" for c in users))
        settings = {"ai-ivd": ["setting-pathology-laboratory"],
                    "ai-md": self.some("", 1, 2, ("setting-radiology", "setting-emergency-department",
                                                  "setting-stroke-pathway", "setting-organised-screening")),
                    "non-ai-md": self.some("", 1, 2, ("setting-home", "setting-outpatient-specialist",
                                                      "setting-hospital"))}.get(p) or self.some(
            "CareSettingScheme", 1, 2)
        d.set(t, "eg:careSetting", *(f"egv:{c}" for c in settings))
        qualification = {"non-ai-md": "qualification-mdsw-mdr", "ai-md": "qualification-mdsw-mdr",
                         "ai-ivd": "qualification-mdsw-ivdr"}.get(p, "qualification-not-a-device")
        d.set(t, "eg:regulatoryQualification", f"egv:{qualification}")
        d.set(t, "eg:isAISystem", "true" if p in ("ai-md", "ai-ivd", "genai", "ai-not-device") else "false")
        if p == "genai":
            d.set(t, "eg:isGenerativeAI", "true")
        d.set(t, "dct:source", f"<https://example.org/bench/{key}>")
        d.set(maker, "a", "eg:Company")
        d.set(maker, "rdfs:label", lit(f"{product} SAS", "fr"), lit(f"{product} Ltd", "en"))
        d.set(maker, "eg:country", f'"{rng.choice(COUNTRIES)}"')
        d.set(version, "a", "eg:TechnologyVersion")
        d.set(version, "eg:versionNumber", f'"{rng.randint(1, 6)}.{rng.randint(0, 12)}"')

    def _ce_marking(self, d: Dossier, key: str, product: str, cls: str | None = None) -> None:
        rng = self.rng
        ce = f"egr:ce-{key}"
        ivd = d.profile == "ai-ivd"
        if cls is None:
            if ivd:
                cls = self.pick("IVDClassScheme", exclude=("ivd-general-ivdd",))
            elif d.profile == "ai-md":
                cls = rng.choice(NB_CLASSES)
            else:
                cls = rng.choice(("device-class-I", "device-class-I", "device-class-IIa", "device-class-IIb"))
        d.ce, d.ce_class = ce, cls
        d.set(d.tech, "eg:hasRegulatoryStatus", ce)
        d.set(ce, "a", "eg:CEMarking")
        d.set(ce, "rdfs:label", *both(f"Marquage CE de {product}", f"CE marking of {product}"))
        d.set(ce, "eg:underRegulation", "egr:law-ivdr" if ivd else "egr:law-mdr")
        d.set(ce, "eg:deviceClass", f"egv:{cls}")
        d.set(ce, "eg:statusDate", date(self.day(2021, 2025)))
        if cls in NB_CLASSES or (ivd and cls != "ivd-class-A"):
            body = f"egr:org-{key}-notified-body"
            d.set(ce, "eg:notifiedBody", body)
            d.set(ce, "eg:certificateReference", f'"CE-{rng.randint(1000, 9999)}-{rng.randint(10, 99)}"')
            d.set(body, "a", "eg:NotifiedBody")
            d.set(body, "rdfs:label", lit(f"Organisme notifié {rng.randint(100, 2999):04d}", "fr"),
                  lit(f"Notified body {rng.randint(100, 2999):04d}", "en"))
            d.set(body, "eg:country", f'"{rng.choice(COUNTRIES[:7])}"')

    def _ai_facts(self, d: Dossier) -> None:
        rng, t = self.rng, d.tech
        category = "ai-act-minimal"
        if d.profile == "genai":
            category = "ai-act-transparency"
        elif d.ce_class in NB_CLASSES:
            category = "ai-act-high-risk-annex-i"
        elif d.profile == "ai-ivd":  # IVDR class B to D: notified body, hence high-risk (AI Act Art. 6(1))
            category = "ai-act-minimal" if d.ce_class == "ivd-class-A" else "ai-act-high-risk-annex-i"
        d.set(t, "eg:aiActCategory", f"egv:{category}")
        d.set(t, "eg:trainingDataDescription", *both(
            f"{rng.randint(5, 300)} 000 examens de {rng.randint(2, 40)} sites, {rng.randint(2012, 2022)}–2023, annotés par des experts.",
            f"{rng.randint(5, 300)},000 examinations from {rng.randint(2, 40)} sites, {rng.randint(2012, 2022)}–2023, labelled by experts."))
        d.set(t, "eg:validationDataDescription", *both("Jeu de validation séparé par site et par patient.",
                                                       "Validation set held out by site and by patient."))
        d.set(t, "eg:humanOversight", *both("Le professionnel valide chaque résultat avant toute décision.",
                                            "The professional confirms every output before any decision."))
        policy = self.pick("UpdatePolicyScheme")
        d.set(t, "eg:updatePolicy", f"egv:{policy}")
        if policy == "update-continuous-learning":
            d.set(t, "eg:changeControlPlan", *both("Plan de changements prédéterminé, revu à chaque version.",
                                                   "Predetermined change-control plan, reviewed at each release."))
        d.set(t, "eg:outputExplanation", *both("Carte de chaleur et score de confiance affichés avec le résultat.",
                                               "Heat map and confidence score shown with the output."))

    def _genai_facts(self, d: Dossier) -> None:
        t = d.tech
        d.set(t, "eg:modelProvenance", *both("Grand modèle de langage commercial, hébergé en France (HDS), non ré-entraîné.",
                                             "Commercial large language model, hosted in France (HDS-certified), not fine-tuned."))
        d.set(t, "eg:knownErrorMode", *both("Contenu inventé, omissions, posologies erronées.",
                                            "Invented content, omissions, wrong dosages."))
        d.set(t, "eg:outputReview", *both("Le médecin relit et valide le compte rendu avant de le verser au dossier.",
                                          "The physician reviews and signs the note before it is filed."))
        d.set(t, "eg:transparencyMeasure", *both("Mention « généré par IA » sur chaque document ; patients informés.",
                                                 "\"AI-generated\" label on every document; patients are informed."))

    def _study(self, d: Dossier, key: str, number: int, product: str, measures: int | None = None,
               design: str | None = None) -> None:
        rng = self.rng
        s = f"egr:study-{key}-{number}"
        d.studies.append(s)
        d.set(s, "a", "eg:Study")
        d.set(s, "rdfs:label", *both(f"Étude {number} de {product}", f"{product} study {number}"))
        d.set(s, "eg:assessedTechnology", d.tech)
        d.set(s, "eg:studyDesign", f"egv:{design or self.pick('StudyDesignScheme')}")
        setting = d.get(d.tech, "eg:careSetting")
        d.set(s, "eg:studySetting", rng.choice(setting) if setting else f"egv:{self.pick('CareSettingScheme')}")
        d.set(s, "eg:population", *both("Patients adultes consécutifs", "Consecutive adult patients"))
        d.set(s, "eg:sampleSize", str(rng.randint(40, 20000)))
        d.set(s, "eg:isExternalValidation", rng.choice(("true", "false")))
        d.set(s, "eg:isVendorIndependent", rng.choice(("true", "false")))
        d.set(s, "eg:efficacyLevel", f"egv:{self.pick('EfficacyLevelScheme')}")
        d.set(s, "eg:reportingGuideline", f"egv:{self.pick('ReportingGuidelineScheme')}")
        d.set(s, "dct:source", f"<https://doi.org/10.5555/bench.{key}.{number}>")
        n = measures if measures is not None else rng.randint(1, 4)
        metrics = self.rng.sample(list(self.vocab.concepts("MetricScheme")), n)
        names = []
        for m, metric in enumerate(metrics, 1):
            measure = f"egr:measure-{key}-{number}-{m}"
            names.append(measure)
            d.measures.append(measure)
            value = rng.randint(600, 985) / 1000
            half = rng.randint(8, 60) / 1000
            d.set(measure, "a", "eg:PerformanceMeasure")
            d.set(measure, "eg:metric", f"egv:{metric}")
            d.set(measure, "eg:value", f"{value:.3f}")
            d.set(measure, "eg:ciLower", f"{max(0.0, value - half):.3f}")
            d.set(measure, "eg:ciUpper", f"{min(1.0, value + half):.3f}")
            d.set(measure, "eg:ciLevel", "0.95")
            d.set(measure, "eg:dataset", *both(f"Cohorte {product} {number}", f"{product} cohort {number}"))
            d.set(measure, "eg:referenceStandard", *both("Consensus de deux experts", "Two-expert consensus"))
        d.set(s, "eg:reportsMeasure", *names)

    def _assessments(self, d: Dossier, key: str) -> None:
        options = ["pathway-pecan", "pathway-lppr-brand-name", "pathway-latm", "pathway-ans-certificate"]
        for pathway in self.rng.sample(options, self.rng.randint(1, 2)):
            self._assessment(d, key, pathway)
            if pathway == "pathway-latm":
                for prerequisite in self.vocab.latm_prerequisites:
                    self._assessment(d, key, prerequisite)

    def _assessment(self, d: Dossier, key: str, pathway: str) -> None:
        if pathway in d.assessments:
            return
        rng = self.rng
        a = f"egr:assessment-{key}-{pathway.removeprefix('pathway-')}"
        d.assessments[pathway] = a
        day = self.day(2022, 2026)
        d.set(a, "a", "eg:Assessment")
        d.set(a, "eg:underPathway", f"egr:{pathway}")
        d.set(a, "eg:assessedTechnology", d.tech)
        d.set(a, "eg:assessmentDate", date(day))
        d.set(a, "dct:source", f"<https://example.org/bench/{key}/{pathway}>")
        if pathway == "pathway-pecan":
            months = rng.randint(6, self.vocab.pecan_months)
            end = _add_months(day, months)
            d.set(a, "eg:validFrom", date(day))
            d.set(a, "eg:validUntil", date(end))
        elif pathway == "pathway-lppr-brand-name":
            sa = self.pick("SALevelScheme")
            d.set(a, "eg:saLevel", f"egv:{sa}")
            if sa == "sa-sufficient":
                d.set(a, "eg:asaLevel", f"egv:{self.pick('ASALevelScheme')}")

    # ---------------------------------------------------------------------------------- omissions and faults

    def _alter(self, d: Dossier, kind: str) -> None:
        rng = self.rng
        omissions = [o for o in OMISSIONS if o.applies(d)]
        faults = [f for f in FAULTS if f.applies(d)]
        chosen: list[Change] = []
        if kind == "partial" or rng.random() < 0.4:
            chosen += rng.sample(omissions, min(len(omissions), rng.randint(1, 3)))
        if kind == "faulty":
            chosen += rng.sample(faults, min(len(faults), rng.choice((1, 1, 2, 3))))
        done: list[str] = []
        for change in chosen:
            # Skip a change that an earlier one made inapplicable, or that would undo what an earlier one expects.
            if change.applies(d) and not any(_conflict(change.name, other) for other in done):
                change.apply(d, self)
                done.append(change.name)
                d.changes.append(change.name)
                d.expected |= set(change.expected)


@dataclass(frozen=True)
class Change:
    name: str
    expected: tuple[str, ...]
    applies: Callable[[Dossier], bool]
    apply: Callable[[Dossier, Generator], None]


# What each change writes and reads (besides its own property), as "writes | reads": two changes conflict when one
# writes what the other writes or reads — e.g. removing the studies after removing one study's source would lose
# the expected StudySourceRecommended finding. Changes not listed touch only their own property.
SLOTS: dict[str, str] = {
    "ai-no-studies": "studies | ai-flag",
    **{name: "| studies" for name in (
        "study-no-design", "study-no-population", "study-independence-unstated", "study-no-efficacy-level",
        "study-no-guideline", "study-no-source", "measure-no-ci", "measure-half-ci", "measure-no-dataset",
        "measure-no-reference", "study-without-technology")},
    "study-no-size": "study-size | studies", "study-size-zero": "study-size | studies",
    "measure-no-metric": "metric | studies", "metric-unknown": "metric | studies",
    "measure-value-as-text": "measure-value | studies",
    "ci-lower-above-value": "| studies measure-value", "value-above-ci-upper": "| studies measure-value",
    "purpose-misspelt": "purpose", "no-purpose": "purpose",
    "rule-11-class-i": "purpose ce-class ai-category | ce-link ce-regulation",
    "no-ce-marking": "ce-link",
    "ai-act-not-high-risk": "ai-category | ce-link ce-class ce-regulation ai-flag",
    "ivd-class-under-mdr": "ce-class | ce-regulation",
    "unknown-regulation": "ce-regulation",
    "no-notified-body": "| ce-class", "no-certificate-reference": "| ce-class",
    "no-certificate-date": "ce-date | ce-class", "status-date-as-text": "ce-date",
    "pathway-misspelt": "assessments", "latm-without-ans-certificate": "assessments",
    **{name: "| assessments" for name in ("assessment-no-date", "assessment-no-source")},
    "pecan-too-long": "pecan-end | assessments", "pecan-no-end": "pecan-end | assessments",
    "lppr-no-sa": "lppr-sa | assessments", "lppr-sufficient-without-asa": "lppr-sa | assessments",
    "genai-not-declared-ai": "ai-flag",
    **{name: "| ai-flag" for name in ("ai-no-training-data", "ai-no-validation-data", "ai-no-explanation",
                                      "ai-device-no-explanation")},
    "ai-no-category": "ai-category | ai-flag",
    "ai-no-oversight": "oversight | ai-category ai-flag", "high-risk-no-oversight": "oversight | ai-category ai-flag",
    "ai-no-update-policy": "update-policy | ai-flag", "update-policy-unknown": "update-policy | ai-flag",
    "learning-without-plan": "| update-policy ai-flag",
    "manufacturer-nameless": "maker", "manufacturer-untyped": "maker", "no-manufacturer": "maker",
    "country-spelt-out": "| maker",
    "name-untagged": "name", "no-name": "name",
}


def _slots(name: str) -> tuple[set[str], set[str]]:
    writes, _, reads = SLOTS.get(name, "").partition("|")
    return set(writes.split()), set(reads.split())


def _conflict(a: str, b: str) -> bool:
    (wa, ra), (wb, rb) = _slots(a), _slots(b)
    return bool(wa & (wb | rb) or wb & ra)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, min(day.day, 28))


def _measure_has(predicate: str) -> Callable[[Dossier], bool]:
    return lambda d: any(d.get(m, predicate) for m in d.measures)


def _on_measure(predicate: str, action: Callable[[Dossier, str], None]) -> Callable[[Dossier, Generator], None]:
    def apply(d: Dossier, g: Generator) -> None:
        action(d, g.rng.choice([m for m in d.measures if d.get(m, predicate)]))
    return apply


def _study_has(predicate: str) -> Callable[[Dossier], bool]:
    return lambda d: any(d.get(s, predicate) for s in d.studies)


def _drop_from_study(predicate: str) -> Callable[[Dossier, Generator], None]:
    def apply(d: Dossier, g: Generator) -> None:
        d.drop(g.rng.choice([s for s in d.studies if d.get(s, predicate)]), predicate)
    return apply


def _tech_has(predicate: str) -> Callable[[Dossier], bool]:
    return lambda d: bool(d.get(d.tech, predicate))


def _drop_tech(*predicates: str) -> Callable[[Dossier, Generator], None]:
    return lambda d, g: d.drop(d.tech, *predicates)


def _assessment_has(pathway: str, predicate: str | None = None) -> Callable[[Dossier], bool]:
    return lambda d: pathway in d.assessments and (predicate is None or bool(d.get(d.assessments[pathway], predicate)))


def _maker(d: Dossier) -> str:
    return d.get(d.tech, "eg:manufacturer")[0]


def _has_maker(d: Dossier) -> bool:
    return bool(d.get(d.tech, "eg:manufacturer"))


def _pecan_too_long(d: Dossier, g: Generator) -> None:
    a = d.assessments["pathway-pecan"]
    start = dt.date.fromisoformat(d.get(a, "eg:validFrom")[0][1:11])
    d.set(a, "eg:validUntil", date(_add_months(start, g.vocab.pecan_months + g.rng.randint(1, 12))))


def _rule_11(d: Dossier, g: Generator) -> None:
    d.set(d.tech, "eg:intendedPurpose", "egv:purpose-diagnosis-aid")
    assert d.ce is not None
    d.set(d.ce, "eg:deviceClass", "egv:device-class-I")
    if d.is_ai:
        d.set(d.tech, "eg:aiActCategory", "egv:ai-act-minimal")
    d.ce_class = "device-class-I"


def _ivd_class_under_mdr(d: Dossier, g: Generator) -> None:
    assert d.ce is not None
    d.set(d.ce, "eg:deviceClass", "egv:ivd-class-B")
    d.ce_class = "ivd-class-B"


def _drop_studies(d: Dossier, g: Generator) -> None:
    for node in [*d.studies, *d.measures]:
        d.nodes.pop(node, None)
    d.studies.clear()
    d.measures.clear()


def _lppr_sufficient_without_asa(d: Dossier, g: Generator) -> None:
    d.set(d.assessments["pathway-lppr-brand-name"], "eg:saLevel", "egv:sa-sufficient")
    d.drop(d.assessments["pathway-lppr-brand-name"], "eg:asaLevel")


def _drop_ans_certificate(d: Dossier, g: Generator) -> None:
    d.nodes.pop(d.assessments.pop("pathway-ans-certificate"))


def _unknown_update_policy(d: Dossier, g: Generator) -> None:
    d.set(d.tech, "eg:updatePolicy", "egv:update-weekly")
    d.drop(d.tech, "eg:changeControlPlan")


def _drop_manufacturer(d: Dossier, g: Generator) -> None:
    d.nodes.pop(_maker(d), None)
    d.drop(d.tech, "eg:manufacturer")


def _ai_act_inconsistent(d: Dossier, g: Generator) -> None:
    d.set(d.tech, "eg:aiActCategory", f"egv:{g.rng.choice(('ai-act-minimal', 'ai-act-transparency'))}")


OMISSIONS: tuple[Change, ...] = (
    Change("no-version", ("VersionRequired",), _tech_has("eg:hasVersion"), _drop_tech("eg:hasVersion")),
    Change("no-users", ("IntendedUserRequired",), _tech_has("eg:intendedUser"), _drop_tech("eg:intendedUser")),
    Change("no-care-setting", ("CareSettingRequired",), _tech_has("eg:careSetting"), _drop_tech("eg:careSetting")),
    Change("no-description", ("DescriptionRecommended",), _tech_has("rdfs:comment"), _drop_tech("rdfs:comment")),
    Change("country-spelt-out", ("OrganisationCountryCode",), _has_maker,
           lambda d, g: d.set(_maker(d), "eg:country", '"France"')),
    Change("ai-no-training-data", ("TrainingDataRequired",), _tech_has("eg:trainingDataDescription"),
           _drop_tech("eg:trainingDataDescription")),
    Change("ai-no-validation-data", ("ValidationDataRequired",), _tech_has("eg:validationDataDescription"),
           _drop_tech("eg:validationDataDescription")),
    Change("ai-no-category", ("AIActCategoryRequired",),
           lambda d: d.is_ai and bool(d.get(d.tech, "eg:aiActCategory")) and d.ce_class not in NB_CLASSES,
           _drop_tech("eg:aiActCategory")),
    Change("ai-no-update-policy", ("UpdatePolicyRequired",), _tech_has("eg:updatePolicy"),
           _drop_tech("eg:updatePolicy", "eg:changeControlPlan")),
    Change("learning-without-plan", ("ChangeControlPlanRequired",), _tech_has("eg:changeControlPlan"),
           _drop_tech("eg:changeControlPlan")),
    Change("ai-no-oversight", ("HumanOversightRequired",),
           lambda d: bool(d.get(d.tech, "eg:humanOversight"))
           and not any(c.endswith(HIGH_RISK) for c in d.get(d.tech, "eg:aiActCategory")),
           _drop_tech("eg:humanOversight")),
    Change("ai-no-explanation", ("OutputExplanationRecommended",),
           lambda d: bool(d.get(d.tech, "eg:outputExplanation")) and not d.is_device,
           _drop_tech("eg:outputExplanation")),
    Change("ai-no-studies", ("PerformanceRequired",), lambda d: d.is_ai and bool(d.studies), _drop_studies),
    Change("genai-no-provenance", ("ModelProvenanceRequired",), _tech_has("eg:modelProvenance"),
           _drop_tech("eg:modelProvenance")),
    Change("genai-no-error-modes", ("KnownErrorModesRequired",), _tech_has("eg:knownErrorMode"),
           _drop_tech("eg:knownErrorMode")),
    Change("genai-no-review", ("OutputReviewRequired",), _tech_has("eg:outputReview"), _drop_tech("eg:outputReview")),
    Change("no-certificate-reference", ("CertificateReferenceRequired",),
           lambda d: d.ce is not None and d.ce_class in NB_CLASSES and bool(d.get(d.ce, "eg:certificateReference")),
           lambda d, g: d.drop(d.ce or "", "eg:certificateReference")),
    Change("no-certificate-date", ("CertificateDateRequired",),
           lambda d: d.ce is not None and d.ce_class in NB_CLASSES and bool(d.get(d.ce, "eg:statusDate")),
           lambda d, g: d.drop(d.ce or "", "eg:statusDate")),
    Change("study-no-design", ("StudyDesignRequired",), _study_has("eg:studyDesign"), _drop_from_study("eg:studyDesign")),
    Change("study-no-population", ("StudyPopulationRequired",), _study_has("eg:population"),
           _drop_from_study("eg:population")),
    Change("study-no-size", ("StudySizeRequired",), _study_has("eg:sampleSize"), _drop_from_study("eg:sampleSize")),
    Change("study-size-zero", ("StudySizeRequired",), _study_has("eg:sampleSize"),
           lambda d, g: d.set(g.rng.choice([s for s in d.studies if d.get(s, "eg:sampleSize")]), "eg:sampleSize", "0")),
    Change("study-independence-unstated", ("VendorIndependenceStated",), _study_has("eg:isVendorIndependent"),
           _drop_from_study("eg:isVendorIndependent")),
    Change("study-no-efficacy-level", ("EfficacyLevelRecommended",), _study_has("eg:efficacyLevel"),
           _drop_from_study("eg:efficacyLevel")),
    Change("study-no-guideline", ("ReportingGuidelineRecommended",), _study_has("eg:reportingGuideline"),
           _drop_from_study("eg:reportingGuideline")),
    Change("study-no-source", ("StudySourceRecommended",), _study_has("dct:source"), _drop_from_study("dct:source")),
    Change("measure-no-ci", ("ConfidenceIntervalRequired",), _measure_has("eg:ciUpper"),
           _on_measure("eg:ciUpper", lambda d, m: d.drop(m, "eg:ciLower", "eg:ciUpper", "eg:ciLevel"))),
    Change("measure-half-ci", ("ConfidenceIntervalRequired",), _measure_has("eg:ciUpper"),
           _on_measure("eg:ciUpper", lambda d, m: d.drop(m, "eg:ciUpper"))),
    Change("measure-no-dataset", ("MeasureDatasetRecommended",), _measure_has("eg:dataset"),
           _on_measure("eg:dataset", lambda d, m: d.drop(m, "eg:dataset"))),
    Change("measure-no-reference", ("MeasureReferenceStandardRecommended",), _measure_has("eg:referenceStandard"),
           _on_measure("eg:referenceStandard", lambda d, m: d.drop(m, "eg:referenceStandard"))),
    Change("assessment-no-date", ("AssessmentDateRequired",), lambda d: bool(d.assessments),
           lambda d, g: d.drop(g.rng.choice(list(d.assessments.values())), "eg:assessmentDate")),
    Change("assessment-no-source", ("AssessmentSourceRequired",), lambda d: bool(d.assessments),
           lambda d, g: d.drop(g.rng.choice(list(d.assessments.values())), "dct:source")),
)

FAULTS: tuple[Change, ...] = (
    Change("name-untagged", ("TechnologyNameRequired",), _tech_has("rdfs:label"),
           lambda d, g: d.set(d.tech, "rdfs:label", f'"{d.get(d.tech, "rdfs:label")[0].split(chr(34))[1]}"')),
    Change("no-name", ("TechnologyNameRequired",), _tech_has("rdfs:label"), _drop_tech("rdfs:label")),
    Change("manufacturer-nameless", ("ManufacturerRequired",), _has_maker,
           lambda d, g: d.drop(_maker(d), "rdfs:label")),
    Change("manufacturer-untyped", ("ManufacturerRequired",), _has_maker, lambda d, g: d.drop(_maker(d), "a")),
    Change("no-manufacturer", ("ManufacturerRequired",), _has_maker, _drop_manufacturer),
    Change("purpose-misspelt", ("IntendedPurposeFromScheme",), _tech_has("eg:intendedPurpose"),
           lambda d, g: d.set(d.tech, "eg:intendedPurpose",
                              *d.get(d.tech, "eg:intendedPurpose")[1:], d.get(d.tech, "eg:intendedPurpose")[0] + "e")),
    Change("no-purpose", ("IntendedPurposeRequired",), _tech_has("eg:intendedPurpose"),
           _drop_tech("eg:intendedPurpose")),
    Change("user-not-in-scheme", ("IntendedUserFromScheme",), lambda d: True,
           lambda d, g: d.set(d.tech, "eg:intendedUser", "egv:setting-home")),
    Change("two-qualifications", ("QualificationFromScheme",), lambda d: True,
           lambda d, g: d.set(d.tech, "eg:regulatoryQualification", *d.get(d.tech, "eg:regulatoryQualification"),
                              "egv:qualification-not-a-device" if d.is_device else "egv:qualification-mdsw-mdr")),
    Change("rule-11-class-i", ("Rule11DecisionSoftwareNotClassI",),
           lambda d: d.ce is not None and d.profile in ("ai-md", "non-ai-md"), _rule_11),
    Change("ai-act-not-high-risk", ("HighRiskCategoryForNotifiedBodyDevice",),
           lambda d: d.is_ai and d.profile == "ai-md" and d.ce_class in NB_CLASSES, _ai_act_inconsistent),
    Change("ivd-class-under-mdr", ("DeviceClassMatchesRegulation",),
           lambda d: d.ce is not None and d.profile != "ai-ivd", _ivd_class_under_mdr),
    Change("unknown-regulation", ("CERegulationRequired",), lambda d: d.ce is not None,
           lambda d, g: d.set(d.ce or "", "eg:underRegulation", "egr:law-ai-act")),
    Change("no-notified-body", ("NotifiedBodyRequired",),
           lambda d: d.ce is not None and d.ce_class in NB_CLASSES and bool(d.get(d.ce, "eg:notifiedBody")),
           lambda d, g: d.drop(d.ce or "", "eg:notifiedBody")),
    Change("status-date-as-text", ("CEStatusDateFormat",), lambda d: d.ce is not None and bool(d.get(d.ce, "eg:statusDate")),
           lambda d, g: d.set(d.ce or "", "eg:statusDate", d.get(d.ce or "", "eg:statusDate")[0].split("^^")[0])),
    Change("no-ce-marking", ("CEMarkingRequired",), lambda d: d.ce is not None,
           lambda d, g: d.drop(d.tech, "eg:hasRegulatoryStatus")),
    Change("ci-lower-above-value", ("ConfidenceIntervalLowerBound",), _measure_has("eg:ciLower"),
           _on_measure("eg:ciLower", lambda d, m: d.set(m, "eg:ciLower", f"{float(d.get(m, 'eg:value')[0]) + 0.01:.3f}"))),
    Change("value-above-ci-upper", ("ConfidenceIntervalUpperBound",), _measure_has("eg:ciUpper"),
           _on_measure("eg:ciUpper", lambda d, m: d.set(m, "eg:ciUpper", f"{float(d.get(m, 'eg:value')[0]) - 0.005:.3f}"))),
    Change("measure-no-metric", ("MeasureMetricRequired",), _measure_has("eg:metric"),
           _on_measure("eg:metric", lambda d, m: d.drop(m, "eg:metric"))),
    Change("metric-unknown", ("MeasureMetricRequired",), _measure_has("eg:metric"),
           _on_measure("eg:metric", lambda d, m: d.set(m, "eg:metric", "egv:metric-f1-score"))),
    Change("measure-value-as-text", ("MeasureValueRequired",), _measure_has("eg:value"),
           _on_measure("eg:value", lambda d, m: d.set(m, "eg:value", f'"{d.get(m, "eg:value")[0]}"'))),
    Change("study-without-technology", ("StudyTechnologyRequired",), _study_has("eg:assessedTechnology"),
           _drop_from_study("eg:assessedTechnology")),
    Change("pecan-too-long", ("PecanTermWithinDuration",), _assessment_has("pathway-pecan", "eg:validFrom"),
           _pecan_too_long),
    Change("pecan-no-end", ("PecanEndRequired",), _assessment_has("pathway-pecan", "eg:validUntil"),
           lambda d, g: d.drop(d.assessments["pathway-pecan"], "eg:validUntil")),
    Change("lppr-no-sa", ("LpprSALevelRequired",), _assessment_has("pathway-lppr-brand-name", "eg:saLevel"),
           lambda d, g: d.drop(d.assessments["pathway-lppr-brand-name"], "eg:saLevel", "eg:asaLevel")),
    Change("lppr-sufficient-without-asa", ("LpprASALevelWhenSASufficient",),
           _assessment_has("pathway-lppr-brand-name"),
           _lppr_sufficient_without_asa),
    Change("latm-without-ans-certificate", ("LatmPrerequisiteHeld",),
           lambda d: "pathway-latm" in d.assessments and "pathway-ans-certificate" in d.assessments,
           _drop_ans_certificate),
    Change("pathway-misspelt", ("AssessmentPathwayRequired",), lambda d: bool(d.assessments),
           lambda d, g: d.set(d.assessments.pop(g.rng.choice(sorted(d.assessments))), "eg:underPathway",
                              "egr:pathway-pecann")),
    Change("genai-no-transparency", ("TransparencyRequired",), _tech_has("eg:transparencyMeasure"),
           _drop_tech("eg:transparencyMeasure")),
    Change("genai-not-declared-ai", ("GenerativeAIIsAISystem",), lambda d: d.profile == "genai",
           lambda d, g: d.set(d.tech, "eg:isAISystem", "false")),
    Change("high-risk-no-oversight", ("HighRiskHumanOversightRequired",),
           lambda d: bool(d.get(d.tech, "eg:humanOversight"))
           and any(c.endswith(HIGH_RISK) for c in d.get(d.tech, "eg:aiActCategory")),
           _drop_tech("eg:humanOversight")),
    Change("ai-device-no-explanation", ("OutputExplanationRequired",),
           lambda d: d.is_ai and d.profile in ("ai-md", "ai-ivd") and bool(d.get(d.tech, "eg:outputExplanation")),
           _drop_tech("eg:outputExplanation")),
    Change("update-policy-unknown", ("UpdatePolicyFromScheme",), _tech_has("eg:updatePolicy"),
           _unknown_update_policy),
)


def generate(count: int, seed: int) -> list[Dossier]:
    """``count`` varied dossiers, the same for the same seed."""
    generator = Generator(seed)
    return [generator.dossier(i) for i in range(count)]


def typical() -> Dossier:
    """The typical dossier (see :meth:`Generator.typical`), the same whatever the seed."""
    return Generator(0).typical()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--typical", action="store_true", help="print the typical dossier only")
    args = parser.parse_args()
    for dossier in [typical()] if args.typical else generate(args.count, args.seed):
        print(dossier.turtle())
        print(f"# expected shapes: {', '.join(sorted(dossier.expected)) or 'none'}\n")


if __name__ == "__main__":
    main()
