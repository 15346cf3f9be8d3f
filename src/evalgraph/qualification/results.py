"""What a qualification concludes about one technology: the conclusions of the procedures, the eligibility of
pathways, obligations and criteria, the two answers of the evaluation gap and the conflicts found."""

from __future__ import annotations

from dataclasses import dataclass, field

from evalgraph.qualification.eligibility import Eligibility
from evalgraph.qualification.walk import Conclusion


@dataclass
class Conflict:
    """An asserted fact that contradicts a derived one."""

    fact: str
    asserted: str
    derived: str
    reason: str  # "different" or "below"


@dataclass
class Qualification:
    technology: str
    labels: dict[str, str]
    conclusions: list[Conclusion]
    pathways: list[Eligibility]
    obtained: dict[str, list[str]]
    obligations: list[Eligibility]
    gap: bool | None
    gap_needs: list[str]
    conflicts: list[Conflict]
    national_route: bool | None = None
    """(b) whether a national evaluation route for the product is open on the stated facts."""
    national_route_derived: bool = True
    """False when the graph states eg:hasNationalRoute (a contradicting statement is reported as a conflict)."""
    criteria: list[Eligibility] = field(default_factory=list)
    national_evaluation: bool = False
    """(a) whether an assessment under a national route for the product is recorded."""

    @property
    def applicable_criteria(self) -> list[str]:
        return [c.target for c in self.criteria if c.status == "eligible"]

    def conclusion(self, fact: str) -> Conclusion | None:
        return next((c for c in self.conclusions if c.fact == fact), None)

    @property
    def eligible_pathways(self) -> list[str]:
        return [p.target for p in self.pathways if p.status == "eligible"]

    @property
    def applicable_obligations(self) -> list[str]:
        return [o.target for o in self.obligations if o.status == "eligible"]

    @property
    def possible_routes(self) -> list[Eligibility]:
        """National routes for the product that the stated facts neither open nor close: possible if … ."""
        return [p for p in self.pathways if p.national_route and p.status == "undetermined"]
