"""Events measured against a hand-annotated development set (tests/data/events_dev.tsv).

    python bench/event_eval.py [CORPUS] [--gold TSV] [--errors]

Each annotated paragraph of NER-UK (default ../shared/data/ner-uk/dev) is read where it lies and run through geokg as
one news item. Every coded event that is neither negated nor conditional (the guidelines annotate neither) becomes a
triple (source country, PLOVER type, target country), with the actors' ``country`` as in ``kg.export.event_record``
(ISO 3166-1 alpha-3; "IGO" is mapped back to the organization id, e.g. an actor IRI ending in ``/nato`` -> NATO). Triples are compared as sets per paragraph and
precision, recall and F1 are micro-averaged over all paragraphs. Events whose source has no country are left out and
counted apart: the annotation codes only events with a state (or state-attributed) source.

The corpus texts are not copied into the repository (CC BY-NC-SA 4.0): the TSV holds file names and offsets only.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.export import event_record  # noqa: E402
from kg.model import NewsItem  # noqa: E402
from kg.pipeline import process  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "ner-uk" / "dev"
GOLD = ROOT / "tests" / "data" / "events_dev.tsv"

Triple = tuple[str, str, str]
Key = tuple[str, int, int]


def read_gold(path: Path) -> dict[Key, set[Triple]]:
    """Paragraph (file, start, end) -> gold triples; paragraphs annotated as negatives map to an empty set."""
    gold: dict[Key, set[Triple]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            expected = gold.setdefault((row["file"], int(row["start"]), int(row["end"])), set())
            if row["source"]:  # a negative paragraph has one row with no event and still counts
                expected.add((row["source"], row["plover"], row["target"]))
    return gold


def code(actor: dict | None) -> str:
    """The country code of an event_record actor, IGO mapped back to the organization id ('' when unknown)."""
    if not actor or not actor.get("country"):
        return ""
    if actor["country"] == "IGO":
        iri = actor.get("iri") or ""
        return iri.rstrip("/").rsplit("/", 1)[-1].upper() or "IGO"
    return actor["country"]


def predict(text: str, item_id: str) -> tuple[set[Triple], list[tuple[Triple, str]], int]:
    """Triples geokg codes in ``text``, the (triple, trigger) list for error reports, and how many were unsourced."""
    doc = process(NewsItem(id=item_id, text=text))
    triples: set[Triple] = set()
    found: list[tuple[Triple, str]] = []
    unsourced = 0
    for event in doc.events:
        if event.mode in ("negated", "conditional"):  # the annotation codes neither (tests/data/EVENTS_DEV.md)
            continue
        record = event_record(doc, event)
        triple = (code(record["actor"]), record["event"], code(record["recipient"]))
        if not triple[0]:
            unsourced += 1
            continue
        triples.add(triple)
        found.append((triple, f'{record["trigger"]} [{record["mode"]}]'))
    return triples, found, unsourced


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def fmt(triple: Triple) -> str:
    return f"{triple[0]} {triple[1]} {triple[2] or '-'}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--errors", action="store_true", help="print missed and spurious triples per paragraph")
    args = parser.parse_args()
    if not args.corpus.is_dir():
        print(f"skipped: corpus folder {args.corpus} not found (NER-UK dev split)")
        return 0
    gold = read_gold(args.gold)
    tp, fp, fn = Counter(), Counter(), Counter()
    pair_tp = pair_fp = pair_fn = 0
    unsourced = 0
    started = time.perf_counter()
    for (name, start, end), expected in gold.items():
        path = args.corpus / name
        if not path.is_file():
            print(f"skipped: {path} not found")
            continue
        text = path.read_text(encoding="utf-8")[start:end]
        found, triggers, lost = predict(text, f"{Path(name).stem}-{start}")
        unsourced += lost
        for kind in {t[1] for t in expected | found}:
            g = {t for t in expected if t[1] == kind}
            f = {t for t in found if t[1] == kind}
            tp[kind] += len(g & f)
            fp[kind] += len(f - g)
            fn[kind] += len(g - f)
        g_pairs, f_pairs = {t[:2] for t in expected}, {t[:2] for t in found}
        pair_tp += len(g_pairs & f_pairs)
        pair_fp += len(f_pairs - g_pairs)
        pair_fn += len(g_pairs - f_pairs)
        if args.errors and expected != found:
            print(f"\n{name} {start}-{end}: {text[:70]!r}")
            for t in sorted(expected - found):
                print(f"  missed   {fmt(t)}")
            for t in sorted(found - expected):
                trig = ", ".join(sorted({tr for x, tr in triggers if x == t}))
                print(f"  spurious {fmt(t)}   ({trig})")
    elapsed = time.perf_counter() - started
    events = sum(len(v) for v in gold.values())
    print(f"\nevents dev set: {len(gold)} paragraphs, {events} gold triples, {elapsed:.1f} s")
    print(f"{'type':12} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'found':>6}")
    for kind in sorted(set(tp) | set(fp) | set(fn)):
        p, r, f1 = prf(tp[kind], fp[kind], fn[kind])
        print(f"{kind:12} {p:6.3f} {r:6.3f} {f1:6.3f} {tp[kind] + fn[kind]:5} {tp[kind] + fp[kind]:6}")
    p, r, f1 = prf(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    print(f"{'ALL':12} {p:6.3f} {r:6.3f} {f1:6.3f} {sum(tp.values()) + sum(fn.values()):5} "
          f"{sum(tp.values()) + sum(fp.values()):6}")
    p, r, f1 = prf(pair_tp, pair_fp, pair_fn)
    print(f"{'(src,type)':12} {p:6.3f} {r:6.3f} {f1:6.3f}   target ignored")
    print(f"events without a source country, left out: {unsourced}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
