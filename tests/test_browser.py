"""graph.html in a real browser: headless Chromium opens it from its file with the network off.

Skipped only when Chromium is not installed and the CI variable is unset; under CI a missing browser
fails (``.ci/run`` installs Debian's chromium and chromium-driver).
"""

import json
import os

import pytest

from kg.build import build
from tests import browser

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
TITLE = "<script>alert(3)</script> Новини <b>дня</b>"
NEWS = [
    {"id": "x1", "title": TITLE, "url": "javascript:alert(4)", "date": "2024-05-01",
     "text": f"Японія надала США допомогу озброєнням {IMG} для підтримки України."},
    {"id": "x2", "url": "https://example.org/x2",
     "text": f"Росія атакувала Україну ракетами {SCRIPT} у травні."},
]


def _browser_missing() -> str | None:
    if browser.available():
        try:
            import selenium  # noqa: F401
        except ImportError:
            return "selenium is not installed (pip install -e '.[dev]')"
        return None
    return f"{browser.CHROMIUM} or {browser.CHROMEDRIVER} missing (apt-get install chromium chromium-driver)"


@pytest.fixture(scope="module")
def driver():
    missing = _browser_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI: the browser tests need Chromium: {missing}")
        pytest.skip(missing)
    with browser.offline_chromium() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def news_page(tmp_path_factory):
    """graph.html built by the whole pipeline from news whose text, title and address carry markup."""
    folder = tmp_path_factory.mktemp("browser")
    news = folder / "news.jsonl"
    news.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in NEWS), encoding="utf-8")
    return build([str(news)], folder / "out", [], validate=False).paths.html


@pytest.fixture(scope="module")
def seed_page(root, tmp_path_factory):
    return build([str(root / "seeds")], tmp_path_factory.mktemp("seeds"), [], validate=False, top=5).paths.html


def _index(driver, label):
    return driver.execute_script(
        "return JSON.parse(document.getElementById('geokg-data').textContent).actors"
        ".find(a => a.label === arguments[0]).id", label)


def _click_actor(driver, label):
    """A real mouse click on the actor's node where it is drawn."""
    from selenium.webdriver.common.action_chains import ActionChains

    index = _index(driver, label)
    x, y = driver.execute_script("""
        const network = geokg.network, index = arguments[0];
        network.focus(index, {scale: 1.0, animation: false});
        const canvas = network.canvasToDOM(network.getPositions([index])[index]);
        const box = document.querySelector('#network canvas').getBoundingClientRect();
        return [canvas.x - box.width / 2, canvas.y - box.height / 2];""", index)
    canvas = driver.find_element("css selector", "#network canvas")
    ActionChains(driver).move_to_element_with_offset(canvas, int(x), int(y)).click().perform()
    return driver.find_element("id", "profile")


def _no_alert(driver):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return True
    driver.switch_to.alert.dismiss()
    raise AssertionError(f"an alert opened: {text!r}")


@pytest.mark.parametrize("page", ["seed_page", "news_page"])
def test_browser_draws_offline_without_errors(driver, request, page):
    path = request.getfixturevalue(page)
    browser.open_page(driver, path)
    assert driver.execute_script("return geokg.network.body.data.nodes.length") > 0
    assert browser.drawn_pixels(driver) > 500
    assert browser.console_errors(driver) == []
    urls = browser.requested_urls(driver)
    assert path.resolve().as_uri() in urls
    assert [url for url in urls if not url.startswith(browser.LOCAL_SCHEMES)] == []


@pytest.mark.parametrize("wait", [0.5])
def test_browser_layout_stays_put(driver, seed_page, wait):
    """Physics is off: the positions computed in Python are where the nodes stay."""
    import time

    browser.open_page(driver, seed_page)
    before = driver.execute_script("return geokg.network.getPositions()")
    time.sleep(wait)
    assert driver.execute_script("return geokg.network.getPositions()") == before
    assert driver.execute_script("return geokg.network.physics.options.enabled") is False


@pytest.mark.parametrize("label, evidence", [("Японія", "Японія надала США допомогу озброєнням"),
                                             ("Росія", "Росія атакувала Україну ракетами")])
def test_browser_click_shows_profile_with_evidence(driver, news_page, label, evidence):
    browser.open_page(driver, news_page)
    profile = _click_actor(driver, label)
    assert profile.is_displayed()
    text = profile.text
    assert profile.find_element("tag name", "h2").text == label
    assert evidence in text
    assert "news item x" in text
    assert browser.console_errors(driver) == []


@pytest.mark.parametrize("label", ["Японія", "Росія", "Україна"])
def test_browser_news_markup_stays_text(driver, news_page, label):
    browser.open_page(driver, news_page)
    profile = _click_actor(driver, label)
    assert _no_alert(driver)
    assert driver.find_elements("css selector", "img[src=x], img, #profile script, #profile b") == []
    assert driver.execute_script("return document.scripts.length") == 3  # vis-network, the data, the view
    shown = profile.text
    assert IMG in shown or SCRIPT in shown  # the markup is shown as the text it is
    if label == "Японія":
        assert "«" + TITLE + "»" in shown
        # a javascript: address stays text; a web address becomes a link
        assert [a.get_attribute("href") for a in profile.find_elements("css selector", ".item a")] == []
    assert [url for url in browser.requested_urls(driver) if not url.startswith(browser.LOCAL_SCHEMES)] == []


@pytest.mark.parametrize("query, label", [("япон", "Японія"), ("РОСІ", "Росія"), ("ukraine", "Україна")])
def test_browser_search_selects_actor(driver, news_page, query, label):
    from selenium.webdriver.common.keys import Keys

    browser.open_page(driver, news_page)
    box = driver.find_element("id", "search")
    box.send_keys(query)
    box.send_keys(Keys.ENTER)
    assert driver.find_element("css selector", "#profile h2").text == label
    assert driver.execute_script("return geokg.network.getSelectedNodes()") == [_index(driver, label)]
    assert label in driver.find_element("id", "search-status").text


@pytest.mark.parametrize("name, value", [("kind", "State"), ("type", "AID"), ("quad", "4")])
def test_browser_filter_hides_and_restores(driver, seed_page, name, value):
    browser.open_page(driver, seed_page)
    counts = "return [geokg.nodeView.length, geokg.edgeView.length]"
    before = driver.execute_script(counts)
    box = driver.find_element("css selector", f'#filters input[name="{name}"][value="{value}"]')
    box.click()
    after = driver.execute_script(counts)
    assert after != before and after[0] <= before[0] and after[1] <= before[1]
    box.click()
    assert driver.execute_script(counts) == before


@pytest.mark.parametrize("status", ["showing 5 of 19 actors (14 hidden; raise with --top)"])
def test_browser_says_how_many_are_hidden(driver, seed_page, status):
    browser.open_page(driver, seed_page)
    assert driver.find_element("id", "status").text == status
    assert driver.execute_script("return geokg.nodes.length") == 5
