"""The economic sheet: a budget-impact calculator of an establishment's own assumptions, per deployment.

It is a transparent calculator, not a verdict on a technology: it adds up the costs of integrating each deployed
technology (acquisition or licence, integration, hosting, training, maintenance, staff time) and the effects the
establishment expects (time saved, additional activity), year by year over a horizon of N years, and shows every
assumption next to the figures. It gives no score, no ranking and no judgement. It does not implement any HAS
economic-evaluation method.

The inputs are the eleven optional economic properties of an ``eg:Deployment`` (ontology/establishment.ttl), read
with the named query ``deployment-economics``. For year ``y`` of ``1..N``:

* one-off costs = acquisition + integration + training, in year 1 only;
* recurring costs = licence + hosting + maintenance + staff hours × staff hourly cost, every year;
* valued effects = hours saved × staff hourly cost + additional activity × revenue per act, every year;
* net = valued effects − (one-off + recurring costs);
* discounted net = net × 1 / (1 + r)^(y − 1), with r = 0 (no discounting) unless a discount rate is given;
* cumulative net = running sum of the discounted nets.

Arithmetic is exact (:class:`~decimal.Decimal`). An input that is not given counts as 0 and is listed as "not
given" in the assumptions, never silently. :func:`write_xlsx` writes a workbook whose figures are live formulas over
the assumption cells; :func:`html_section` an HTML fragment (tables, inline SVG chart, no script) that a report can
embed, and :func:`render_html` a standalone page.

Modules: :mod:`.model` (inputs, assumptions, figures), :mod:`.computation` (reading and computing),
:mod:`.wording` (notice, rules, amounts), :mod:`.workbook` (XLSX) and :mod:`.page` (HTML).
"""

from __future__ import annotations

from .computation import QUERY, compute, read
from .model import FIELD_BY_NAME, FIELDS, Assumption, DeploymentSheet, Field, Inputs, Sheet, Year
from .page import Chart, SectionView, chart, html_section, render_html, section_view
from .wording import BUDGET_COLUMNS, fmt, notice, rules
from .workbook import _FIRST_INPUT, _HEADER_ROW, _PARAMETER_ROWS, budget_column, input_column, sheet_names, write_xlsx

__all__ = [
    "BUDGET_COLUMNS",
    "FIELDS",
    "FIELD_BY_NAME",
    "QUERY",
    "_FIRST_INPUT",
    "_HEADER_ROW",
    "_PARAMETER_ROWS",
    "Assumption",
    "Chart",
    "DeploymentSheet",
    "Field",
    "Inputs",
    "SectionView",
    "Sheet",
    "Year",
    "budget_column",
    "chart",
    "compute",
    "fmt",
    "html_section",
    "input_column",
    "notice",
    "read",
    "render_html",
    "rules",
    "section_view",
    "sheet_names",
    "write_xlsx",
]
