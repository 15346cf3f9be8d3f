"""A seeded generator of a national-scale deployment graph (N-Triples) for the cartography benchmark.

What it writes, all with ``random.Random(seed)``:

* ``--establishments`` ``eg:HealthEstablishment`` (labels fr/en, ``eg:country "FR"``, ``dct:source`` to an
  ``example.org`` page);
* ``--technologies`` fictitious ``eg:DigitalTechnology`` (labels fr/en, manufacturer among generated
  ``eg:Company``, 1–2 intended purposes, an intended user, a care setting and clinical domain, ``eg:isAISystem``,
  regulatory qualification, ``eg:hasNationalRoute`` for the devices), with a CE marking (``eg:CEMarking``, MDR
  class I–III or IVDR class A–D) for the devices, and for ~20 % of them an ``eg:Assessment`` under a pathway of
  the knowledge base (LPPR brand name, PECAN, LATM, forfait innovation, ANS certificate…);
* ``--deployments`` ``eg:Deployment`` per establishment (``eg:deployedTechnology``, ``eg:deployedAt``,
  ``eg:department``, ``eg:startDate``), technologies drawn with a skewed (Zipf-like) popularity, so that a few
  technologies are deployed in most establishments and most in few;
* separately, the *inferred* triples for the generated technologies, in the shape the qualification engine writes
  them in the inferred graph, but written directly (the engine is not run): ``eg:regulatoryQualification``,
  ``eg:riskClass``/``eg:riskClassAtLeast`` (the CE class), ``eg:aiActCategory``, ``eg:eligibleFor`` a few pathways,
  ``eg:subjectToObligation`` and ``eg:inEvaluationGap`` (true for about two thirds of the professional-use medical
  devices, which then have no national route). They are plausible, not the engine's output: the qualification
  engine, run on the generated technologies, finds the same technologies in the gap, but derives other
  eligibilities and obligations from the facts.

Terms are those of ``ontology/`` and ``kb/`` (pathways, obligations, laws, concepts); individuals are minted under
``https://w3id.org/evalgraph/id/national/``. With the defaults (3,000 × 100, 400 technologies) the data graph holds
~1.53 M triples, 5 per deployment.

Usage as a script: ``python benchmarks/national_generator.py OUTDIR [--establishments 3000] [--deployments 100]
[--technologies 400] [--seed 1]`` writes ``OUTDIR/national.nt`` and ``OUTDIR/national-inferred.nt``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from pathlib import Path

EG = "https://w3id.org/evalgraph/ontology/"
EGV = "https://w3id.org/evalgraph/vocab/"
EGR = "https://w3id.org/evalgraph/id/"
NAT = EGR + "national/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCT_SOURCE = "http://purl.org/dc/terms/source"
XSD = "http://www.w3.org/2001/XMLSchema#"
SOURCE = "https://example.org/national/"

MEDICAL_PURPOSES = ("purpose-screening-aid", "purpose-diagnosis-aid", "purpose-medical-decision-aid",
                    "purpose-therapeutic-decision-aid", "purpose-telemonitoring", "purpose-therapeutic")
OTHER_PURPOSES = ("purpose-care-organisation", "purpose-administrative-documentation",
                  "purpose-prescription-dispensation-aid")
SETTINGS = ("setting-hospital", "setting-emergency-department", "setting-radiology", "setting-pathology-laboratory",
            "setting-stroke-pathway", "setting-outpatient-specialist", "setting-home", "setting-organised-screening")
DOMAINS = ("domain-radiology", "domain-musculoskeletal-imaging", "domain-chest-imaging", "domain-breast-imaging",
           "domain-neuroradiology", "domain-ophthalmology", "domain-pathology", "domain-cardiology",
           "domain-oncology", "domain-emergency-medicine", "domain-care-management")
MDR_CLASSES = (("device-class-I", 15), ("device-class-IIa", 45), ("device-class-IIb", 30), ("device-class-III", 10))
IVDR_CLASSES = (("ivd-class-A", 10), ("ivd-class-B", 35), ("ivd-class-C", 45), ("ivd-class-D", 10))
HIGHER_CLASSES = {"device-class-IIa", "device-class-IIb", "device-class-III", "ivd-class-B", "ivd-class-C",
                  "ivd-class-D"}
# National routes a technology may be eligible for (and obtain an assessment under), by intended user.
PATIENT_ROUTES = ("pathway-lppr-brand-name", "pathway-pecan", "pathway-latm", "pathway-pect")
PROFESSIONAL_ROUTES = ("pathway-forfait-innovation", "pathway-act-evaluation", "pathway-lppr-brand-name",
                       "pathway-article-51")
DEVICE_PATHWAYS = ("pathway-ce-conformity-assessment", "pathway-materiovigilance", "pathway-has-certification")
FOREIGN_PATHWAYS = ("pathway-fda-510k", "pathway-fda-de-novo", "pathway-diga", "pathway-mhealthbelgium",
                    "pathway-nice-esf", "pathway-digi-hta")
NON_DEVICE_PATHWAYS = ("pathway-has-certification", "pathway-ans-certificate", "pathway-dgos-anap-ai-calls",
                       "pathway-none")
DEPARTMENTS = ("Radiologie", "Urgences", "Cardiologie", "Oncologie", "Anatomopathologie", "Neurologie",
               "Ophtalmologie", "Pneumologie", "Bloc opératoire", "Réanimation", "Pharmacie", "Direction des soins",
               "Secrétariat médical", "Consultations externes", "Gériatrie", "Pédiatrie", "Maternité",
               "Médecine interne", "Biologie médicale", "Dépistage")
KINDS = (("Centre hospitalier universitaire", "university hospital", 3), ("Centre hospitalier", "hospital centre", 30),
         ("Clinique", "clinic", 35), ("Centre de lutte contre le cancer", "cancer centre", 2),
         ("Centre d'imagerie médicale", "medical imaging centre", 15),
         ("Hôpital de proximité", "local hospital", 10),
         ("Établissement de soins de suite", "follow-up care facility", 5))
SYLLABLES = ("ar", "bel", "cha", "don", "es", "fon", "gre", "lan", "mar", "mont", "nor", "pa", "ro", "sau", "ter",
             "val", "vil", "bour", "lu", "sen")
WORDS_A = ("Radio", "Cardio", "Neuro", "Onco", "Derma", "Pulmo", "Gastro", "Patho", "Ortho", "Nephro", "Triage",
           "Care", "Med", "Vita", "Scan", "Path", "Lumen", "Clin", "Sana", "Veri")
WORDS_B = ("Sight", "Scope", "Guard", "Flow", "Mind", "Assist", "Note", "Track", "Lens", "Sense", "Plan", "Check",
           "Read", "Link", "Watch", "Detect", "Scribe", "Board", "Pilot", "Logic")


def iri(value: str) -> str:
    return f"<{value}>"


def text(value: str, lang: str | None = None) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@{lang}' if lang else f'"{escaped}"'


def typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


TRUE, FALSE = typed("true", "boolean"), typed("false", "boolean")


@dataclass
class Technology:
    iri: str
    label: str
    device: str | None  # "mdr", "ivdr" or None
    device_class: str | None
    ai: bool
    purposes: list[str]
    user: str
    national_routes: list[str] = field(default_factory=list)
    gap: bool | None = None


@dataclass
class Counts:
    establishments: int = 0
    technologies: int = 0
    companies: int = 0
    deployments: int = 0
    assessments: int = 0
    triples: int = 0
    inferred_triples: int = 0
    gap_technologies: int = 0
    gap_deployments: int = 0


class Writer:
    """N-Triples lines to a file, counted."""

    def __init__(self, path: Path) -> None:
        self.file = path.open("w", encoding="utf-8")
        self.count = 0

    def __call__(self, s: str, p: str, o: str) -> None:
        self.file.write(f"<{s}> <{p}> {o} .\n")
        self.count += 1

    def close(self) -> None:
        self.file.close()


def _technologies(rng: random.Random, count: int) -> list[Technology]:
    techs = []
    names = [a + b for a, b in itertools.product(WORDS_A, WORDS_B)]
    rng.shuffle(names)
    for index in range(count):
        name = f"{names[index % len(names)]} {index // len(names) + 1}" if index >= len(names) else names[index]
        roll = rng.random()
        device = "mdr" if roll < 0.55 else "ivdr" if roll < 0.65 else None
        if device == "mdr":
            device_class = rng.choices([c for c, _ in MDR_CLASSES], [w for _, w in MDR_CLASSES])[0]
        elif device == "ivdr":
            device_class = rng.choices([c for c, _ in IVDR_CLASSES], [w for _, w in IVDR_CLASSES])[0]
        else:
            device_class = None
        if device:
            purposes = rng.sample(MEDICAL_PURPOSES, rng.choice((1, 1, 2)))
            user = "user-patient" if "purpose-telemonitoring" in purposes or rng.random() < 0.15 \
                else "user-health-professional"
        else:
            purposes = rng.sample(OTHER_PURPOSES, rng.choice((1, 1, 2)))
            user = rng.choice(("user-administrative-staff", "user-health-professional"))
        tech = Technology(f"{NAT}tech-{index + 1:04d}", name, device, device_class, rng.random() < 0.7, purposes, user)
        if device and user == "user-health-professional":
            tech.gap = rng.random() < 0.65
            if not tech.gap:
                tech.national_routes = rng.sample(PROFESSIONAL_ROUTES, rng.choice((1, 1, 2)))
        elif device:
            tech.gap = False
            tech.national_routes = rng.sample(PATIENT_ROUTES, rng.choice((1, 2)))
        techs.append(tech)
    return techs


def _ai_act_category(tech: Technology) -> str:
    if not tech.ai:
        return "ai-act-not-ai-system"
    if tech.device and tech.device_class in HIGHER_CLASSES:
        return "ai-act-high-risk-annex-i"
    return "ai-act-transparency" if "purpose-administrative-documentation" in tech.purposes else "ai-act-minimal"


def _date(rng: random.Random, start: dt.date, days: int) -> str:
    return (start + dt.timedelta(days=rng.randrange(days))).isoformat()


def write(folder: Path, establishments: int = 3000, deployments: int = 100, technologies: int = 400,
          seed: int = 1) -> tuple[Path, Path, Counts]:
    """Write ``national.nt`` (data) and ``national-inferred.nt`` (inferred triples) into ``folder``."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    counts = Counts(establishments=establishments, technologies=technologies)
    folder.mkdir(parents=True, exist_ok=True)
    data_path, inferred_path = folder / "national.nt", folder / "national-inferred.nt"
    out = Writer(data_path)

    # -- companies
    companies = [f"{NAT}company-{i + 1:03d}" for i in range(max(10, technologies // 6))]
    counts.companies = len(companies)
    for i, company in enumerate(companies):
        name = f"{rng.choice(WORDS_A)}{rng.choice(WORDS_B).lower()} {rng.choice(('SAS', 'GmbH', 'Inc.', 'BV', 'Ltd'))}"
        out(company, RDF_TYPE, iri(EG + "Company"))
        out(company, RDFS_LABEL, text(name, "fr"))
        out(company, RDFS_LABEL, text(name, "en"))
        out(company, EG + "country", text(rng.choice(("FR", "FR", "FR", "DE", "US", "NL", "IL", "GB", "KR"))))
        out(company, DCT_SOURCE, iri(f"{SOURCE}companies/{i + 1:03d}"))

    # -- technologies, CE markings, assessments
    techs = _technologies(rng, technologies)
    for i, tech in enumerate(techs):
        t = tech.iri
        out(t, RDF_TYPE, iri(EG + "DigitalTechnology"))
        out(t, RDFS_LABEL, text(tech.label, "fr"))
        out(t, RDFS_LABEL, text(tech.label, "en"))
        out(t, EG + "manufacturer", iri(rng.choice(companies)))
        for purpose in tech.purposes:
            out(t, EG + "intendedPurpose", iri(EGV + purpose))
        out(t, EG + "intendedUser", iri(EGV + tech.user))
        out(t, EG + "careSetting", iri(EGV + rng.choice(SETTINGS)))
        out(t, EG + "clinicalDomain", iri(EGV + rng.choice(DOMAINS)))
        out(t, EG + "isAISystem", TRUE if tech.ai else FALSE)
        qualification = {"mdr": "qualification-mdsw-mdr", "ivdr": "qualification-mdsw-ivdr"}.get(
            tech.device or "", "qualification-not-a-device")
        out(t, EG + "regulatoryQualification", iri(EGV + qualification))
        if tech.device:  # stated, as the catalogue does (e.g. BoneView); the engine needs it to find the gap
            out(t, EG + "hasNationalRoute", TRUE if tech.national_routes else FALSE)
        out(t, DCT_SOURCE, iri(f"{SOURCE}technologies/{i + 1:04d}"))
        if tech.device:
            ce = f"{NAT}ce-{i + 1:04d}"
            out(t, EG + "hasRegulatoryStatus", iri(ce))
            out(ce, RDF_TYPE, iri(EG + "CEMarking"))
            out(ce, RDFS_LABEL, text(f"Marquage CE de {tech.label}", "fr"))
            out(ce, RDFS_LABEL, text(f"CE marking of {tech.label}", "en"))
            out(ce, EG + "underRegulation", iri(EGR + ("law-mdr" if tech.device == "mdr" else "law-ivdr")))
            out(ce, EG + "deviceClass", iri(EGV + str(tech.device_class)))
            out(ce, EG + "jurisdiction", iri(EGV + "jurisdiction-eu"))
            out(ce, DCT_SOURCE, iri(f"{SOURCE}technologies/{i + 1:04d}/ce"))
        obtained = []
        if tech.national_routes and rng.random() < 0.5:
            obtained.append(rng.choice(tech.national_routes))
        elif not tech.device and rng.random() < 0.12:
            obtained.append("pathway-ans-certificate")
        for pathway in obtained:
            assessment = f"{NAT}assessment-{i + 1:04d}-{pathway.removeprefix('pathway-')}"
            out(assessment, RDF_TYPE, iri(EG + "Assessment"))
            out(assessment, RDFS_LABEL, text(f"Évaluation de {tech.label} ({pathway.removeprefix('pathway-')})", "fr"))
            out(assessment, RDFS_LABEL, text(f"Assessment of {tech.label} ({pathway.removeprefix('pathway-')})", "en"))
            out(assessment, EG + "assessedTechnology", iri(t))
            out(assessment, EG + "underPathway", iri(EGR + pathway))
            out(assessment, EG + "assessmentDate", typed(_date(rng, dt.date(2019, 1, 1), 2500), "date"))
            out(assessment, DCT_SOURCE, iri(f"{SOURCE}technologies/{i + 1:04d}/assessment"))
            counts.assessments += 1

    # -- establishments and their deployments
    popularity = list(itertools.accumulate(1.0 / (rank + 1) ** 0.9 for rank in range(len(techs))))
    order = techs[:]
    rng.shuffle(order)
    gap_deployments = 0
    for e in range(establishments):
        est = f"{NAT}establishment-{e + 1:05d}"
        kind_fr, kind_en, _ = rng.choices(KINDS, [k[2] for k in KINDS])[0]
        town = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()
        out(est, RDF_TYPE, iri(EG + "HealthEstablishment"))
        out(est, RDFS_LABEL, text(f"{kind_fr} de {town} ({e + 1:05d})", "fr"))
        out(est, RDFS_LABEL, text(f"{town} {kind_en} ({e + 1:05d})", "en"))
        out(est, EG + "country", text("FR"))
        out(est, DCT_SOURCE, iri(f"{SOURCE}establishments/{e + 1:05d}"))
        chosen = rng.choices(order, cum_weights=popularity, k=deployments)
        for d, tech in enumerate(chosen):
            dep = f"{NAT}deployment-{e + 1:05d}-{d + 1:03d}"
            out(dep, RDF_TYPE, iri(EG + "Deployment"))
            out(dep, EG + "deployedTechnology", iri(tech.iri))
            out(dep, EG + "deployedAt", iri(est))
            out(dep, EG + "department", text(rng.choice(DEPARTMENTS)))
            out(dep, EG + "startDate", typed(_date(rng, dt.date(2015, 1, 1), 4000), "date"))
            gap_deployments += bool(tech.gap)
    counts.deployments = establishments * deployments
    counts.gap_deployments = gap_deployments
    out.close()
    counts.triples = out.count

    # -- inferred triples, as `evalgraph qualify --all` would write them
    inferred = Writer(inferred_path)
    for tech in techs:
        t = tech.iri
        qualification = {"mdr": "qualification-mdsw-mdr", "ivdr": "qualification-mdsw-ivdr"}.get(
            tech.device or "", "qualification-not-a-device")
        inferred(t, EG + "regulatoryQualification", iri(EGV + qualification))
        inferred(t, EG + "aiActCategory", iri(EGV + _ai_act_category(tech)))
        if tech.device:
            risk = "riskClass" if rng.random() < 0.5 else "riskClassAtLeast"
            inferred(t, EG + risk, iri(EGV + str(tech.device_class)))
            pathways = list(DEVICE_PATHWAYS) + tech.national_routes
            if tech.user == "user-health-professional":
                pathways.append("pathway-has-choice-aid-guide")
            pathways += rng.sample(FOREIGN_PATHWAYS, rng.choice((0, 1, 2)))
            obligations = ["obligation-materiovigilance-reporting", "obligation-l4001-3-patient-information"]
        else:
            pathways = rng.sample(NON_DEVICE_PATHWAYS, rng.choice((1, 2)))
            obligations = []
        if tech.ai:
            obligations.append("obligation-ai-act-art-4-literacy")
            category = _ai_act_category(tech)
            if category == "ai-act-high-risk-annex-i":
                pathways.append("pathway-ai-act-conformity")
                obligations += ["obligation-ai-act-art-26-deployer", "obligation-l4001-3-explainability"]
            elif category == "ai-act-transparency":
                obligations.append("obligation-ai-act-art-50-transparency")
        for pathway in dict.fromkeys(pathways):
            inferred(t, EG + "eligibleFor", iri(EGR + pathway))
        for obligation in obligations:
            inferred(t, EG + "subjectToObligation", iri(EGR + obligation))
        if tech.gap is not None:
            inferred(t, EG + "inEvaluationGap", TRUE if tech.gap else FALSE)
            counts.gap_technologies += tech.gap
    inferred.close()
    counts.inferred_triples = inferred.count
    return data_path, inferred_path, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--establishments", type=int, default=3000)
    parser.add_argument("--deployments", type=int, default=100, help="deployments per establishment")
    parser.add_argument("--technologies", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    data, inferred, counts = write(args.outdir, args.establishments, args.deployments, args.technologies, args.seed)
    print(f"{data}: {counts.triples:,} triples; {inferred}: {counts.inferred_triples:,} triples; {counts}")


if __name__ == "__main__":
    main()
