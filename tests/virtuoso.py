"""A real Virtuoso Open Source server for the remote-store tests: Debian's ``virtuoso-opensource`` (``.ci/run``
installs it), started as its users start it, ``virtuoso-t`` with a configuration file, here in a fresh folder
with both ports on the loopback and SPARQL updates granted to the account the endpoint runs as."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_serve import free_ports

SERVER = "virtuoso-t"
CLIENT = "isql-vt"
CONFIGURATION = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {folder}

[SPARQL]
ResultSetMaxRows = {max_rows}
"""


def missing() -> str | None:
    """Why the Virtuoso tests cannot run here, or None."""
    absent = [name for name in (SERVER, CLIENT) if shutil.which(name) is None]
    return f"{' and '.join(absent)} missing (apt-get install virtuoso-opensource)" if absent else None


@contextmanager
def virtuoso(folder: Path, max_rows: int = 1_000_000):
    """A fresh Virtuoso in ``folder``: yields its SPARQL endpoint URL (``http://127.0.0.1:PORT/sparql``). It cuts
    an answer at ``max_rows`` rows (``ResultSetMaxRows``, 10,000 in Debian's ``virtuoso.ini``)."""
    reason = missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"CI: the Virtuoso tests need Virtuoso: {reason}")
        pytest.skip(reason)
    folder.mkdir(parents=True, exist_ok=True)
    sql, http = free_ports(2)
    configuration = CONFIGURATION.format(folder=folder, sql=sql, http=http, max_rows=max_rows)
    (folder / "virtuoso.ini").write_text(configuration, encoding="utf-8")
    log = open(folder / "server.log", "wb")
    process = subprocess.Popen([SERVER, "+configfile", str(folder / "virtuoso.ini"), "+foreground"], cwd=folder,
                               stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{http}/sparql"
    try:
        _wait(endpoint + "?query=ASK%7B%7D", process, folder)
        subprocess.run([CLIENT, f"127.0.0.1:{sql}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
                       check=True, capture_output=True, timeout=60)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait(url: str, process: subprocess.Popen, folder: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.25)
    log = (folder / "server.log").read_text(encoding="utf-8", errors="replace")[-2000:]
    raise AssertionError(f"Virtuoso did not answer at {url}:\n{log}")
