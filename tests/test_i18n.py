"""The translation catalogue (src/evalgraph/locale/{en,fr}/LC_MESSAGES/evalgraph.po): every message exists in both
languages, is not empty and has the same ``{placeholders}`` in both; every key the Python code, the templates and the
web pages' JavaScript ask for is in it; and the checker itself fails on a broken catalogue."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from evalgraph import i18n

SRC = Path(__file__).resolve().parent.parent / "src" / "evalgraph"
TEMPLATES = SRC / "templates"
STATIC = SRC / "web" / "static"
KEY = re.compile(r"^[a-z][a-z0-9_]*$")

KEY_CALLS = {"message", "msg", "text", "_error", "refuse", "say", "warn"}
"""Functions whose first argument is a message key (besides the project's errors: ``DataFileError("key", …)``)."""

JS_PAGES = {"app": ("app.js", "index.html"), "api": ("api.js", "api.html")}
"""Each web page's script and HTML; their keys are ``ui_<page>_<key>`` or, shared by every page, ``ui_<key>``."""


# ------------------------------------------------------------------------------------------------------ the checker


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a message (ValueError on a malformed one)."""
    return {field.split(".")[0].split("[")[0] for _, field, _, _ in string.Formatter().parse(text) if field}


def problems(catalogues: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong with catalogues ``{lang: {key: text}}``: a message missing or empty in one language, or whose
    placeholders differ between languages, or malformed."""
    found: list[str] = []
    for key in sorted(set().union(*catalogues.values())):
        fields: dict[str, frozenset[str]] = {}
        for lang, messages in sorted(catalogues.items()):
            if key not in messages:
                found.append(f"{key}: missing in {lang}")
            elif not messages[key].strip():
                found.append(f"{key}: empty in {lang}")
            else:
                try:
                    fields[lang] = frozenset(placeholders(messages[key]))
                except ValueError as exc:
                    found.append(f"{key}: malformed in {lang} ({exc})")
        if len(set(fields.values())) > 1:
            found.append(f"{key}: placeholders differ: " + ", ".join(f"{k} {sorted(v)}" for k, v in fields.items()))
    return found


def catalogues() -> dict[str, dict[str, str]]:
    return {lang: i18n.read_catalogue(i18n.catalogue_path(lang)) for lang in i18n.LANGUAGES}


# ---------------------------------------------------------------------------------------------- keys the code uses


def _pattern(node: ast.expr) -> str | None:
    """A regular expression for a literal or f-string key argument (``f"severity_{s}"`` → ``severity_.+``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value) if KEY.match(node.value) else None
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        parts = [str(v.value) if isinstance(v, ast.Constant) else "" for v in node.values]
        if not all(re.fullmatch(r"[a-z0-9_]*", part) for part in parts):
            return None
        return "".join(re.escape(str(v.value)) if isinstance(v, ast.Constant) else ".+" for v in node.values)
    return None


def error_classes(trees: list[ast.Module]) -> set[str]:
    """The project's errors: ``EvalgraphError`` and the classes deriving from it, at any depth."""
    found = {"EvalgraphError"}
    classes = [node for tree in trees for node in ast.walk(tree) if isinstance(node, ast.ClassDef)]
    while True:
        more = {c.name for c in classes if any(isinstance(b, ast.Name) and b.id in found for b in c.bases)} - found
        if not more:
            return found
        found |= more


def python_keys() -> dict[str, str]:
    """Key patterns the Python code asks for → where."""
    found: dict[str, str] = {}
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(SRC.rglob("*.py"))}
    calls = KEY_CALLS | error_classes(list(trees.values()))
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in calls:
                pattern = _pattern(node.args[0])
                if pattern:
                    found.setdefault(pattern, f"{path.relative_to(SRC)}:{node.lineno}")
    return found


def template_keys() -> dict[str, str]:
    """Keys the templates ask for with ``_("key", …)`` (``_("prefix_" ~ name)`` as a pattern) → where; Jinja
    comments left out."""
    found: dict[str, str] = {}
    for path in sorted(TEMPLATES.glob("*.html")):
        source = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
        for match in re.finditer(r"""\b_\(\s*["']([a-z0-9_]+)["'](\s*~)?""", source):
            found.setdefault(re.escape(match.group(1)) + (".+" if match.group(2) else ""), path.name)
    return found


def js_keys(script: str, html: str = "") -> set[str]:
    """Key patterns a page asks for: literals in ``t(…)``'s first argument (both sides of a ``?:``), template
    literals as patterns, and the HTML's ``data-i18n`` / ``data-i18n-attr`` keys."""
    found: set[str] = set()
    for match in re.finditer(r"\bt\(([^(),]*)", script):
        argument = match.group(1)
        found |= {re.escape(k) for k in re.findall(r'"([a-z0-9_]+)"', argument)}
        found |= {re.sub(r"\\\$\\\{[^}]*\\\}", ".+", re.escape(k)) for k in re.findall(r"`([a-z0-9_${}.]+)`", argument)}
    found |= {re.escape(k) for k in re.findall(r'data-i18n="([a-z0-9_]+)"', html)}
    for pairs in re.findall(r'data-i18n-attr="([^"]+)"', html):
        found |= {re.escape(pair.split(":")[1]) for pair in pairs.split(";")}
    return found


def missing(patterns: dict[str, str], keys: set[str], prefixes: tuple[str, ...] = ("",)) -> list[str]:
    """The patterns no key matches (under any of ``prefixes``; a number-taking key may be a plural pair)."""
    return [
        f"{pattern} ({where})"
        for pattern, where in sorted(patterns.items())
        if not any(re.fullmatch(prefix + pattern + "(_one|_other)?", key) for prefix in prefixes for key in keys)
    ]


# ------------------------------------------------------------------------------------------------------------ tests


def test_every_message_exists_in_both_languages_with_the_same_placeholders() -> None:
    found = catalogues()
    assert len(found["en"]) > 300
    assert problems(found) == []


def test_catalogue_is_what_message_reads() -> None:
    assert i18n.message("file_not_found", "fr", file="x.ttl") == "x.ttl : fichier introuvable"
    assert i18n.message("file_not_found", "de", file="x.ttl") == "x.ttl: file not found"  # anything else → English
    with pytest.raises(KeyError):
        i18n.message("no_such_message")


def test_every_key_the_python_code_uses_is_in_the_catalogue() -> None:
    keys = set(i18n.catalogue("en"))
    used = python_keys()
    assert len(used) > 150
    assert missing(used, keys) == []


def test_every_key_the_templates_use_is_in_the_catalogue() -> None:
    used = template_keys()
    assert len(used) > 40
    assert missing(used, set(i18n.catalogue("en"))) == []


@pytest.mark.parametrize("page", sorted(JS_PAGES))
def test_every_key_a_web_page_asks_for_is_in_the_catalogue(page: str) -> None:
    script, html = JS_PAGES[page]
    keys = set(i18n.catalogue("en"))
    used = js_keys((STATIC / script).read_text(encoding="utf-8"), (STATIC / html).read_text(encoding="utf-8"))
    used |= js_keys((STATIC / "common.js").read_text(encoding="utf-8"))
    assert len(used) > 20
    assert missing({k: page for k in used}, keys, (f"ui_{page}_", "ui_")) == []


def test_the_checker_fails_on_a_broken_catalogue(tmp_path: Path) -> None:
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
    entries = {
        "en": {"ok": "{file}: fine", "untranslated": "hello", "empty": "x", "placeholders": "{file} in {graph}"},
        "fr": {"ok": "{file} : bien", "empty": "", "placeholders": "{file} dans {graphe}", "only_fr": "seul"},
    }
    found = {}
    for lang, messages in entries.items():
        path = i18n.catalogue_path(lang, tmp_path)
        path.parent.mkdir(parents=True)
        body = "".join(f'msgid "{key}"\nmsgstr "{text}"\n\n' for key, text in messages.items())
        path.write_text(header + body, encoding="utf-8")
        found[lang] = i18n.read_catalogue(path)
    assert problems(found) == [
        "empty: empty in fr",
        "only_fr: missing in en",
        "placeholders: placeholders differ: en ['file', 'graph'], fr ['file', 'graphe']",
        "untranslated: missing in fr",
    ]
    assert problems({"en": {"bad": "{file"}, "fr": {"bad": "{file}"}}) == [
        "bad: malformed in en (expected '}' before end of string)"
    ]


def test_the_key_finders_see_keys_and_miss_nothing_silently() -> None:
    script = 'x = t(ok ? "conforms" : "fails", { file }); y = t(`sev_${f.severity}`); z = t("rows", 3);'
    html = '<a data-i18n="skip"></a><nav data-i18n-attr="aria-label:nav_label"></nav>'
    assert js_keys(script, html) == {"conforms", "fails", "sev_.+", "rows", "skip", "nav_label"}
    assert missing({"rows": "x", "sev_.+": "y", "absent": "z"}, {"ui_rows_one", "ui_rows_other", "ui_sev_Info"},
                   ("ui_",)) == ["absent (z)"]
