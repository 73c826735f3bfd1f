"""Name recognition measured on NER-UK (brat standoff): exact-span precision, recall and F1 for PERS, LOC, ORG.

    python bench/ner_eval.py [../shared/data/ner-uk/dev] [--cv 5 | --rules] [--errors N]

- ``--cv K``: K-fold cross-validation by document. Each fold's CRF is trained (``scripts/train_ner.py``'s
  features and parameters) on the other folds' documents only and tested on its own: the honest figure.
- no option: the shipped model (``kg/models/ner-uk.crfsuite``). It was trained on this very split, so on dev the
  figure is IN-SAMPLE (a ceiling, not an estimate).
- ``--rules``: no model; lexicon names, quoted names and capitalized runs (the baseline).

Every mode scores what ``kg annotate`` reports (recognize → link → names), not the tagger's raw output. The
corpus texts are read where they lie; nothing of them is copied into the repository (CC BY-NC-SA 4.0).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

from kg.annotate import doc_entities  # noqa: E402
from kg.link import link  # noqa: E402
from kg.model import NewsItem  # noqa: E402
from kg.ner import TYPES, crf_tagger, load_tagger, shipped_tagger  # noqa: E402
from kg.recognize import recognize, rule_names  # noqa: E402
from kg.text import analyze  # noqa: E402
from train_ner import DEFAULT_CORPUS, documents, examples, gold, train  # noqa: E402


def found_spans(text: str, names) -> set[tuple[int, int, str]]:
    doc = link(recognize(analyze(NewsItem(id="x", text=text)), names=names))
    return {(e["start"], e["end"], e["type"]) for e in doc_entities(doc) if e["type"] in TYPES}


def _train_fold(args) -> str:
    sequences, path = args
    return str(train(sequences, Path(path)))


def cv_finders(files: list[Path], k: int, workdir: Path) -> list:
    """One name finder per document: the CRF of the fold that never saw it."""
    per_doc = [examples(txt) for txt in files]
    jobs = [([ex for d, exs in enumerate(per_doc) if d % k != fold for ex in exs], workdir / f"fold{fold}.crfsuite")
            for fold in range(k)]
    with ProcessPoolExecutor(max_workers=min(k, 4)) as pool:
        paths = list(pool.map(_train_fold, jobs))
    finders = [crf_tagger(load_tagger(p)) for p in paths]
    return [finders[d % k] for d in range(len(files))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--cv", type=int, metavar="K", help="K-fold cross-validation by document")
    mode.add_argument("--rules", action="store_true", help="rules only, no model")
    parser.add_argument("--errors", type=int, default=0, help="print this many missed and spurious spans per type")
    args = parser.parse_args()
    files = documents(args.corpus)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as workdir:
        if args.cv:
            finders = cv_finders(files, args.cv, Path(workdir))
            label = f"{args.cv}-fold cross-validation by document (each model tested on documents it never saw)"
        elif args.rules:
            finders, label = [rule_names] * len(files), "rules only (lexicon, quotes, capitals)"
        else:
            finders = [shipped_tagger()] * len(files)
            label = "shipped model, IN-SAMPLE: it was trained on these documents"
        trained = time.perf_counter()
        tp, fp, fn = Counter(), Counter(), Counter()
        missed, spurious = [], []
        for txt, finder in zip(files, finders):
            text = txt.read_text(encoding="utf-8")
            expected = gold(txt.with_suffix(".ann"))
            found = found_spans(text, finder)
            for kind in TYPES:
                g = {s for s in expected if s[2] == kind}
                f = {s for s in found if s[2] == kind}
                tp[kind] += len(g & f)
                fp[kind] += len(f - g)
                fn[kind] += len(g - f)
                missed += [(kind, text[s:e]) for s, e, _ in g - f]
                spurious += [(kind, text[s:e]) for s, e, _ in f - g]
    elapsed = time.perf_counter() - trained
    print(f"NER-UK {args.corpus.name}: {len(files)} texts; {label}")
    print(f"training {trained - started:.1f} s, tagging and scoring {elapsed:.1f} s")
    print(f"{'type':6} {'P':>6} {'R':>6} {'F1':>6} {'gold':>6}")
    for kind in (*TYPES, "micro"):
        t = sum(tp.values()) if kind == "micro" else tp[kind]
        p_den = t + (sum(fp.values()) if kind == "micro" else fp[kind])
        r_den = t + (sum(fn.values()) if kind == "micro" else fn[kind])
        p, r = (t / p_den if p_den else 0.0), (t / r_den if r_den else 0.0)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        print(f"{kind:6} {p:6.3f} {r:6.3f} {f1:6.3f} {r_den:6d}")
    if args.errors:
        for title, rows in (("missed", missed), ("spurious", spurious)):
            for kind in TYPES:
                common = Counter(text for k, text in rows if k == kind).most_common(args.errors)
                print(f"{title} {kind}: " + ", ".join(f"{t} ({n})" for t, n in common))
    return 0


if __name__ == "__main__":
    sys.exit(main())
