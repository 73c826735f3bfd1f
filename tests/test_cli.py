"""The kg command as a user runs it: the quick-start, its outputs, and bad input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main
from tests.conftest import ROOT

EVENT_KEYS = {"id", "date", "event", "quad_code", "actor", "recipient", "text", "doc", "confidence"}
ACTOR_KEYS = {"text", "name", "wikidata", "country", "type"}


def kg_command() -> list[str]:
    script = Path(sys.executable).parent / "kg"
    return [str(script)] if script.exists() else [sys.executable, "-m", "kg.cli"]


def run_kg(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([*kg_command(), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_cli_readme_has_exactly_the_two_quickstart_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^\s*(make \w+)\s*$", quick, flags=re.M)
    assert commands == ["make demo", "make test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(VENV)/bin/kg build seeds --out output" in makefile


def test_cli_quickstart_build_on_seeds(tmp_path):
    """What `make demo` runs, with the output redirected to a temporary folder."""
    result = run_kg("build", "seeds", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for name in ("graph.ttl", "events.jsonl", "graph.html", "centrality.csv"):
        assert (tmp_path / name).stat().st_size > 0
    assert "items: 6" in result.stdout and "conforms" in result.stdout
    records = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records
    for record in records:
        assert EVENT_KEYS <= record.keys()
        assert ACTOR_KEYS <= record["actor"].keys()
        assert record["recipient"] is None or ACTOR_KEYS <= record["recipient"].keys()
        assert record["doc"]["path"].startswith("seeds/")
        assert record["quad_code"] in (1, 2, 3, 4)
    assert {"JPN", "USA"} <= {r["actor"]["country"] for r in records}


def test_cli_build_jsonl_input(tmp_path):
    news = tmp_path / "news.jsonl"
    news.write_text(json.dumps({"id": "a1", "text": "Литва та Латвія засудили Білорусь.", "date": "2024-05-02",
                                "source": "LRT"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert main(["build", str(news), "--out", str(tmp_path / "out")]) == 0
    records = [json.loads(x) for x in (tmp_path / "out" / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {(r["actor"]["country"], r["recipient"]["country"], r["date"]) for r in records} == {
        ("LTU", "BLR", "2024-05-02"), ("LVA", "BLR", "2024-05-02")}
    assert records[0]["doc"] == {"id": "a1", "path": str(news)}


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("make", [
    lambda d: d / "missing.txt",
    lambda d: (d / "empty-folder").mkdir() or d / "empty-folder",
    lambda d: _write(d / "empty.txt", b""),
    lambda d: _write(d / "binary.txt", bytes(range(256)) * 8),
    lambda d: _write(d / "bad.jsonl", b'{"id": 1, "text": "\xd0\x9a\xd0\xb8\xd1\x97\xd0\xb2"}\n{not json\n'),
])
def test_cli_bad_input_one_line_error(tmp_path, make):
    path = make(tmp_path)
    result = run_kg("build", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and path.name in lines[0] and "Traceback" not in result.stderr


def test_cli_windows_1251_decoded_with_notice(tmp_path):
    path = _write(tmp_path / "cp.txt", "Литва та Латвія засудили Білорусь.".encode("cp1251"))
    result = run_kg("build", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "windows-1251" in result.stderr
    events = (tmp_path / "out" / "events.jsonl").read_text(encoding="utf-8")
    assert "Литва та Латвія засудили Білорусь." in events


def test_cli_help_has_an_example():
    result = run_kg("build", "--help")
    assert result.returncode == 0 and "example: kg build" in result.stdout


@pytest.mark.parametrize("out", ["README.md", "README.md/sub"])
def test_cli_unwritable_output_one_line_error(tmp_path, out):
    result = run_kg("build", "seeds", "--out", out)
    assert result.returncode == 6
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_cli_jsonl_ids_with_odd_characters(tmp_path):
    news = tmp_path / "odd.jsonl"
    lines = [{"id": 'a b/"c"<d>', "text": "Литва засудила Білорусь."}, {"id": "a b/c", "text": "Японія підтримала Україну."}]
    news.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    assert main(["build", str(news), "--out", str(tmp_path / "out")]) == 0
    from rdflib import Graph
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    from rdflib.namespace import DCTERMS
    assert {str(x) for x in graph.objects(None, DCTERMS.identifier)} == {'a b/"c"<d>', "a b/c"}


def test_cli_annotate_offsets_point_into_the_file(tmp_path):
    text = "Прем'єр-міністр Японії Фуміо Кісіда зустрівся з Джо Байденом у Вашингтоні.\n\nСБУ затримала агента ФСБ."
    path = _write(tmp_path / "a.txt", text.encode("utf-8"))
    result = run_kg("annotate", str(path))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["doc"]["path"] == str(path)
    assert record["entities"]
    for entity in record["entities"]:
        assert text[entity["start"]:entity["end"]] == entity["text"]
        assert entity["type"] in ("PERS", "LOC", "ORG", "MISC")
    assert {"Вашингтоні", "СБУ"} <= {e["text"] for e in record["entities"]}


@pytest.mark.parametrize("args", [["build", "--top", "0"], ["nosuch"], ["query", "--format", "xml", "aid"]])
def test_cli_bad_option_is_one_line(capsys, args):
    with pytest.raises(SystemExit) as stopped:
        main(args)
    err = capsys.readouterr().err.strip().splitlines()
    assert stopped.value.code == 2 and len(err) == 1 and "error:" in err[0]
