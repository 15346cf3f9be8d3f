"""Certification readiness of an establishment: per criterion and per deployment, what is met, missing or not
applicable, and which legal obligations come with each deployment — each item with its source.

Which digital criterion concerns a deployment follows from its technology's qualification (the criteria's
eligibility conditions in kb/certification.ttl): the standard criterion for technologies without a medical purpose
that organise care, the advanced one for professional-use digital medical devices. The evaluation elements are
checked by the establishment shapes (shapes/establishment/) on the imported inventory; HAS lists them for the two
criteria together, so the same checks serve both. Obligations are those the qualification attaches to the
technology (the ``obligations`` named query); where a shape checks that the inventory documents one, its status
is ``documented`` or ``missing``, otherwise ``to-check``.

Modules: :mod:`.model` (the result and how a status is shown), :mod:`.assessment` (computing it), :mod:`.workbook`
(XLSX) and :mod:`.page` (HTML, with the charts' layout).
"""

from __future__ import annotations

from .assessment import assess, resolve
from .model import (
    COLOURS,
    STATUSES,
    Criterion,
    DeploymentReadiness,
    Item,
    Readiness,
    RejectedRow,
    trace_text,
    word,
)
from .page import StackedChart, obligations_chart, summary_chart, write_html
from .workbook import write_xlsx

__all__ = [
    "COLOURS",
    "STATUSES",
    "Criterion",
    "DeploymentReadiness",
    "Item",
    "Readiness",
    "RejectedRow",
    "StackedChart",
    "assess",
    "obligations_chart",
    "resolve",
    "summary_chart",
    "trace_text",
    "word",
    "write_html",
    "write_xlsx",
]
