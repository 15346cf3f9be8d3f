"""Légifrance identifiers of the Code de la sécurité sociale articles, and of the Journal officiel texts, that the
knowledge base cites — read once from Légifrance's own data as published in the npm package ``@socialgouv/legi-data``
(Apache-2.0), written to small committed tables that the knowledge base and its tests use. Nothing downloads at run
time: fetch the package by hand, then run this script.

    npm pack @socialgouv/legi-data            # → socialgouv-legi-data-<version>.tgz
    .venv/bin/python scripts/legifrance_css.py socialgouv-legi-data-<version>.tgz

Writes ``kb/legifrance/css-articles.tsv`` (article number → the version in force: its LEGIARTI identifier, start
date, state and Légifrance URL ``https://www.legifrance.gouv.fr/codes/article_lc/<id>``) for every CSS article the
knowledge base cites (``eg:citation "L162-1-23 CSS"``, ranges ``"R162-112 to R162-116 CSS"``), and
``kb/legifrance/jorf-texts.tsv`` (décrets and laws that created or modified a CSS article, as the package records
them: JORFTEXT identifier, title, signature and publication dates, URL ``https://www.legifrance.gouv.fr/jorf/id/<id>``;
then, for an article of the text that the knowledge base cites (``", art. 36"``), the LEGIARTI identifier of that
article and its URL ``https://www.legifrance.gouv.fr/loda/article_lc/<id>``) for the texts whose number the knowledge
base cites (``"Décret n° 2022-1767"``).
An article the package does not have is written with the state ``ABSENT``; ``tests/test_sources.py`` then fails.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import re
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import rdflib

ROOT = Path(__file__).resolve().parent.parent
CSS = "LEGITEXT000006073189"
ARTICLE_URL = "https://www.legifrance.gouv.fr/codes/article_lc/{}"
TEXT_URL = "https://www.legifrance.gouv.fr/jorf/id/{}"
LODA_ARTICLE_URL = "https://www.legifrance.gouv.fr/loda/article_lc/{}"
EG_CITATION = rdflib.URIRef("https://w3id.org/evalgraph/ontology/citation")
ARTICLE = re.compile(r"^([LRD]\d+(?:-\d+)*)(?: to ([LRD]\d+(?:-\d+)*))? CSS$")
TEXT_NUMBER = re.compile(r"n° ?(\d{4}-\d+)")


def kb_citations(kb: Path) -> list[str]:
    graph = rdflib.Graph()
    for path in sorted(kb.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return sorted({str(o) for o in graph.objects(None, EG_CITATION)})


def cited_articles(citations: list[str]) -> list[str]:
    """The CSS article numbers cited; a range ``R162-112 to R162-116`` gives every number between."""
    numbers: list[str] = []
    for citation in citations:
        match = ARTICLE.match(citation)
        if not match:
            continue
        first, last = match.groups()
        if last is None:
            numbers.append(first)
            continue
        stem, start = first.rsplit("-", 1)
        end = last.rsplit("-", 1)[1]
        numbers.extend(f"{stem}-{n}" for n in range(int(start), int(end) + 1))
    return sorted(set(numbers))


def cited_text_numbers(citations: list[str]) -> list[str]:
    return sorted({m for c in citations for m in TEXT_NUMBER.findall(c)})


def read_code(package: Path) -> dict[str, Any]:
    member = f"package/data/{CSS}.json"
    if package.is_dir():
        return json.loads((package / "data" / f"{CSS}.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    with tarfile.open(package) as archive:
        handle = archive.extractfile(member)
        if handle is None:
            raise SystemExit(f"{package}: no {member}")
        return json.load(handle)  # type: ignore[no-any-return]


def package_version(package: Path) -> str:
    if package.is_dir():
        return str(json.loads((package / "package.json").read_text(encoding="utf-8"))["version"])
    with tarfile.open(package) as archive:
        handle = archive.extractfile("package/package.json")
        return str(json.load(handle)["version"]) if handle else "?"


def articles(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    if node.get("type") == "article":
        yield node["data"]
    for child in node.get("children") or []:
        yield from articles(child)


def day(milliseconds: int | None) -> str:
    if milliseconds is None:
        return ""
    return dt.datetime.fromtimestamp(milliseconds / 1000, tz=dt.UTC).date().isoformat()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path, help="the npm pack .tgz of @socialgouv/legi-data, or its unpacked folder")
    parser.add_argument("--kb", type=Path, default=ROOT / "kb")
    parser.add_argument("--out", type=Path, default=ROOT / "kb" / "legifrance")
    args = parser.parse_args(argv)

    code = read_code(args.package)
    version = package_version(args.package)
    as_of = code["data"].get("dateModif", "")
    citations = kb_citations(args.kb)
    wanted = cited_articles(citations)
    texts_wanted = cited_text_numbers(citations)

    by_number: dict[str, dict[str, Any]] = {}
    texts: dict[str, dict[str, str]] = {}
    for article in articles(code):
        number = article.get("num")
        if number in wanted:
            # several nodes may carry a number (a moved or re-created article): keep the one in force
            if number not in by_number or article.get("etat") == "VIGUEUR":
                by_number[number] = article
        for link in article.get("lienModifications") or []:
            title = str(link.get("textTitle") or "")
            numbers = re.findall(r"n° ?(\d{4}-\d+)", title)
            if not numbers or numbers[0] not in texts_wanted:
                continue
            key = (link["textCid"], str(link.get("articleNum") or ""))
            texts.setdefault("|".join(key), {
                "number": numbers[0],
                "text_id": link["textCid"],
                "title": title.split(" - ")[0],
                "signed": str(link.get("dateSignaTexte") or ""),
                "published": str(link.get("datePubliTexte") or ""),
                "text_url": TEXT_URL.format(link["textCid"]),
                "article": str(link.get("articleNum") or ""),
                "article_id": str(link.get("articleId") or ""),
                "article_url": LODA_ARTICLE_URL.format(link["articleId"]) if link.get("articleId") else "",
            })

    args.out.mkdir(parents=True, exist_ok=True)
    header = f"# Légifrance data for {CSS} (Code de la sécurité sociale) as of {as_of}, @socialgouv/legi-data {version}; written by scripts/legifrance_css.py\n"
    with (args.out / "css-articles.tsv").open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(["number", "id", "cid", "state", "start", "url"])
        for number in wanted:
            article = by_number.get(number)
            if article is None:
                writer.writerow([number, "", "", "ABSENT", "", ""])
                continue
            writer.writerow([number, article["id"], article["cid"], article.get("etat") or "",
                             day(article.get("dateDebut")), ARTICLE_URL.format(article["id"])])
    with (args.out / "jorf-texts.tsv").open("w", encoding="utf-8", newline="") as out:
        out.write(header)
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        columns = ["number", "text_id", "title", "signed", "published", "text_url", "article", "article_id", "article_url"]
        writer.writerow(columns)
        cited = {m for c in citations for m in re.findall(r", art\. (\d+)$", c)}
        seen: set[str] = set()
        for key in sorted(texts, key=lambda k: (texts[k]["number"], texts[k]["article"].zfill(4))):
            row = texts[key]
            if row["text_id"] not in seen:  # the text itself, then the articles the knowledge base cites
                seen.add(row["text_id"])
                writer.writerow([row[c] if c in columns[:6] else "" for c in columns])
            if row["article"] in cited:
                writer.writerow([row[c] for c in columns])
    print(f"{len(wanted)} CSS articles ({sum(1 for n in wanted if n in by_number)} found), "
          f"{len({t['text_id'] for t in texts.values()})} JORF texts → {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
