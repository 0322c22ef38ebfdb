"""The topology page in a real browser: Debian's headless chromium through Selenium.

The page is opened from disk (file://) with no network: the test reads the
browser's console log (no error, so no Content-Security-Policy violation either)
and its performance log (no request but the file itself), then uses the page as
a person would: the script ran, the filters filter, a box shows its findings.
``EILINT_UPDATE_SCREENSHOT=1`` writes the picture the README shows
(docs/topology.png). tests/run installs chromium and chromium-driver as root;
without them these tests skip, except under CI=true where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.test_topology import SAMPLES
from tests.test_topology import _render

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1500,900",
)
SCREENSHOT = REPO / "docs" / "topology.png"


def _missing() -> str | None:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    for tool in ("chromium", "chromedriver"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (tests/run installs it as root)"
    return None


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    why = _missing()
    if why is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # Selenium Manager must never try to download a driver or a browser.
    monkeypatch.setenv("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = str(shutil.which("chromium"))
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.set_capability(
        "goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"}
    )
    service = Service(executable_path=str(shutil.which("chromedriver")))
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def _requests(driver: Any) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _count(driver: Any) -> str:
    return driver.find_element("id", "filter-count").text


@pytest.mark.parametrize("engine", ["builtin", "auto"])
def test_page_in_chromium(
    engine: str,
    browser: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from selenium.webdriver.support.ui import Select

    if engine == "auto" and shutil.which("dot") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Graphviz dot is missing in CI")
        pytest.skip("Graphviz dot is not installed")
    monkeypatch.setenv("EILINT_LAYOUT", engine)
    page = tmp_path / "topology.html"
    page.write_text(_render(SAMPLES / "broken", "html", tmp_path, monkeypatch))
    url = page.resolve().as_uri()
    # What the browser loaded before (its own new-tab page) is not the page's.
    browser.get("about:blank")
    browser.get_log("performance")
    browser.get(url)
    layout = browser.find_element("css selector", "svg").get_attribute("data-layout")
    assert layout == ("builtin" if engine == "builtin" else "graphviz")

    # The script ran (under the page's CSP) and the filters work.
    rows = browser.find_elements("css selector", "#findings tbody tr")
    total = len(rows)
    assert _count(browser) == f"{total} of {total} findings shown"
    errors = [r for r in rows if r.get_attribute("data-severity") == "error"]
    Select(browser.find_element("id", "filter-severity")).select_by_value("error")
    assert _count(browser) == f"{len(errors)} of {total} findings shown"
    assert all(r.is_displayed() == (r in errors) for r in rows)
    Select(browser.find_element("id", "filter-rule")).select_by_value("NGX006")
    assert _count(browser) == f"1 of {total} findings shown"
    Select(browser.find_element("id", "filter-severity")).select_by_value("")
    Select(browser.find_element("id", "filter-rule")).select_by_value("")

    # A box shows its settings and findings (with file:line) in the side list.
    box = browser.find_element("css selector", "svg .el.k-upstream.sev-error")
    box.click()
    detail = next(
        d for d in browser.find_elements("css selector", ".detail") if d.is_displayed()
    )
    assert "NGX001" in detail.text
    assert "nginx/ei.https.conf:" in detail.text
    # A row of the table brings up the element it concerns.
    rows[0].click()
    active = browser.find_elements("css selector", "svg .active")
    assert len(active) == 1

    logged = browser.get_log("browser")
    assert not [e for e in logged if e["level"] in ("SEVERE", "WARNING")], logged
    assert _requests(browser) == [url]

    shot = tmp_path / "topology.png"
    browser.set_window_size(2250, 900)  # the whole picture, for the README
    picture = browser.find_element("css selector", "main")
    picture.screenshot(str(shot))
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    if engine == "auto" and os.environ.get("EILINT_UPDATE_SCREENSHOT") == "1":
        SCREENSHOT.write_bytes(data)


def test_the_checks_see_a_request_and_an_error(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two checks above can fail: a page loading an image trips both."""
    monkeypatch.setenv("EILINT_LAYOUT", "builtin")
    text = _render(SAMPLES / "good", "html", tmp_path, monkeypatch)
    # Loopback port 9 (discard): nothing listens, nothing leaves the machine.
    image = '<img src="http://127.0.0.1:9/eilint-probe.png" alt="">'
    guarded = tmp_path / "guarded.html"
    guarded.write_text(text.replace("</header>", image + "</header>"))
    open_page = tmp_path / "open.html"
    csp_line = next(line for line in text.splitlines() if "Content-Security" in line)
    open_page.write_text(guarded.read_text().replace(csp_line + "\n", ""))
    browser.get("about:blank")
    browser.get_log("performance")
    browser.get(guarded.resolve().as_uri())
    logged = browser.get_log("browser")
    assert any("Content Security Policy" in entry["message"] for entry in logged)
    browser.get_log("performance")
    browser.get(open_page.resolve().as_uri())
    assert "http://127.0.0.1:9/eilint-probe.png" in _requests(browser)
