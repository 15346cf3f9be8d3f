"""The documented header of every named query (queries/*.rq): titles and descriptions in French and English."""

from __future__ import annotations

import re

import pytest

from evalgraph import resources
from evalgraph.store import queries

NAMES = resources.names("queries")
# What a translation keeps as it is: `commands`, prefixed names (eg:rank, rdf:type), ?variables and /paths.
_CODE = re.compile(r"`[^`]+`|\b[a-z]+:[A-Za-z][\w-]*|\?\w+|(?<![\w.])/[\w./-]+\w")


def test_there_are_named_queries() -> None:
    assert len(NAMES) >= 20


@pytest.mark.parametrize("name", NAMES)
def test_header_has_titles_and_descriptions_in_both_languages(name: str) -> None:
    query = queries.load(name)
    for field in ("title_fr", "title_en", "description", "description_fr"):
        assert getattr(query, field).strip(), f"queries/{name}.rq: empty or missing '#+ {field}:'"
    assert query.title_fr != name and query.title_en != name, f"queries/{name}.rq: no titles"
    assert query.description_fr != query.description, f"queries/{name}.rq: description_fr is not a translation"


@pytest.mark.parametrize("name", NAMES)
def test_french_description_follows_the_english_one_and_keeps_its_code(name: str) -> None:
    lines = (resources.path("queries") / f"{name}.rq").read_text(encoding="utf-8").splitlines()
    keys = [line.split(":", 1)[0] for line in lines if line.startswith("#+ ")]
    assert keys.count("#+ description_fr") == 1
    assert keys.index("#+ description_fr") == keys.index("#+ description") + 1
    query = queries.load(name)
    missing = set(_CODE.findall(query.description)) - set(_CODE.findall(query.description_fr))
    assert not missing, f"queries/{name}.rq: description_fr lacks {sorted(missing)}"


def test_catalogue_exposes_the_french_description() -> None:
    listed = queries.catalogue()
    assert [q.name for q in listed] == list(NAMES)
    by_name = {q.name: q for q in listed}
    assert by_name["cartography"].description_fr.startswith("Toutes les voies d'évaluation")
    assert all(q.description_fr and q.description_fr != q.description for q in listed)


def test_description_fr_falls_back_to_description() -> None:
    query = queries.parse("probe", "#+ title_fr: T\n#+ title_en: T\n#+ description: English only\nSELECT * {}")
    assert query.description_fr == "English only"
