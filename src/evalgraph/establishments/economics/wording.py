"""The sheet's wording: what it is and is not, its calculation rules as sentences, the columns of the budget
impact, and amounts written for the reader."""

from __future__ import annotations

from decimal import Decimal

from .model import ONE, ZERO, Sheet


def notice(lang: str) -> str:
    """What the sheet is, and what it is not."""
    if lang == "fr":
        return (
            "Cette fiche est un calculateur d'impact budgétaire fondé sur les hypothèses propres de "
            "l'établissement : elle donne des chiffres et les hypothèses dont ils découlent, et ne note, ne "
            "classe ni ne juge aucune technologie. Elle n'applique aucune méthode d'évaluation économique de la "
            "HAS."
        )
    return (
        "This sheet is a budget-impact calculator of the establishment's own assumptions: it gives figures and "
        "the assumptions they follow from, and does not score, rank or judge any technology. It does not "
        "implement any HAS economic-evaluation method."
    )


def rules(sheet: Sheet, lang: str) -> list[str]:
    """The calculation rules, as sentences: assumptions of the method itself."""
    if lang == "fr":
        listed = [
            "Coûts ponctuels (acquisition + intégration + formation) : en année 1 seulement.",
            "Coûts récurrents (licence + hébergement + maintenance + heures de personnel × coût horaire) : chaque "
            "année, constants (ni inflation ni montée en charge).",
            "Effets valorisés (heures gagnées × coût horaire + activité supplémentaire × recette par acte) : chaque "
            "année dès l'année 1, constants.",
            "Solde = effets valorisés − coûts ; solde cumulé = somme des soldes "
            + ("actualisés " if sheet.discounted else "")
            + "des années écoulées.",
            "Une donnée non renseignée compte pour 0 et figure comme telle dans les hypothèses.",
            "Montants en euros, tels que saisis par l'établissement.",
        ]
        listed.append(
            f"Actualisation : solde de l'année a × 1/(1+{_rate(sheet, lang)})^(a−1)."
            if sheet.discounted
            else "Aucune actualisation."
        )
        return listed
    listed = [
        "One-off costs (acquisition + integration + training): in year 1 only.",
        "Recurring costs (licence + hosting + maintenance + staff hours × hourly cost): every year, constant (no "
        "inflation, no ramp-up).",
        "Valued effects (hours saved × hourly cost + additional activity × revenue per act): every year from year 1, "
        "constant.",
        "Net = valued effects − costs; cumulative net = sum of the "
        + ("discounted " if sheet.discounted else "")
        + "nets of the years so far.",
        "An input not given counts as 0 and is listed as such in the assumptions.",
        "Amounts in euros, as entered by the establishment.",
    ]
    listed.append(
        f"Discounting: net of year y × 1/(1+{_rate(sheet, lang)})^(y−1)." if sheet.discounted else "No discounting."
    )
    return listed


def _rate(sheet: Sheet, lang: str) -> str:
    rate = sheet.discount_rate or ZERO
    return fmt(rate * 100, lang, places=2).rstrip("0").rstrip(",.") + (" %" if lang == "fr" else "%")


def fmt(value: Decimal | None, lang: str, places: int | None = None) -> str:
    """``value`` for the reader: thousands separated, rounded to the cent (whole numbers without decimals)."""
    if value is None:
        return "—"
    if places is None:
        places = 0 if value == value.to_integral_value() else 2
    rounded = value.quantize(Decimal(1).scaleb(-places)) if places else value.quantize(ONE)
    text = f"{abs(rounded):,.{places}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return ("−" if rounded < 0 else "") + text


BUDGET_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("deployment", "déploiement", "deployment"),
    ("year", "année", "year"),
    ("one_off", "coûts ponctuels (€)", "one-off costs (€)"),
    ("recurring", "coûts récurrents (€)", "recurring costs (€)"),
    ("costs", "coûts totaux (€)", "total costs (€)"),
    ("time_saved", "valeur du temps gagné (€)", "value of time saved (€)"),
    ("activity", "recettes de l'activité supplémentaire (€)", "revenue of additional activity (€)"),
    ("effects", "effets valorisés (€)", "valued effects (€)"),
    ("net", "solde (€)", "net (€)"),
    ("factor", "facteur d'actualisation", "discount factor"),
    ("discounted_net", "solde actualisé (€)", "discounted net (€)"),
    ("cumulative", "solde cumulé (€)", "cumulative net (€)"),
)
