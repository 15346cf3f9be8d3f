"""What the economic sheet is made of: the economic inputs (:data:`FIELDS`, named by their ontology properties),
what an establishment entered for a deployment (:class:`Inputs`), the assumptions as shown to the reader, and the
figures year by year (:class:`Year`, :class:`Sheet`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox

from evalgraph import resources
from evalgraph.establishments.inventory.form import forms
from evalgraph.vocab import RDFS, XSD, compact

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class Field:
    """One economic input: its attribute on :class:`Inputs`, its ontology property, labels and unit in FR/EN."""

    name: str
    column: str
    label_fr: str
    label_en: str
    unit_fr: str
    unit_en: str

    def label(self, lang: str) -> str:
        return self.label_fr if lang == "fr" else self.label_en

    def unit(self, lang: str) -> str:
        return self.unit_fr if lang == "fr" else self.unit_en


def _snake(local: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", local).lower()


@lru_cache(maxsize=1)
def _fields() -> tuple[Field, ...]:
    """The economic inputs, in the order of the inventory's economics sheet: their ontology property (its French and
    English labels name the assumption) and their unit (from forms/inventory.ttl)."""
    ontology = ox.Store()
    for file in resources.files("ontology", ".ttl"):
        ontology.bulk_load(path=str(file), format=ox.RdfFormat.TURTLE)
    fields = []
    for column in forms()["Economics"].columns:
        if column.datatype != XSD + "decimal":
            continue
        labels = {
            q.object.language: q.object.value
            for q in ontology.quads_for_pattern(ox.NamedNode(column.path), ox.NamedNode(RDFS + "label"), None, None)
            if isinstance(q.object, ox.Literal)
        }
        local = column.path.rsplit("/", 1)[-1]
        fields.append(Field(_snake(local), local, labels["fr"], labels["en"], column.unit_fr, column.unit_en))
    return tuple(fields)


FIELDS: tuple[Field, ...] = _fields()
FIELD_BY_NAME = {f.name: f for f in FIELDS}


@dataclass(frozen=True)
class Inputs:
    """What the establishment entered for one deployment; ``None`` is an input not given."""

    deployment: str
    technology: str
    department: str = ""
    row: int | None = None
    acquisition_cost: Decimal | None = None
    annual_licence_cost: Decimal | None = None
    integration_cost: Decimal | None = None
    annual_hosting_cost: Decimal | None = None
    training_cost: Decimal | None = None
    annual_maintenance_cost: Decimal | None = None
    annual_staff_hours: Decimal | None = None
    staff_hourly_cost: Decimal | None = None
    annual_hours_saved: Decimal | None = None
    annual_additional_activity: Decimal | None = None
    revenue_per_activity: Decimal | None = None
    technology_iri: str = ""
    unreadable: tuple[tuple[str, str], ...] = ()
    """(input name, text) of values found in the store that are not numbers: counted as 0 and listed as such."""

    def value(self, name: str) -> Decimal | None:
        number = getattr(self, name)
        assert number is None or isinstance(number, Decimal)
        return number

    def amount(self, name: str) -> Decimal:
        """The input, 0 when not given."""
        return self.value(name) or ZERO

    def not_given(self) -> tuple[str, ...]:
        return tuple(f.name for f in FIELDS if self.value(f.name) is None)

    def origin(self, lang: str) -> str:
        if self.row is not None:
            return f"ligne {self.row} de l'inventaire" if lang == "fr" else f"inventory row {self.row}"
        return f"déploiement {compact(self.deployment)}" if lang == "fr" else f"deployment {compact(self.deployment)}"

    def title(self, lang: str) -> str:
        """Technology — department (origin), to name the deployment in the outputs."""
        parts = [self.technology or compact(self.technology_iri or self.deployment)]
        if self.department:
            parts.append(self.department)
        return " — ".join(parts) + f" ({self.origin(lang)})"


@dataclass(frozen=True)
class Assumption:
    """One assumption of the sheet as shown to the reader: its value (``None`` when not given) and where it is from."""

    deployment: str
    key: str
    name_fr: str
    name_en: str
    value: Decimal | None
    unit_fr: str
    unit_en: str
    origin_fr: str
    origin_en: str
    status: str = "given"
    """``given``, ``not-given`` (counted as 0), ``unreadable`` (counted as 0) or ``parameter`` (of the calculation)."""
    raw: str = ""

    def name(self, lang: str) -> str:
        return self.name_fr if lang == "fr" else self.name_en

    def unit(self, lang: str) -> str:
        return self.unit_fr if lang == "fr" else self.unit_en

    def origin(self, lang: str) -> str:
        return self.origin_fr if lang == "fr" else self.origin_en

    def status_text(self, lang: str) -> str:
        texts = {
            "given": ("renseignée", "given"),
            "not-given": ("non renseignée — comptée 0", "not given — counted as 0"),
            "unreadable": (f"illisible (« {self.raw} ») — comptée 0", f"unreadable ('{self.raw}') — counted as 0"),
            "parameter": ("paramètre du calcul", "parameter of the calculation"),
        }
        fr, en = texts[self.status]
        return fr if lang == "fr" else en


@dataclass(frozen=True)
class Year:
    """The figures of one year, undiscounted except ``discounted_net`` and ``cumulative``."""

    year: int
    one_off: Decimal
    recurring: Decimal
    time_saved: Decimal
    activity: Decimal
    factor: Decimal
    cumulative: Decimal

    @property
    def costs(self) -> Decimal:
        return self.one_off + self.recurring

    @property
    def effects(self) -> Decimal:
        return self.time_saved + self.activity

    @property
    def net(self) -> Decimal:
        return self.effects - self.costs

    @property
    def discounted_net(self) -> Decimal:
        return self.net * self.factor


@dataclass(frozen=True)
class DeploymentSheet:
    inputs: Inputs
    years: tuple[Year, ...]
    assumptions: tuple[Assumption, ...]


@dataclass(frozen=True)
class Sheet:
    """The budget impact of an establishment's deployments over ``horizon`` years, with every assumption."""

    horizon: int
    discount_rate: Decimal | None
    deployments: tuple[DeploymentSheet, ...]
    total: tuple[Year, ...]
    parameters: tuple[Assumption, ...]

    @property
    def assumptions(self) -> tuple[Assumption, ...]:
        """The parameters of the calculation, then every input of every deployment (given or not)."""
        return self.parameters + tuple(a for d in self.deployments for a in d.assumptions)

    @property
    def discounted(self) -> bool:
        return bool(self.discount_rate)
