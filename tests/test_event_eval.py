"""The hand-annotated events dev set (tests/data/events_dev.tsv) has the agreed shape; no corpus needed."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from kg.namespace import plover_types

TSV = Path(__file__).parent / "data" / "events_dev.tsv"
COLUMNS = ["file", "start", "end", "source", "plover", "target", "note"]
ORGS = {"NATO", "EU", "UN", "OSCE", "IAEA", "WHO", "IMF", "CSTO", "SCO", "ICC", "INTERPOL", "COE", "OPEC", "ASEAN",
        "AU", "BRICS", "G7", "G20", "WB", "EBRD", "ICRC"}
ISO3 = re.compile(r"^[A-Z]{3}$")


def rows() -> list[dict]:
    with TSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t")
        assert reader.fieldnames == COLUMNS
        return list(reader)


def test_columns_and_offsets():
    for row in rows():
        assert None not in row and all(v is not None for v in row.values()), row
        assert re.fullmatch(r"(bruk|ng)/[0-9a-f]+\.txt", row["file"]), row
        assert 0 <= int(row["start"]) < int(row["end"]), row
        assert len(row["note"].split()) <= 3, row


def test_codes_and_types():
    types = set(plover_types())
    for row in rows():
        if not row["source"]:  # a deliberate negative paragraph: no event at all
            assert row["plover"] == "" and row["target"] == "", row
            continue
        assert row["plover"] in types, row
        assert row["source"] in ORGS or ISO3.match(row["source"]), row
        assert row["target"] == "" or row["target"] in ORGS or ISO3.match(row["target"]), row
        assert row["source"] != "IGO" and row["target"] != "IGO", row


def test_size():
    paragraphs = {(r["file"], r["start"], r["end"]) for r in rows()}
    negatives = {(r["file"], r["start"], r["end"]) for r in rows() if not r["source"]}
    assert len(paragraphs) >= 30
    assert len(negatives) <= 5
    assert not negatives & {(r["file"], r["start"], r["end"]) for r in rows() if r["source"]}
    # paragraphs do not overlap within a file
    spans = sorted((f, int(s), int(e)) for f, s, e in paragraphs)
    for (f1, _, e1), (f2, s2, _) in zip(spans, spans[1:]):
        assert f1 != f2 or e1 <= s2
