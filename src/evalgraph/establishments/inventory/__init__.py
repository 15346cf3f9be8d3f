"""Establishment inventories: the template (XLSX or CSV) and the import of a filled one into the graph.

The columns come from ``forms/inventory.ttl`` (one SHACL property shape per column: bilingual header, order,
required or not, datatype or concept scheme, property; and the words a yes/no cell accepts). The import reads every
row, checks every cell, and turns each valid row into an ``eg:Deployment`` of the establishment, linked to a known
technology when its name (and manufacturer) match one — the match is recorded with ``eg:technologyMatch`` — or to
a technology created from the row and flagged ``eg:needsReview``. A bad cell is reported with its row, column,
value and what was expected, and only its row is left out. Everything goes into one named graph per establishment,
replaced atomically: importing the same file again gives the same graph.

Modules: :mod:`.form` (the form read from forms/inventory.ttl), :mod:`.template` (the empty inventory),
:mod:`.spreadsheet` (reading a filled one), :mod:`.cells` (cells as RDF terms), :mod:`.technologies` (matching or
describing a row's technology), :mod:`.importing` (rows to the establishment's graph), :mod:`.naming` (slugs,
IRIs, sheet names).
"""

from __future__ import annotations

import pyoxigraph as ox  # noqa: F401 - as the module it was, reached as inventory.ox

from .cells import Cells, match_concept
from .form import Answer, Column, Concept, Form, answers, concepts, forms
from .importing import import_inventory, iter_problems
from .naming import (
    ECONOMICS_SHEET,
    ESTABLISHMENT_GRAPH_BASE,
    INVENTORY_SHEET,
    LISTS_SHEET,
    README_SHEET,
    establishment_graph,
    establishment_iri,
    slug,
)
from .spreadsheet import ImportReport, Problem, Row, read_table
from .technologies import KnownTechnology, known_technologies, match
from .template import write_template

__all__ = [
    "ECONOMICS_SHEET",
    "ESTABLISHMENT_GRAPH_BASE",
    "INVENTORY_SHEET",
    "LISTS_SHEET",
    "README_SHEET",
    "Answer",
    "Cells",
    "Column",
    "Concept",
    "Form",
    "ImportReport",
    "KnownTechnology",
    "Problem",
    "Row",
    "answers",
    "concepts",
    "establishment_graph",
    "establishment_iri",
    "forms",
    "import_inventory",
    "iter_problems",
    "known_technologies",
    "match",
    "match_concept",
    "read_table",
    "slug",
    "write_template",
]
