"""The choice aid: candidate technologies side by side, theme by theme of the HAS choice-aid guide, as the guide asks
a buyer to compare them before purchase — with no score and no ranking.

For each theme of the guide in the knowledge base, each candidate's documented facts (named query
``choice-facts``) and what evalgraph derives for it (the qualification engine: qualification, class, AI Act category,
obligations, the evaluation gap), every value with its sources and whether a source states it, the candidate's
dossier states it, or evalgraph derives it. What a candidate does not document is "not documented"; a difference
that matters is highlighted with the rule behind it (named query ``choice-difference-rules``, or the decision
logic for derived values). A comparison can be saved as a *choice record* for an establishment, which the
readiness report counts as evidence of a structured choice process.

Modules: :mod:`.model` (the comparison as data), :mod:`.candidates` (resolving names, IRIs and dossier files),
:mod:`.derived` (the engine's rows), :mod:`.gather` (building the comparison), :mod:`.output` (HTML, XLSX,
JSON), :mod:`.records` (choice records).
"""

from __future__ import annotations

from .gather import compare
from .model import Candidate, Cell, Comparison, Row, Theme, Value

__all__ = ["Candidate", "Cell", "Comparison", "Row", "Theme", "Value", "compare"]
