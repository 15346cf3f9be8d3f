"""The offline API reference page (src/evalgraph/web/static/api.html, reached by GET /docs), in a real browser.

A real server runs in its own process and Debian's Chromium is driven through Debian's ChromeDriver, with the
driver set-up of tests/test_web_ui.py (its ``browser`` fixture): when they are missing, the tests fail, they are
not skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from tests import serving
from tests.test_web_ui import WAIT, browser, downloads  # noqa: F401 - fixtures used by name

STATIC = Path(__file__).resolve().parent.parent / "src" / "evalgraph" / "web" / "static"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    running = serving.start(tmp_path_factory.mktemp("api-page-server"))
    try:
        yield running.base
    finally:
        running.stop()


@pytest.fixture
def page(server: str, browser: WebDriver) -> Iterator[WebDriver]:  # noqa: F811 - the imported fixture
    """/docs opened (it redirects to /ui/api.html) and rendered; the language choice is forgotten afterwards."""
    browser.get(server + "/docs")
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
    assert browser.current_url == server + "/ui/api.html"
    assert not browser.find_element(By.ID, "api-error").is_displayed(), browser.find_element(By.ID, "api-error").text
    yield browser
    browser.execute_script("window.localStorage.clear();")


def _operation(driver: WebDriver, method: str, path: str) -> WebElement:
    (operation,) = driver.find_elements(By.CSS_SELECTOR, f"article.operation[data-method='{method}'][data-path='{path}']")
    return operation


def test_no_external_resource() -> None:
    html = (STATIC / "api.html").read_text(encoding="utf-8")
    script = (STATIC / "api.js").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", html)
    assert not re.search(r"https?://", script)
    assert 'href="../docs"' in (STATIC / "index.html").read_text(encoding="utf-8")


def test_docs_redirects_to_the_page(server: str) -> None:
    answer = httpx.get(server + "/docs")
    # relative, so that it still works when a proxy serves evalgraph under a path prefix
    assert answer.status_code == 303 and answer.headers["location"] == "ui/api.html"
    followed = httpx.get(server + "/docs", follow_redirects=True)
    assert followed.status_code == 200 and str(followed.url) == server + "/ui/api.html"


def test_page_lists_every_operation_grouped_by_tag(page: WebDriver, server: str) -> None:
    spec = httpx.get(server + "/openapi.json").json()
    assert page.find_element(By.ID, "api-title").text.startswith(spec["info"]["title"])
    assert "SPARQL endpoint" in page.find_element(By.ID, "api-description").text
    shown = {(o.get_attribute("data-method"), o.get_attribute("data-path"))
             for o in page.find_elements(By.CSS_SELECTOR, "article.operation")}
    assert shown == {(method, path) for path, item in spec["paths"].items() for method in item}
    tags = [s.get_attribute("data-tag") for s in page.find_elements(By.CSS_SELECTOR, "section.api-group")]
    assert tags[:4] == [tag["name"] for tag in spec["tags"]]
    sparql = page.find_element(By.CSS_SELECTOR, "section.api-group[data-tag='sparql']")
    assert sparql.find_element(By.TAG_NAME, "h2").text == "SPARQL"
    assert len(sparql.find_elements(By.CSS_SELECTOR, "article.operation")) == 2
    raw = page.find_element(By.ID, "openapi-link")
    assert raw.get_attribute("href") == server + "/openapi.json"


def test_post_dossiers_needs_a_bearer_token_and_takes_dossier_media_types(page: WebDriver) -> None:
    operation = _operation(page, "post", "/dossiers")
    assert operation.find_element(By.CSS_SELECTOR, ".op-title").text.split() == ["POST", "/dossiers"]
    auth = operation.find_element(By.CSS_SELECTOR, "p.auth")
    assert auth.get_attribute("data-auth") == "required" and auth.get_attribute("textContent") == "Bearer token required"
    media = [row.get_attribute("data-media") for row in operation.find_elements(By.CSS_SELECTOR, "tr.request-media")]
    assert {"text/turtle", "application/ld+json", "application/yaml"} <= set(media)
    assert "text/turtle" in operation.find_element(By.CSS_SELECTOR, "table.body-media").text
    statuses = [row.get_attribute("data-status") for row in operation.find_elements(By.CSS_SELECTOR, "tr.response-row")]
    assert {"401", "403", "415"} <= set(statuses)
    # the public routes say so; the SPARQL POST takes a token only for updates
    assert _operation(page, "post", "/validate").get_attribute("data-auth") == "none"
    assert _operation(page, "post", "/sparql").get_attribute("data-auth") == "optional"


def test_sparql_get_shows_its_protocol_parameters(page: WebDriver) -> None:
    operation = _operation(page, "get", "/sparql")
    rows = operation.find_elements(By.CSS_SELECTOR, "table.params tr.param-row")
    assert [r.get_attribute("data-name") for r in rows] == ["query", "default-graph-uri", "named-graph-uri"]
    cells = [[c.text for c in r.find_elements(By.TAG_NAME, "td")] for r in rows]
    assert cells[0][:4] == ["query", "query string", "no", "string"]
    assert cells[1][3] == "array<string>" and "default graph" in cells[1][4]
    assert "Named graphs" in cells[2][4]
    assert operation.get_attribute("data-auth") == "none"
    description = operation.find_element(By.CSS_SELECTOR, ".op-description")
    assert len(description.find_elements(By.CSS_SELECTOR, "ul > li")) >= 5  # the markdown list, as a list
    assert "GET /sparql?query=…" in [c.text for c in description.find_elements(By.TAG_NAME, "code")]


def test_language_switch_translates_the_headings(page: WebDriver) -> None:
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert page.find_element(By.ID, "page-title").text == "API reference"
    assert page.find_element(By.ID, "toc-heading").text == "Operations"
    operation = _operation(page, "post", "/dossiers")
    assert [h.text for h in operation.find_elements(By.TAG_NAME, "h4")] == [
        "Parameters", "Request body (required)", "Responses"]
    french = page.find_element(By.CSS_SELECTOR, "#lang-switch button[data-lang='fr']")
    french.click()
    assert french.get_attribute("aria-pressed") == "true"
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert page.find_element(By.ID, "page-title").text == "Référence de l'API"
    assert page.find_element(By.ID, "toc-heading").text == "Opérations"
    assert page.find_element(By.ID, "auth-heading").text == "Authentification"
    operation = _operation(page, "post", "/dossiers")
    assert [h.text for h in operation.find_elements(By.TAG_NAME, "h4")] == [
        "Paramètres", "Corps de la requête (obligatoire)", "Réponses"]
    assert operation.find_element(By.CSS_SELECTOR, "p.auth").get_attribute("textContent") == "Jeton bearer requis"
    headers = [th.text for th in operation.find_elements(By.CSS_SELECTOR, "table.params th")]
    assert headers == ["Nom", "Emplacement", "Obligatoire", "Type", "Description"]
    groups = [h.text for h in page.find_elements(By.CSS_SELECTOR, "section.api-group h2")]
    assert "Rapports" in groups and "Données liées" in groups
    assert page.title == "Référence de l'API — evalgraph"
    # the choice is remembered, as in the rest of the UI
    page.refresh()
    WebDriverWait(page, WAIT).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
    assert page.find_element(By.ID, "page-title").text == "Référence de l'API"
    page.find_element(By.CSS_SELECTOR, "#lang-switch button[data-lang='en']").click()
    assert page.find_element(By.ID, "toc-heading").text == "Operations"
