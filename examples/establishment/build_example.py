"""Build ``inventaire-chu-exemple.xlsx``: the filled inventory of the fictitious "CHU Exemple".

The establishment, its departments, contact persons, committee references and every amount below are FICTITIOUS
(realistic, not real): the file shows how an inventory is filled in and what ``evalgraph import inventory`` and
``evalgraph readiness`` make of it, deliberate faults included (see README.md, "Deliberate faults"). The technologies
named are those of the demo catalogue (catalogue/*.ttl), plus four invented products that the catalogue does not
know (GestLits, SepsiScore, DictaVox, VisuDICOM — fictitious names and manufacturers).

The workbook is the template of ``evalgraph template inventory`` (written by ``evalgraph.inventory.write_template``
from a throw-away store), with the example row 2 of both sheets replaced by the rows below. Usage::

    python examples/establishment/build_example.py [-o OUTPUT.xlsx]

Running it again gives a workbook with the same cell values (only the file's timestamps differ).
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "inventaire-chu-exemple.xlsx"
ESTABLISHMENT = "CHU Exemple"

# Controlled values as the template's drop-down lists show them ("label fr / label en"); the import also accepts
# the French or the English label alone.
DIAGNOSIS = "aide au diagnostic / diagnosis aid"
SCREENING = "aide au dépistage / screening aid"
DECISION = "aide à la décision médicale / medical decision aid"
TELEMONITORING = "télésurveillance / telemonitoring"
CARE_ORGANISATION = "organisation des soins / care organisation"
DOCUMENTATION = "administration et documentation / administrative and documentation support"
PROFESSIONAL = "professionnel de santé / health professional"
PATIENT = "patient"
MANAGEMENT = "personnel administratif ou d'encadrement / administrative or management staff"
INFO_INDIVIDUAL = "information individuelle par le professionnel / individual information by the professional"
INFO_DOCUMENT = "document remis au patient / document given to the patient"
INFO_DISPLAY = "affichage collectif / collective display"
INFO_NONE = "aucune information / no information"
INFO_NOT_CONCERNED = "patients non concernés / patients not concerned"
MDSW = "logiciel dispositif médical (MDR) / medical device software (MDR)"
NOT_A_DEVICE = "non-dispositif médical / not a medical device"
CLASS_IIA = "classe IIa / class IIa"
CLASS_IIB = "classe IIb / class IIb"
YES, NO = "oui / yes", "non / no"

# ------------------------------------------------------------------------------------------------ the inventory
# One dict per row of the "Inventaire - Inventory" sheet, in order: the first is row 2 (row 1 holds the headers).
# Keys are the column keys of forms/inventory.ttl (egf:key); a missing key leaves the cell empty. The qualification,
# CE class, AI system and generative AI columns are read only when the technology is not recognised: they are filled
# for the four technologies the catalogue does not know, left empty for the others. "fault" (not a column) says
# which deliberate fault the row carries; README.md lists what the import and the readiness report say about each.
INVENTORY: list[dict[str, object]] = [
    {  # row 2 — complete
        "technology": "BoneView", "manufacturer": "Gleamer", "department": "Urgences adultes",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2023, 9, 4),
        "choice_process": "COMEDIMS 2023-06-20, dossier 2023-14 (appel d'offres UniHA)",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Audit trimestriel : 50 radiographies relues en double lecture par un radiologue",
        "human_oversight": "L'urgentiste interprète la radiographie ; le radiologue valide le compte rendu sous 24 h",
        "training": "Formation éditeur 2 h (septembre 2023) + module interne IA au livret d'accueil des internes",
        "contact": "Dr Claire Morel, urgences adultes",
    },
    {  # row 3 — FAULT: AI diagnostic aid, patients told only by a collective display (L4001-3 CSP)
        "technology": "Rayvolve", "manufacturer": "AZmed", "department": "Urgences pédiatriques",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2024, 1, 15),
        "choice_process": "COMEDIMS 2023-11-14, dossier 2023-31",
        "patient_information": INFO_DISPLAY,
        "quality_control": "Revue mensuelle des discordances IA / radiologue pédiatrique",
        "human_oversight": "Le pédiatre urgentiste interprète ; relecture systématique par le radiologue pédiatrique",
        "training": "Formation éditeur 1 h 30 (janvier 2024)",
        "contact": "Dr Julien Lefèvre, urgences pédiatriques", "fault": "collective display only",
    },
    {  # row 4 — complete
        "technology": "Lunit INSIGHT CXR", "manufacturer": "Lunit", "department": "Imagerie médicale",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2024, 5, 2),
        "choice_process": "Comité du numérique en santé 2024-03-05, dossier NUM-2024-04",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Indicateurs mensuels (taux de discordance, délais) revus en staff d'imagerie",
        "human_oversight": "Le radiologue valide chaque résultat avant signature du compte rendu",
        "training": "Formation éditeur 2 h (avril 2024), support en ligne",
        "contact": "Dr Sophie Garnier, imagerie médicale",
    },
    {  # row 5 — FAULT: high-risk AI device without human oversight (AI Act Art. 26)
        "technology": "Milvue Suite", "manufacturer": "Milvue", "department": "Radiologie - site Nord",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2024, 9, 16),
        "choice_process": "Comité du numérique en santé 2024-06-11, dossier NUM-2024-09",
        "patient_information": INFO_INDIVIDUAL,
        "quality_control": "Double lecture de 30 examens par trimestre",
        "training": "Formation éditeur 1 h (septembre 2024)",
        "contact": "Dr Marc Bernard, radiologie site Nord", "fault": "no human oversight",
    },
    {  # row 6 — complete
        "technology": "Transpara", "manufacturer": "ScreenPoint Medical",
        "department": "Centre de dépistage du cancer du sein",
        "purpose": SCREENING, "users": PROFESSIONAL, "start_date": date(2023, 3, 1),
        "choice_process": "COMEDIMS 2022-12-06, dossier 2022-40",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Suivi annuel des cancers d'intervalle avec le centre régional de coordination des dépistages",
        "human_oversight": "Double lecture humaine maintenue ; l'IA ne remplace aucun lecteur",
        "training": "Formation éditeur 3 h (février 2023), recyclage annuel",
        "contact": "Dr Anne Rousseau, sénologie",
    },
    {  # row 7 — FAULT: no quality control of results
        "technology": "MammoScreen", "manufacturer": "Therapixel", "department": "Sénologie",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2024, 2, 5),
        "choice_process": "COMEDIMS 2023-12-12, dossier 2023-44",
        "patient_information": INFO_DOCUMENT,
        "human_oversight": "Le radiologue sénologue valide chaque examen",
        "training": "Formation éditeur 2 h (février 2024)",
        "contact": "Dr Anne Rousseau, sénologie", "fault": "no quality control",
    },
    {  # row 8 — FAULT: invalid date (31 February): the row is left out
        "technology": "Lunit INSIGHT MMG", "manufacturer": "Lunit", "department": "Sénologie",
        "purpose": SCREENING, "users": PROFESSIONAL, "start_date": "31/02/2025",
        "choice_process": "COMEDIMS 2025-01-14, dossier 2025-02",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Double lecture de 50 examens par trimestre",
        "human_oversight": "Le radiologue sénologue valide chaque examen",
        "training": "Formation éditeur 2 h (février 2025)",
        "contact": "Dr Anne Rousseau, sénologie", "fault": "invalid date",
    },
    {  # row 9 — complete
        "technology": "Viz LVO", "manufacturer": "Viz.ai", "department": "Neurologie - unité neurovasculaire",
        "purpose": DECISION, "users": PROFESSIONAL, "start_date": date(2024, 6, 3),
        "choice_process": "Comité du numérique en santé 2024-04-09, dossier NUM-2024-06 (filière AVC régionale)",
        "patient_information": INFO_INDIVIDUAL,
        "quality_control": "Revue trimestrielle des alertes (vrais et faux positifs) en RMM neurovasculaire",
        "human_oversight": "Le neurologue vasculaire confirme l'occlusion sur l'angioscanner avant toute décision",
        "training": "Formation éditeur 1 h + procédure d'alerte de la filière (mai 2024)",
        "contact": "Dr Hélène Petit, unité neurovasculaire",
    },
    {  # row 10 — complete
        "technology": "Cardiologs", "manufacturer": "Cardiologs", "department": "Cardiologie",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2023, 10, 2),
        "choice_process": "COMEDIMS 2023-07-11, dossier 2023-22",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Relecture cardiologique de 5 % des Holter analysés, revue semestrielle",
        "human_oversight": "Le cardiologue valide chaque compte rendu Holter",
        "training": "Formation éditeur 2 h (septembre 2023)",
        "contact": "Dr Paul Girard, cardiologie",
    },
    {  # row 11 — FAULT: manufacturer misspelt ("Lunitt"): recognised by name only
        "technology": "Lunit INSIGHT CXR", "manufacturer": "Lunitt", "department": "Pneumologie",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2024, 11, 4),
        "choice_process": "Comité du numérique en santé 2024-09-10, dossier NUM-2024-15",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Indicateurs mensuels partagés avec l'imagerie médicale",
        "human_oversight": "Le pneumologue interprète ; le radiologue valide le compte rendu",
        "training": "Formation éditeur 1 h (octobre 2024)",
        "contact": "Dr Louise Fontaine, pneumologie", "fault": "manufacturer misspelt",
    },
    {  # row 12 — complete
        "technology": "Nabla Copilot", "manufacturer": "Nabla", "department": "Médecine interne",
        "purpose": DOCUMENTATION, "users": PROFESSIONAL, "start_date": date(2024, 4, 8),
        "choice_process": "Comité du numérique en santé 2024-02-13, dossier NUM-2024-02 ; avis du DPO",
        "patient_information": INFO_INDIVIDUAL,
        "quality_control": "Le médecin relit et corrige chaque note ; audit semestriel de 20 notes",
        "human_oversight": "Le médecin valide chaque note avant versement au dossier patient",
        "training": "Formation interne 1 h (mars 2024) : usage, limites, consentement du patient",
        "contact": "Dr Thomas Mercier, médecine interne",
    },
    {  # row 13 — complete
        "technology": "Nabla Copilot", "manufacturer": "Nabla", "department": "Gériatrie",
        "purpose": DOCUMENTATION, "users": PROFESSIONAL, "start_date": date(2024, 10, 7),
        "choice_process": "Comité du numérique en santé 2024-02-13, dossier NUM-2024-02 (extension)",
        "patient_information": INFO_INDIVIDUAL,
        "quality_control": "Le médecin relit et corrige chaque note ; audit semestriel de 20 notes",
        "human_oversight": "Le médecin valide chaque note avant versement au dossier patient",
        "training": "Formation interne 1 h (septembre 2024)",
        "contact": "Dr Isabelle Roux, gériatrie",
    },
    {  # row 14 — FAULT: no record of the choice process
        "technology": "Doctolib consultation assistant", "manufacturer": "Doctolib",
        "department": "Consultations de pédiatrie",
        "purpose": DOCUMENTATION, "users": PROFESSIONAL, "start_date": date(2025, 1, 6),
        "patient_information": INFO_INDIVIDUAL,
        "quality_control": "Le pédiatre relit chaque note ; audit annuel de 20 notes",
        "human_oversight": "Le pédiatre valide chaque note avant versement au dossier",
        "training": "Webinaire éditeur 45 min (décembre 2024)",
        "contact": "Dr Nicolas Faure, consultations de pédiatrie", "fault": "no choice-process record",
    },
    {  # row 15 — complete
        "technology": "Prise de rendez-vous en ligne", "department": "Consultations de cardiologie",
        "purpose": CARE_ORGANISATION, "users": f"{PATIENT} ; {MANAGEMENT}", "start_date": date(2022, 5, 2),
        "choice_process": "Direction des systèmes d'information, marché 2022-DSI-07",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Suivi mensuel du taux de rendez-vous non honorés et des réclamations",
        "human_oversight": "Les secrétaires médicales gèrent les plannings et les exceptions",
        "training": "Formation des secrétariats 2 h (avril 2022)",
        "contact": "Mme Sandrine Blanc, cadre des secrétariats médicaux",
    },
    {  # row 16 — complete
        "technology": "Prise de rendez-vous en ligne", "department": "Consultations de dermatologie",
        "purpose": CARE_ORGANISATION, "users": f"{PATIENT} ; {MANAGEMENT}", "start_date": date(2022, 5, 2),
        "choice_process": "Direction des systèmes d'information, marché 2022-DSI-07",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Suivi mensuel du taux de rendez-vous non honorés et des réclamations",
        "human_oversight": "Les secrétaires médicales gèrent les plannings et les exceptions",
        "training": "Formation des secrétariats 2 h (avril 2022)",
        "contact": "Mme Sandrine Blanc, cadre des secrétariats médicaux",
    },
    {  # row 17 — FAULT: patients not informed ("aucune information / no information")
        "technology": "Prise de rendez-vous en ligne", "department": "Consultations d'ophtalmologie",
        "purpose": CARE_ORGANISATION, "users": f"{PATIENT} ; {MANAGEMENT}", "start_date": date(2023, 1, 9),
        "choice_process": "Direction des systèmes d'information, marché 2022-DSI-07 (extension)",
        "patient_information": INFO_NONE,
        "quality_control": "Suivi mensuel du taux de rendez-vous non honorés",
        "human_oversight": "Les secrétaires médicales gèrent les plannings et les exceptions",
        "training": "Formation des secrétariats 2 h (janvier 2023)",
        "contact": "Mme Sandrine Blanc, cadre des secrétariats médicaux", "fault": "patient information: none",
    },
    {  # row 18 — complete
        "technology": "Prise de rendez-vous en ligne", "department": "Consultations d'orthopédie",
        "purpose": CARE_ORGANISATION, "users": f"{PATIENT} ; {MANAGEMENT}", "start_date": date(2023, 1, 9),
        "choice_process": "Direction des systèmes d'information, marché 2022-DSI-07 (extension)",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Suivi mensuel du taux de rendez-vous non honorés et des réclamations",
        "human_oversight": "Les secrétaires médicales gèrent les plannings et les exceptions",
        "training": "Formation des secrétariats 2 h (janvier 2023)",
        "contact": "Mme Sandrine Blanc, cadre des secrétariats médicaux",
    },
    {  # row 19 — FAULT: AI system without user training (AI Act Art. 4)
        "technology": "Planification du personnel par IA", "department": "Direction des soins",
        "purpose": CARE_ORGANISATION, "users": MANAGEMENT, "start_date": date(2024, 3, 4),
        "choice_process": "Directoire 2023-12-19, projet RH-2023-05",
        "patient_information": INFO_NOT_CONCERNED,
        "quality_control": "Revue mensuelle des plannings proposés par les cadres de santé",
        "human_oversight": "Le cadre de santé valide et modifie chaque planning proposé",
        "contact": "M. Olivier Chevalier, directeur des soins", "fault": "no training",
    },
    {  # row 20 — complete
        "technology": "Moovcare Poumon", "manufacturer": "Sivan", "department": "Oncologie thoracique",
        "purpose": TELEMONITORING, "users": f"{PATIENT} ; {PROFESSIONAL}", "start_date": date(2022, 9, 5),
        "choice_process": "COMEDIMS 2022-06-14, dossier 2022-18",
        "patient_information": INFO_INDIVIDUAL,
        "quality_control": "Revue trimestrielle des alertes et des délais de rappel par l'infirmière de coordination",
        "human_oversight": "L'oncologue décide de la conduite à tenir à chaque alerte",
        "training": "Formation éditeur 2 h (août 2022) pour les infirmières de coordination",
        "contact": "Dr Emma Lambert, oncologie thoracique",
    },
    {  # row 21 — complete
        "technology": "Cureety TechCare", "manufacturer": "Cureety", "department": "Oncologie médicale",
        "purpose": TELEMONITORING, "users": f"{PATIENT} ; {PROFESSIONAL}", "start_date": date(2023, 4, 3),
        "choice_process": "COMEDIMS 2023-01-17, dossier 2023-03",
        "patient_information": INFO_INDIVIDUAL,
        "quality_control": "Revue trimestrielle des alertes, des délais de rappel et des hospitalisations évitées",
        "human_oversight": "L'infirmière de coordination trie les alertes ; l'oncologue décide",
        "training": "Formation éditeur 2 h (mars 2023)",
        "contact": "Dr Lucas Henry, oncologie médicale",
    },
    {  # row 22 — not in the catalogue: created, to review (a bed-management tool, not a medical device)
        "technology": "GestLits", "manufacturer": "Hospitalis Logiciels", "department": "Cellule de gestion des lits",
        "purpose": CARE_ORGANISATION, "users": MANAGEMENT, "start_date": date(2021, 11, 15),
        "qualification": NOT_A_DEVICE, "ai_system": NO, "generative_ai": NO,
        "choice_process": "Directoire 2021-07-06, marché 2021-DSI-12",
        "patient_information": INFO_NOT_CONCERNED,
        "quality_control": "Rapprochement quotidien des lits affichés et des lits réellement disponibles",
        "human_oversight": "Le bed manager valide chaque placement",
        "training": "Formation éditeur 1 jour (octobre 2021)",
        "contact": "Mme Nathalie Robin, bed manager", "fault": "not in the catalogue",
    },
    {  # row 23 — not in the catalogue: created, to review (a sepsis early-warning score, AI medical device)
        "technology": "SepsiScore", "manufacturer": "Predicta Santé", "department": "Réanimation médicale",
        "purpose": DECISION, "users": PROFESSIONAL, "start_date": date(2024, 12, 2),
        "qualification": MDSW, "device_class": CLASS_IIB, "ai_system": YES, "generative_ai": NO,
        "choice_process": "COMEDIMS 2024-10-08, dossier 2024-37",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Revue mensuelle des alertes et des sepsis non détectés en RMM",
        "human_oversight": "Le réanimateur de garde évalue chaque alerte au lit du patient",
        "training": "Formation éditeur 2 h + e-learning (novembre 2024)",
        "contact": "Dr Pierre Gauthier, réanimation médicale", "fault": "not in the catalogue",
    },
    {  # row 24 — not in the catalogue: created, to review (an AI transcription tool, generative, not a device)
        "technology": "DictaVox", "manufacturer": "VoxMedica", "department": "Imagerie médicale",
        "purpose": DOCUMENTATION, "users": PROFESSIONAL, "start_date": date(2024, 7, 1),
        "qualification": NOT_A_DEVICE, "ai_system": YES, "generative_ai": YES,
        "choice_process": "Comité du numérique en santé 2024-05-14, dossier NUM-2024-08 ; avis du DPO",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Le radiologue relit chaque compte rendu dicté ; audit annuel de 30 comptes rendus",
        "human_oversight": "Le radiologue valide et signe chaque compte rendu",
        "training": "Formation éditeur 1 h (juin 2024)",
        "contact": "Dr Sophie Garnier, imagerie médicale", "fault": "not in the catalogue",
    },
    {  # row 25 — not in the catalogue: created, to review (a DICOM viewer, medical device without AI)
        "technology": "VisuDICOM", "manufacturer": "Imagin'Soft", "department": "Imagerie médicale",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2020, 2, 3),
        "qualification": MDSW, "device_class": CLASS_IIA, "ai_system": NO, "generative_ai": NO,
        "choice_process": "COMEDIMS 2019-11-05, marché 2019-IMG-03",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Contrôle qualité annuel des écrans de diagnostic (physicien médical)",
        "human_oversight": "Le radiologue interprète les images",
        "training": "Formation éditeur 1 jour (janvier 2020)",
        "contact": "M. Karim Benali, ingénieur biomédical", "fault": "not in the catalogue",
    },
    {  # row 26 — FAULT: purpose not in the list: the row is left out
        "technology": "Viz LVO", "manufacturer": "Viz.ai", "department": "Urgences adultes",
        "purpose": "triage des AVC", "users": PROFESSIONAL, "start_date": date(2024, 6, 3),
        "choice_process": "Comité du numérique en santé 2024-04-09, dossier NUM-2024-06",
        "patient_information": INFO_INDIVIDUAL,
        "quality_control": "Revue trimestrielle des alertes en RMM neurovasculaire",
        "human_oversight": "Le neurologue vasculaire confirme l'occlusion",
        "training": "Formation éditeur 1 h (mai 2024)",
        "contact": "Dr Claire Morel, urgences adultes", "fault": "unknown purpose",
    },
    {  # row 27 — FAULT: technology cell empty: the row is left out
        "manufacturer": "Gleamer", "department": "Bloc opératoire",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2025, 3, 3),
        "choice_process": "COMEDIMS 2025-01-14, dossier 2025-05",
        "patient_information": INFO_DOCUMENT,
        "contact": "Dr Vincent Caron, bloc opératoire", "fault": "technology empty",
    },
    {  # row 28 — FAULT: duplicate of row 2 (same technology, same department): the row is left out
        "technology": "BoneView", "manufacturer": "Gleamer", "department": "Urgences adultes",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2024, 1, 8),
        "choice_process": "COMEDIMS 2023-06-20, dossier 2023-14",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Audit trimestriel",
        "human_oversight": "Le radiologue valide le compte rendu",
        "training": "Formation éditeur 2 h",
        "contact": "Dr Claire Morel, urgences adultes", "fault": "duplicate",
    },
    {  # row 29 — no contact person (a recommendation only, severity Info): nothing is reported missing
        "technology": "Cureety TechCare", "manufacturer": "Cureety", "department": "Hématologie",
        "purpose": TELEMONITORING, "users": f"{PATIENT} ; {PROFESSIONAL}", "start_date": date(2024, 3, 11),
        "choice_process": "COMEDIMS 2023-01-17, dossier 2023-03 (extension)",
        "patient_information": INFO_INDIVIDUAL,
        "quality_control": "Revue trimestrielle des alertes et des délais de rappel",
        "human_oversight": "L'infirmière de coordination trie les alertes ; l'hématologue décide",
        "training": "Formation éditeur 2 h (février 2024)", "fault": "no contact person",
    },
    {  # row 30 — complete
        "technology": "Rayvolve", "manufacturer": "AZmed", "department": "Urgences adultes - site Nord",
        "purpose": DIAGNOSIS, "users": PROFESSIONAL, "start_date": date(2024, 9, 2),
        "choice_process": "COMEDIMS 2023-11-14, dossier 2023-31 (extension)",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Revue mensuelle des discordances IA / radiologue",
        "human_oversight": "L'urgentiste interprète ; le radiologue valide le compte rendu sous 24 h",
        "training": "Formation éditeur 1 h 30 (août 2024)",
        "contact": "Dr Marc Bernard, radiologie site Nord",
    },
    {  # row 31 — complete
        "technology": "Transpara", "manufacturer": "ScreenPoint Medical", "department": "Radiologie - site Nord",
        "purpose": SCREENING, "users": PROFESSIONAL, "start_date": date(2024, 4, 2),
        "choice_process": "COMEDIMS 2022-12-06, dossier 2022-40 (extension)",
        "patient_information": INFO_DOCUMENT,
        "quality_control": "Suivi annuel des cancers d'intervalle avec le centre régional de coordination des dépistages",
        "human_oversight": "Double lecture humaine maintenue",
        "training": "Formation éditeur 3 h (mars 2024)",
        "contact": "Dr Marc Bernard, radiologie site Nord",
    },
]

# ------------------------------------------------------------------------------------------------ the economics
# One dict per row of the "Économie - Economics" sheet (the first is row 2): ILLUSTRATIVE assumptions in euros
# excluding tax (HT), not prices quoted by the manufacturers. Keys are the column keys of forms/inventory.ttl.
ECONOMICS: list[dict[str, object]] = [
    # (Not the template's example figures: a row identical to the example row is skipped as "left unchanged".)
    {"technology": "BoneView", "department": "Urgences adultes", "acquisition_cost": 0, "annual_licence_cost": 22000,
     "integration_cost": 7500, "annual_hosting_cost": 0, "training_cost": 1200, "annual_maintenance_cost": 0,
     "annual_staff_hours": 60, "staff_hourly_cost": 60, "annual_hours_saved": 300,
     "annual_additional_activity": 0, "revenue_per_act": 0},
    {"technology": "Rayvolve", "department": "Urgences pédiatriques", "acquisition_cost": 0,
     "annual_licence_cost": 15000, "integration_cost": 6000, "annual_hosting_cost": 0, "training_cost": 1000,
     "annual_maintenance_cost": 0, "annual_staff_hours": 40, "staff_hourly_cost": 55, "annual_hours_saved": 120,
     "annual_additional_activity": 0, "revenue_per_act": 0},
    {"technology": "Transpara", "department": "Centre de dépistage du cancer du sein", "acquisition_cost": 0,
     "annual_licence_cost": 32000, "integration_cost": 10000, "annual_hosting_cost": 2400, "training_cost": 2000,
     "annual_maintenance_cost": 0, "annual_staff_hours": 80, "staff_hourly_cost": 75, "annual_hours_saved": 400,
     "annual_additional_activity": 0, "revenue_per_act": 0},
    {"technology": "Viz LVO", "department": "Neurologie - unité neurovasculaire", "acquisition_cost": 0,
     "annual_licence_cost": 40000, "integration_cost": 15000, "annual_hosting_cost": 0, "training_cost": 1500,
     "annual_maintenance_cost": 0, "annual_staff_hours": 50, "staff_hourly_cost": 75, "annual_hours_saved": 100,
     "annual_additional_activity": 30, "revenue_per_act": 2500},
    {"technology": "Cardiologs", "department": "Cardiologie", "acquisition_cost": 5000, "annual_licence_cost": 18000,
     "integration_cost": 4000, "annual_hosting_cost": 0, "training_cost": 800, "annual_maintenance_cost": -2000,
     "annual_staff_hours": 40, "staff_hourly_cost": 75, "annual_hours_saved": 300,
     "annual_additional_activity": 150, "revenue_per_act": 70},
    {"technology": "Nabla Copilot", "department": "Médecine interne", "acquisition_cost": 0,
     "annual_licence_cost": 9600, "integration_cost": 3000, "annual_hosting_cost": 0, "training_cost": 600,
     "annual_maintenance_cost": 0, "annual_staff_hours": 20, "staff_hourly_cost": 75, "annual_hours_saved": 600,
     "annual_additional_activity": 0, "revenue_per_act": 0},
    {"technology": "Prise de rendez-vous en ligne", "department": "Consultations de cardiologie",
     "acquisition_cost": 0, "annual_licence_cost": 5400, "integration_cost": 2500, "annual_hosting_cost": 0,
     "training_cost": 500, "annual_maintenance_cost": 0, "annual_staff_hours": 30, "staff_hourly_cost": 35,
     "annual_hours_saved": 450, "annual_additional_activity": 200, "revenue_per_act": 30},
    {"technology": "Planification du personnel par IA", "department": "Direction des soins", "acquisition_cost": 0,
     "annual_licence_cost": 36000, "integration_cost": 20000, "annual_hosting_cost": 3000, "training_cost": 4000,
     "annual_maintenance_cost": 0, "annual_staff_hours": 120, "staff_hourly_cost": 45, "annual_hours_saved": 1200,
     "annual_additional_activity": 0, "revenue_per_act": 0},
    {"technology": "Moovcare Poumon", "department": "Oncologie thoracique", "acquisition_cost": 0,
     "annual_licence_cost": 12000, "integration_cost": 2000, "annual_hosting_cost": 0, "training_cost": 1000,
     "annual_maintenance_cost": 0, "annual_staff_hours": 200, "staff_hourly_cost": 40, "annual_hours_saved": 0,
     "annual_additional_activity": 0, "revenue_per_act": 0},
    # FAULT: no inventory row has Viz LVO in "Neuroradiologie": the row is left out
    {"technology": "Viz LVO", "department": "Neuroradiologie", "acquisition_cost": 0, "annual_licence_cost": 20000,
     "integration_cost": 5000, "annual_hosting_cost": 0, "training_cost": 500, "annual_maintenance_cost": 0,
     "annual_staff_hours": 20, "staff_hourly_cost": 75, "annual_hours_saved": 50,
     "annual_additional_activity": 0, "revenue_per_act": 0},
]
# (The Cardiologs row above carries the other economics fault: a negative maintenance amount, -2000.)


def _template(output: Path) -> None:
    """The empty template, as ``evalgraph template inventory`` writes it, from a throw-away store."""
    from evalgraph import kb
    from evalgraph.inventory import write_template
    from evalgraph.store import open_store

    with tempfile.TemporaryDirectory(prefix="evalgraph-example-") as directory:
        store = open_store(Path(directory) / "store")
        try:
            kb.ensure_loaded(store)
            write_template(store, output, "xlsx")
        finally:
            store.close()


def _fill(sheet, rows: list[dict[str, object]]) -> None:  # type: ignore[no-untyped-def]
    """Write ``rows`` from row 2 on, in the columns of the sheet's header (matched by column key)."""
    from openpyxl.styles import Font

    from evalgraph.inventory import forms

    by_header = {c.header: c.key for form in forms().values() for c in form.columns}
    keys = {index: by_header[cell.value] for index, cell in enumerate(sheet[1], 1) if cell.value in by_header}
    for number, values in enumerate(rows, 2):
        for index, key in keys.items():
            cell = sheet.cell(row=number, column=index)
            cell.value = values.get(key)  # (sheet.cell(value=None) would keep the example row's value)
            cell.font = Font()  # row 2 had the example row's grey italics


def build(output: Path = OUTPUT, inventory: list[dict[str, object]] | None = None,
          economics: list[dict[str, object]] | None = None) -> Path:
    """Write the example inventory to ``output`` and return it; other rows than INVENTORY and ECONOMICS may be
    given (the tests build small variants this way)."""
    from openpyxl import load_workbook

    from evalgraph.inventory import ECONOMICS_SHEET, INVENTORY_SHEET

    _template(output)
    book = load_workbook(output)
    _fill(book[INVENTORY_SHEET], INVENTORY if inventory is None else inventory)
    _fill(book[ECONOMICS_SHEET], ECONOMICS if economics is None else economics)
    book.active = book.sheetnames.index(INVENTORY_SHEET)
    book.save(output)
    return output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT, help=f"file to write (default: {OUTPUT.name})")
    print(build(parser.parse_args().output))


if __name__ == "__main__":
    main()
