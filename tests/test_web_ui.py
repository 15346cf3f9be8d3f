"""The web UI (src/evalgraph/web/static/, served at /ui/), end to end in a real browser.

A real server runs in its own process (``python -m evalgraph serve``) and Debian's Chromium, headless, is driven
through Debian's ChromeDriver with Selenium: Selenium is given both paths, so Selenium Manager never downloads
anything. Chromium and ChromeDriver are required (.ci/run installs them): when missing, the tests fail, they are
not skipped.

With ``EVALGRAPH_SCREENSHOT`` set, the page after a query is saved as docs/web-ui.png.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests import serving

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "dossiers"
SCREENSHOT = ROOT / "docs" / "web-ui.png"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
EGR = "https://w3id.org/evalgraph/id/"
DE_NOVO_TECHNOLOGIES = ["tech-idx-dr", "tech-paige-prostate", "tech-viz-lvo"]
DE_NOVO = """PREFIX eg: <https://w3id.org/evalgraph/ontology/>
PREFIX egv: <https://w3id.org/evalgraph/vocab/>
SELECT DISTINCT ?technology WHERE {
GRAPH <https://w3id.org/evalgraph/graph/catalogue> {
?technology eg:hasRegulatoryStatus ?s .
?s eg:fdaPathway egv:fda-de-novo
}
}
ORDER BY ?technology
"""  # the catalogue's three (the shipped FDA market holds dozens more)
TOKEN = "ui-test-" + secrets.token_hex(16)
WAIT = 60


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("ui-server")
    tokens = data / "tokens"
    tokens.write_text(f"ui-tester submitter {TOKEN}\n", encoding="utf-8")
    running = serving.start(data, "--token-file", str(tokens))
    try:
        yield running.base
    finally:
        running.stop()


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ui-downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory, downloads: Path) -> Iterator[WebDriver]:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        pytest.fail(f"the web UI tests need Debian's Chromium and ChromeDriver; missing: {', '.join(missing)} "
                    "(apt-get install chromium chromium-driver; .ci/run does it)", pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--lang=en-US", "--window-size=1360,1500",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "intl.accept_languages": "en-US,en",
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
    })
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def page(server: str, browser: WebDriver) -> Iterator[WebDriver]:
    """The UI freshly loaded, its list of named queries filled; the language choice is forgotten afterwards."""
    browser.get(server + "/")  # redirects to /ui/
    WebDriverWait(browser, WAIT).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
    assert browser.current_url == server + "/ui/"
    yield browser
    browser.execute_script("window.localStorage.clear();")


def _visible_error(driver: WebDriver, box: str) -> str:
    element = driver.find_element(By.ID, box)
    return element.text if element.is_displayed() else ""


def _wait_for_table(driver: WebDriver, table: str, box: str) -> WebElement:
    """The table with id ``table`` once shown; fails with the alert's text when an error is shown instead."""
    def settled(d: WebDriver) -> bool:
        return bool(d.find_elements(By.ID, table)) or bool(_visible_error(d, box))

    WebDriverWait(driver, WAIT).until(settled)
    assert not _visible_error(driver, box), _visible_error(driver, box)
    return driver.find_element(By.ID, table)


def _headers(table: WebElement) -> list[str]:
    return [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]


def _rows(table: WebElement) -> list[WebElement]:
    return table.find_elements(By.CSS_SELECTOR, "tbody tr")


def _type_query(driver: WebDriver, text: str) -> None:
    editor = driver.find_element(By.ID, "editor")
    editor.clear()
    editor.send_keys(text)
    assert editor.get_attribute("value") == text


# ------------------------------------------------------------------------------------------------------- SPARQL


def test_named_example_runs_from_the_list(page: WebDriver, server: str) -> None:
    examples = Select(page.find_element(By.ID, "example"))
    names = {o.get_attribute("value") for o in examples.options}
    assert {"cartography", "technologies", "summary-counts"} <= names
    examples.select_by_value("cartography")
    expected_text = httpx.get(server + "/queries").json()
    (cartography,) = [q for q in expected_text if q["name"] == "cartography"]
    assert page.find_element(By.ID, "editor").get_attribute("value") == cartography["text"]
    # cartography has a parameter (lang): the note, the prefilled input and the named-query run
    assert page.find_element(By.ID, "named-panel").is_displayed()
    assert "/queries/cartography?lang=en" in page.find_element(By.ID, "named-note").text
    assert page.find_element(By.ID, "param-lang").get_attribute("value") == "en"
    page.find_element(By.ID, "run-named").click()
    table = _wait_for_table(page, "results-table", "sparql-error")
    headers = _headers(table)
    assert headers[:3] == ["lang", "pathway", "label"] and "evaluator" in headers
    rows = _rows(table)
    assert len(rows) > 10
    status = page.find_element(By.ID, "sparql-status").text
    assert f"{len(rows)} rows" in status and "ms" in status
    links = [a.get_attribute("href") for a in table.find_elements(By.CSS_SELECTOR, "tbody a")]
    assert links and all((href or "").startswith(server + "/id/") for href in links)
    if os.environ.get("EVALGRAPH_SCREENSHOT"):
        page.execute_script("window.scrollTo(0, 0);")
        page.save_screenshot(str(SCREENSHOT))

    # an example without parameters runs as it stands, from the editor's Run button
    examples.select_by_value("technologies")
    assert not page.find_element(By.ID, "named-panel").is_displayed()
    page.find_element(By.ID, "run").click()
    table = _wait_for_table(page, "results-table", "sparql-error")
    assert _headers(table) == ["technology", "label"] and len(_rows(table)) > 10


def test_custom_select_links_the_de_novo_technologies_and_downloads_csv(page: WebDriver, server: str,
                                                                         downloads: Path) -> None:
    _type_query(page, DE_NOVO)
    page.find_element(By.ID, "editor").send_keys(Keys.CONTROL, Keys.ENTER)  # the keyboard shortcut runs it
    table = _wait_for_table(page, "results-table", "sparql-error")
    assert _headers(table) == ["technology"]
    links = table.find_elements(By.CSS_SELECTOR, "tbody td a")
    assert [a.get_attribute("data-iri") for a in links] == [EGR + name for name in DE_NOVO_TECHNOLOGIES]
    assert [a.get_attribute("href") for a in links] == [f"{server}/id/{name}" for name in DE_NOVO_TECHNOLOGIES]
    assert [a.text for a in links] == [f"egr:{name}" for name in DE_NOVO_TECHNOLOGIES]
    assert page.find_element(By.ID, "sparql-status").text.startswith("3 rows")

    page.find_element(By.ID, "csv").click()
    link = WebDriverWait(page, WAIT).until(expected_conditions.visibility_of_element_located((By.ID, "csv-link")))
    assert (link.get_attribute("href") or "").startswith("blob:")
    csv_text = page.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(document.getElementById('csv-link').href).then(r => r.text()).then(done);")
    assert csv_text.split() == ["technology", *(EGR + name for name in DE_NOVO_TECHNOLOGIES)]

    # the link to a technology opens its page on this server
    links[0].click()
    WebDriverWait(page, WAIT).until(expected_conditions.url_to_be(f"{server}/id/{DE_NOVO_TECHNOLOGIES[0]}"))
    assert "IDx-DR" in page.find_element(By.TAG_NAME, "h1").text


def test_ask_and_construct(page: WebDriver) -> None:
    _type_query(page, "ASK { ?s ?p ?o }")
    page.find_element(By.ID, "run").click()
    answer = WebDriverWait(page, WAIT).until(expected_conditions.presence_of_element_located((By.ID, "ask-value")))
    assert answer.get_attribute("data-value") == "true" and answer.text == "true"
    _type_query(page, "CONSTRUCT { <https://w3id.org/evalgraph/id/tech-boneview> ?p ?o } "
                      "WHERE { <https://w3id.org/evalgraph/id/tech-boneview> ?p ?o }")
    page.find_element(By.ID, "run").click()
    turtle = WebDriverWait(page, WAIT).until(expected_conditions.presence_of_element_located((By.ID, "turtle")))
    assert "BoneView" in turtle.text and "tech-boneview" in turtle.text
    assert page.find_element(By.ID, "csv").get_attribute("disabled") is not None  # no CSV for a graph


def test_editor_keys(page: WebDriver) -> None:
    editor = page.find_element(By.ID, "editor")
    editor.clear()
    editor.send_keys("ASK {", Keys.ENTER, Keys.TAB, "?s ?p ?o", Keys.ENTER, "}")
    assert editor.get_attribute("value") == "ASK {\n  ?s ?p ?o\n}"
    assert page.find_element(By.ID, "gutter").text.split() == ["1", "2", "3"]
    assert page.switch_to.active_element == editor  # Tab stayed in the editor
    editor.send_keys(Keys.ESCAPE, Keys.TAB)  # Escape then Tab leaves it
    assert page.switch_to.active_element == page.find_element(By.ID, "run")
    assert editor.get_attribute("value") == "ASK {\n  ?s ?p ?o\n}"


def test_malformed_query_shows_the_server_message(page: WebDriver, server: str) -> None:
    query = "SELECT * WHERE { ?s ?p "
    expected = httpx.post(server + "/sparql", content=query.encode(),
                          headers={"content-type": "application/sparql-query"})
    assert expected.status_code == 400
    message = expected.json()["error"]["message"]
    _type_query(page, query)
    page.find_element(By.ID, "run").click()
    alert = WebDriverWait(page, WAIT).until(expected_conditions.visibility_of_element_located((By.ID, "sparql-error")))
    assert alert.get_attribute("role") == "alert"
    assert alert.text == message.strip()
    assert not page.find_elements(By.ID, "results-table")


# ------------------------------------------------------------------------------------------------------ dossiers


def _upload(driver: WebDriver, path: Path, token: str = "") -> None:
    driver.find_element(By.ID, "dossier-file").send_keys(str(path.resolve()))
    token_field = driver.find_element(By.ID, "dossier-token")
    token_field.clear()
    if token:
        token_field.send_keys(token)
    driver.find_element(By.ID, "dossier-submit").click()


def _wait_for_summary(driver: WebDriver) -> WebElement:
    def settled(d: WebDriver) -> bool:
        return bool(d.find_elements(By.ID, "dossier-summary")) or bool(_visible_error(d, "dossier-error"))

    WebDriverWait(driver, WAIT).until(settled)
    assert not _visible_error(driver, "dossier-error"), _visible_error(driver, "dossier-error")
    return driver.find_element(By.ID, "dossier-summary")


def test_faulty_dossier_shows_its_rule_11_violation(page: WebDriver, server: str) -> None:
    _upload(page, EXAMPLES / "faulty-rule11-class-i.yaml")
    summary = _wait_for_summary(page)
    assert summary.get_attribute("data-conforms") == "false"
    assert "does not conform" in summary.text and "faulty-rule11-class-i.yaml" in summary.text
    assert page.find_element(By.ID, "dossier-counts").text.startswith("1 violation(s), 0 warning(s), 0 info(s)")
    table = page.find_element(By.ID, "findings-table")
    (row,) = _rows(table)  # exactly one finding (tests/test_examples.py)
    assert row.get_attribute("data-severity") == "Violation"
    assert row.get_attribute("data-shape") == "egsh:Rule11DecisionSoftwareNotClassI"
    cells = row.find_elements(By.TAG_NAME, "td")
    assert cells[0].text.lower() == "violation"
    assert "Skin-lesion diagnosis aid (fictitious)" in cells[1].text
    assert cells[2].text == "eg:hasRegulatoryStatus"
    assert cells[3].text == "egr:ce-example-skin-triage"
    assert "Rule 11" in cells[4].text and "class IIa" in cells[4].text and "class I." in cells[4].text
    source = cells[5].find_element(By.CSS_SELECTOR, "a[data-iri]")
    assert source.get_attribute("data-iri") == EGR + "law-mdr-annex-viii-rule-11"
    assert source.get_attribute("href") == server + "/id/law-mdr-annex-viii-rule-11"


def test_complete_dossier_conforms(page: WebDriver) -> None:
    _upload(page, EXAMPLES / "boneview.jsonld")
    summary = _wait_for_summary(page)
    assert summary.get_attribute("data-conforms") == "true", page.find_element(By.ID, "dossier-result").text
    rows = _rows(page.find_element(By.ID, "findings-table"))
    assert [r.get_attribute("data-severity") for r in rows] == ["Info"]  # ReportingGuidelineRecommended only
    assert rows[0].get_attribute("data-shape") == "egsh:ReportingGuidelineRecommended"
    assert page.find_element(By.ID, "dossier-counts").text.startswith("0 violation(s), 0 warning(s), 1 info(s)")
    qualification = page.find_element(By.ID, "qualification")
    assert qualification.get_attribute("open") is None  # collapsed
    qualification.find_element(By.TAG_NAME, "summary").click()
    assert "BoneView" in qualification.text and "AI Act category: high-risk" in qualification.text
    # issue 14: a bounded conclusion shows the values still possible, pathways "possible if" name their field, and
    # the gap comes with its two answers
    assert "IMDRF SaMD category (N12): at least category I" in qualification.text
    assert "Possible if: " in qualification.text and "eg:isPresumedInnovative" in qualification.text
    assert "In the evaluation gap: yes (national evaluation obtained: no ; national route open: no)" in qualification.text


def test_unreadable_dossier_names_file_line_and_column(page: WebDriver, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text('"@context": https://w3id.org/evalgraph/context.jsonld\nid: egr:tech-x\n'
                      "type: DigitalTechnology\nlabell: {en: X}\n", encoding="utf-8")
    _upload(page, broken)
    alert = WebDriverWait(page, WAIT).until(
        expected_conditions.visibility_of_element_located((By.ID, "dossier-error")))
    assert alert.get_attribute("role") == "alert"
    assert "broken.yaml:4:1" in alert.text and "labell" in alert.text
    assert not page.find_elements(By.ID, "dossier-summary")


def test_dossier_with_a_token_is_stored_then_versioned(page: WebDriver) -> None:
    _upload(page, EXAMPLES / "nabla.yaml", token=TOKEN)
    summary = _wait_for_summary(page)
    assert summary.get_attribute("data-conforms") == "true"
    stored = page.find_element(By.ID, "dossier-stored").text
    match = re.fullmatch(r"Stored: dossier (\S+), version 1\.", stored)
    assert match, stored
    page.find_element(By.ID, "dossier-id").send_keys(match.group(1))
    _upload(page, EXAMPLES / "nabla.yaml", token=TOKEN)
    WebDriverWait(page, WAIT).until(lambda d: d.find_elements(By.ID, "dossier-stored") and d.find_element(
        By.ID, "dossier-stored").text == f"Stored: dossier {match.group(1)}, version 2.")


def test_wrong_token_is_refused(page: WebDriver) -> None:
    _upload(page, EXAMPLES / "nabla.yaml", token="not-" + TOKEN)
    alert = WebDriverWait(page, WAIT).until(
        expected_conditions.visibility_of_element_located((By.ID, "dossier-error")))
    assert "token" in alert.text
    assert not page.find_elements(By.ID, "dossier-stored")


# ------------------------------------------------------------------------------------------------------ language


def test_language_switch_translates_the_page(page: WebDriver, server: str) -> None:
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"  # the browser's language
    assert page.find_element(By.ID, "sparql-heading").text == "SPARQL query"
    french = page.find_element(By.CSS_SELECTOR, "#lang-switch button[data-lang='fr']")
    french.click()
    assert french.get_attribute("aria-pressed") == "true"
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert page.find_element(By.ID, "page-title").text == "Explorer le graphe des évaluations"
    assert page.find_element(By.ID, "sparql-heading").text == "Requête SPARQL"
    assert page.find_element(By.ID, "cartography-heading").text == "Rapport de cartographie"
    assert page.find_element(By.ID, "dossier-heading").text == "Vérification de dossier"
    assert page.find_element(By.CSS_SELECTOR, "label[for='dossier-file']").text == "Fichier du dossier"
    assert page.find_element(By.ID, "run").text == "Exécuter"
    assert page.find_element(By.ID, "carto-xlsx").get_attribute("href") == server + "/cartography?format=xlsx&lang=fr"
    titles = [o.text for o in Select(page.find_element(By.ID, "example")).options]
    assert "Cartographie des types d'évaluation" in titles
    # the choice is remembered
    page.refresh()
    WebDriverWait(page, WAIT).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
    assert page.find_element(By.ID, "sparql-heading").text == "Requête SPARQL"
    page.find_element(By.CSS_SELECTOR, "#lang-switch button[data-lang='en']").click()
    assert page.find_element(By.ID, "sparql-heading").text == "SPARQL query"


def test_french_browser_gets_the_french_page(page: WebDriver) -> None:
    user_agent = page.execute_script("return navigator.userAgent;")
    page.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": user_agent, "acceptLanguage": "fr-FR,fr"})
    try:
        page.refresh()
        WebDriverWait(page, WAIT).until(
            lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
        assert page.execute_script("return navigator.language;") == "fr-FR"
        assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        assert page.find_element(By.ID, "dossier-heading").text == "Vérification de dossier"
    finally:
        page.execute_cdp_cmd("Network.setUserAgentOverride", {"userAgent": user_agent, "acceptLanguage": "en-US,en"})


def test_cartography_links(page: WebDriver, server: str) -> None:
    link = page.find_element(By.ID, "carto-html-fr")
    assert link.get_attribute("href") == server + "/cartography?format=html&lang=fr"
    link.click()
    try:
        WebDriverWait(page, 120).until(lambda d: d.find_elements(By.TAG_NAME, "h1"))
    except TimeoutException:  # pragma: no cover - diagnostics
        pytest.fail(page.page_source[:2000])
    assert page.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert "Cartographie" in page.find_element(By.TAG_NAME, "h1").text
