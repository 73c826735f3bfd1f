"""Headless Chromium with the network off, for the browser tests and ``bench/view_bench.py``.

Debian's ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them), driven by Selenium. Every
request the page makes is read from the performance log (``Network.requestWillBeSent``), console
messages from the browser log; the network is off twice over: Chromium goes through a proxy on a
closed port and DevTools emulates being offline.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--proxy-server=127.0.0.1:9", "--window-size=1400,900",
)
LOCAL_SCHEMES = ("file:", "data:", "blob:")


def available() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists()


@contextmanager
def offline_chromium():
    """A Selenium driver of headless Chromium in a fresh profile, with the network off."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="geokg-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def open_page(driver, page: Path, timeout: float = 60.0) -> float:
    """Open ``page`` from its file and wait until the graph is drawn; the milliseconds from the start
    of navigation until then (the page's own ``geokgReadyAt``). The logs are emptied first, so
    :func:`requested_urls` and :func:`console_errors` see only what this page does."""
    driver.get("about:blank")
    driver.get_log("performance"), driver.get_log("browser")
    driver.get(page.resolve().as_uri())
    deadline = time.monotonic() + timeout
    while not driver.execute_script("return window.geokgReady === true"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{page}: not drawn after {timeout} s")
        time.sleep(0.05)
    return float(driver.execute_script("return window.geokgReadyAt"))


def requested_urls(driver) -> list[str]:
    """Every URL the browser asked for since the last call."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def console_errors(driver) -> list[str]:
    """The console messages of level SEVERE since the last call."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def drawn_pixels(driver) -> int:
    """How many pixels of the graph's canvas are neither blank nor the white background."""
    return int(driver.execute_script("""
        const canvas = document.querySelector('#network canvas');
        const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let count = 0;
        for (let i = 0; i < pixels.length; i += 4) {
            if (pixels[i + 3] > 0 && (pixels[i] < 250 || pixels[i + 1] < 250 || pixels[i + 2] < 250)) count++;
        }
        return count;"""))
