"""Reading an establishment's economic inputs (the named query ``deployment-economics``) and computing the budget
impact year by year, per deployment and in total (the rules are in the package docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from evalgraph.store import queries
from evalgraph.store.oxigraph import Store

from .model import FIELDS, ONE, ZERO, Assumption, DeploymentSheet, Inputs, Sheet, Year

QUERY = "deployment-economics"


def _number(term: object) -> tuple[Decimal | None, str]:
    """The decimal value of a literal and, when it is not a finite number, its text."""
    if term is None:
        return None, ""
    text = term.value if isinstance(term, ox.Literal) else str(term)
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        return None, text
    return (number, "") if number.is_finite() else (None, text)


def read(store: Store, establishment: str, lang: str, override: Path | None = None) -> list[Inputs]:
    """The deployments of ``establishment`` (an IRI, or a prefixed name such as egr:org-x) with their economic
    inputs, in inventory-row order, read with the named query ``deployment-economics``."""
    named = queries.load(QUERY, override)
    result = store.query(named.text, queries.bind(named, {"establishment": establishment, "lang": lang}))
    column = {name: index for index, name in enumerate(result.variables)}
    found: list[Inputs] = []
    for row in result.rows:

        def cell(name: str, row: tuple[object, ...] = row) -> object:
            return row[column[name]]

        deployment, technology, label, department, number = (
            cell("deployment"),
            cell("technology"),
            cell("technologyLabel"),
            cell("department"),
            cell("inventoryRow"),
        )
        values: dict[str, Decimal | None] = {}
        unreadable: list[tuple[str, str]] = []
        for spec in FIELDS:
            value, raw = _number(cell(spec.column))
            values[spec.name] = value
            if raw:
                unreadable.append((spec.name, raw))
        row_number = None
        if isinstance(number, ox.Literal) and number.value.strip().lstrip("+").isdigit():
            row_number = int(number.value)
        found.append(
            Inputs(
                deployment=deployment.value if isinstance(deployment, ox.NamedNode | ox.BlankNode) else str(deployment),
                technology=label.value if isinstance(label, ox.Literal) else "",
                department=department.value if isinstance(department, ox.Literal) else "",
                row=row_number,
                technology_iri=technology.value if isinstance(technology, ox.NamedNode) else "",
                unreadable=tuple(unreadable),
                **values,
            )
        )
    return found


def _parameters(horizon: int, rate: Decimal | None) -> tuple[Assumption, ...]:
    origin_fr, origin_en = "paramètre du calcul", "parameter of the calculation"
    if rate:
        discount = Assumption(
            "",
            "discount_rate",
            "taux d'actualisation",
            "discount rate",
            rate,
            "par an (facteur 1/(1+r)^(année−1))",
            "per year (factor 1/(1+r)^(year−1))",
            origin_fr,
            origin_en,
            "parameter",
        )
    else:
        discount = Assumption(
            "",
            "discount_rate",
            "taux d'actualisation",
            "discount rate",
            ZERO,
            "aucune actualisation",
            "no discounting",
            origin_fr,
            origin_en,
            "parameter",
        )
    return (
        Assumption(
            "", "horizon", "horizon", "horizon", Decimal(horizon), "années", "years", origin_fr, origin_en, "parameter"
        ),
        discount,
    )


def _assumptions(inputs: Inputs) -> tuple[Assumption, ...]:
    unreadable = dict(inputs.unreadable)
    listed = []
    for spec in FIELDS:
        value = inputs.value(spec.name)
        status = "given" if value is not None else "unreadable" if spec.name in unreadable else "not-given"
        listed.append(
            Assumption(
                inputs.deployment,
                spec.name,
                spec.label_fr,
                spec.label_en,
                value,
                spec.unit_fr,
                spec.unit_en,
                inputs.origin("fr"),
                inputs.origin("en"),
                status,
                unreadable.get(spec.name, ""),
            )
        )
    return tuple(listed)


def _factor(year: int, rate: Decimal | None) -> Decimal:
    return ONE / (ONE + rate) ** (year - 1) if rate else ONE


def _years(inputs: Inputs, horizon: int, rate: Decimal | None) -> tuple[Year, ...]:
    a = inputs.amount
    one_off = a("acquisition_cost") + a("integration_cost") + a("training_cost")
    recurring = (
        a("annual_licence_cost")
        + a("annual_hosting_cost")
        + a("annual_maintenance_cost")
        + a("annual_staff_hours") * a("staff_hourly_cost")
    )
    time_saved = a("annual_hours_saved") * a("staff_hourly_cost")
    activity = a("annual_additional_activity") * a("revenue_per_activity")
    years: list[Year] = []
    cumulative = ZERO
    for year in range(1, horizon + 1):
        entry = Year(year, one_off if year == 1 else ZERO, recurring, time_saved, activity, _factor(year, rate), ZERO)
        cumulative += entry.discounted_net
        years.append(
            Year(entry.year, entry.one_off, entry.recurring, entry.time_saved, entry.activity, entry.factor, cumulative)
        )
    return tuple(years)


def _sum(sheets: Sequence[tuple[Year, ...]], horizon: int, rate: Decimal | None) -> tuple[Year, ...]:
    total: list[Year] = []
    cumulative = ZERO
    for index in range(horizon):
        rows = [years[index] for years in sheets]
        entry = Year(
            index + 1,
            sum((r.one_off for r in rows), ZERO),
            sum((r.recurring for r in rows), ZERO),
            sum((r.time_saved for r in rows), ZERO),
            sum((r.activity for r in rows), ZERO),
            _factor(index + 1, rate),
            ZERO,
        )
        cumulative += entry.discounted_net
        total.append(
            Year(entry.year, entry.one_off, entry.recurring, entry.time_saved, entry.activity, entry.factor, cumulative)
        )
    return tuple(total)


def compute(inputs: Sequence[Inputs], years: int, discount_rate: Decimal | None = None) -> Sheet:
    """The budget impact of each deployment and of all of them over ``years`` years (see the module docstring).

    ``discount_rate`` (e.g. ``Decimal("0.04")``) discounts the net of year y by 1/(1+r)^(y−1); none by default.
    """
    if years < 1:
        raise ValueError("the horizon is at least one year")
    rate = Decimal(discount_rate) if discount_rate is not None else None
    if rate is not None and (not rate.is_finite() or rate <= -1):
        raise ValueError("the discount rate is a number above -1 (e.g. 0.04 for 4 % a year)")
    deployments = tuple(DeploymentSheet(i, _years(i, years, rate), _assumptions(i)) for i in inputs)
    total = _sum([d.years for d in deployments], years, rate)
    return Sheet(years, rate, deployments, total, _parameters(years, rate))
