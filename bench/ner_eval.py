"""Name recognition measured on NER-UK (brat standoff): exact-span precision, recall and F1 for PERS, LOC, ORG.

    python bench/ner_eval.py [../shared/data/ner-uk/dev] [--errors N]

The corpus texts are read where they lie; nothing of them is copied into the repository (CC BY-NC-SA 4.0).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.annotate import entities  # noqa: E402
from kg.model import NewsItem  # noqa: E402

TYPES = ("PERS", "LOC", "ORG")
SPAN = re.compile(r"^T\d+\t(\w+)[\t ](\d+)[\t ](\d+)\t")  # brat standoff, tab- or space-separated
DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ner-uk" / "dev"


def gold(ann: Path) -> set[tuple[int, int, str]]:
    spans = set()
    for line in ann.read_text(encoding="utf-8").splitlines():
        match = SPAN.match(line)
        if match and match[1] in TYPES:
            spans.add((int(match[2]), int(match[3]), match[1]))
    return spans


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--errors", type=int, default=0, help="print this many missed and spurious spans per type")
    args = parser.parse_args()
    tp, fp, fn = Counter(), Counter(), Counter()
    missed, spurious = [], []
    files = sorted(args.corpus.rglob("*.txt"))
    started = time.perf_counter()
    for txt in files:
        text = txt.read_text(encoding="utf-8")
        expected = gold(txt.with_suffix(".ann"))
        found = {(e["start"], e["end"], e["type"]) for e in entities(NewsItem(id=txt.stem, text=text))
                 if e["type"] in TYPES}
        for kind in TYPES:
            g = {s for s in expected if s[2] == kind}
            f = {s for s in found if s[2] == kind}
            tp[kind] += len(g & f)
            fp[kind] += len(f - g)
            fn[kind] += len(g - f)
            missed += [(kind, text[s:e], txt.name) for s, e, _ in g - f]
            spurious += [(kind, text[s:e], txt.name) for s, e, _ in f - g]
    elapsed = time.perf_counter() - started
    print(f"NER-UK {args.corpus.name}: {len(files)} texts, {elapsed:.1f} s")
    print(f"{'type':6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for kind in (*TYPES, "micro"):
        t = sum(tp.values()) if kind == "micro" else tp[kind]
        p_den = t + (sum(fp.values()) if kind == "micro" else fp[kind])
        r_den = t + (sum(fn.values()) if kind == "micro" else fn[kind])
        p, r = (t / p_den if p_den else 0.0), (t / r_den if r_den else 0.0)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{kind:6} {p:6.3f} {r:6.3f} {f1:6.3f} {r_den:6d}")
    if args.errors:
        for label, rows in (("missed", missed), ("spurious", spurious)):
            for kind in TYPES:
                common = Counter(text for k, text, _ in rows if k == kind).most_common(args.errors)
                print(f"{label} {kind}: " + ", ".join(f"{t} ({n})" for t, n in common))
    return 0


if __name__ == "__main__":
    sys.exit(main())
