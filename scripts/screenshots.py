"""Screenshots of the French cartography for docs/cartography.md: the pathway table (cards grouped by jurisdiction)
and the category × pathway matrix, from a report the current code writes on a fresh data directory.

    .venv/bin/python scripts/screenshots.py docs      # → docs/cartography-pathways.png, docs/cartography-matrix.png

Runs ``evalgraph cartography --lang fr`` with ``EVALGRAPH_DATA_DIR`` set to a scratch folder (the built-in data and
the shipped FDA market are loaded on that first command), opens the page in headless Chromium (Debian's
``/usr/bin/chromium`` and ``/usr/bin/chromedriver``, as the web UI tests do) 1,400 px wide, scrolls each section to
the top of the window and saves the first screen of it: a section taller than a screen is cut at the bottom of the
window, never shrunk.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WIDTH = 1400
SHOTS = {
    # file name → (element id, window height: the part of the section shown)
    "cartography-pathways.png": ("cartography", 1500),
    "cartography-matrix.png": ("matrix", 1100),
}


def report(folder: Path) -> Path:
    """The French cartography, written by the installed evalgraph on a fresh data directory in ``folder``."""
    page = folder / "fr.html"
    environment = {**os.environ, "EVALGRAPH_DATA_DIR": str(folder / "data")}
    environment.pop("EVALGRAPH_LANG", None)
    command = [sys.executable, "-m", "evalgraph", "cartography", "--lang", "fr", "-o", str(page)]
    subprocess.run(command, env=environment, check=True)
    return page


def browser(profile: Path) -> WebDriver:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--hide-scrollbars",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--lang=fr-FR",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)


def shoot(driver: WebDriver, page: Path, element_id: str, height: int, output: Path) -> None:
    """The section ``element_id`` scrolled to the top of a ``WIDTH`` × ``height`` window: the whole section when it
    fits, else its first ``height`` pixels."""
    driver.set_window_size(WIDTH, height)
    inner = driver.execute_script("return window.innerHeight")
    driver.set_window_size(WIDTH, height + (height - int(inner)))  # the viewport itself ``height`` high
    driver.get(page.as_uri())
    section = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'}); window.scrollBy(0, -8);", section)
    fits = section.size["height"] + 16 <= height
    if fits:
        section.screenshot(str(output))
    else:
        driver.save_screenshot(str(output))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("output", type=Path, help="folder the PNG files are written to (docs to refresh the docs)")
    args = parser.parse_args(argv)
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        parser.error(f"needs Chromium and ChromeDriver; missing: {', '.join(missing)}")
    args.output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="evalgraph-screenshots-") as scratch:
        page = report(Path(scratch))
        driver = browser(Path(scratch) / "profile")
        try:
            for name, (element_id, height) in SHOTS.items():
                shoot(driver, page, element_id, height, args.output / name)
                print(args.output / name)
        finally:
            driver.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
