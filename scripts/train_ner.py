"""Train the CRF name tagger (kg/models/ner-uk.crfsuite) on NER-UK (brat standoff), deterministically.

    python scripts/train_ner.py [../shared/data/ner-uk/dev] [--out kg/models/ner-uk.crfsuite]

The corpus is read where it lies and never copied; the model is a derivative of it (CC BY-NC-SA 4.0, see
kg/models/LICENSE-NOTE). CRFsuite's L-BFGS has no randomness: the same corpus and code give the same model.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.lexicon import load  # noqa: E402
from kg.model import NewsItem  # noqa: E402
from kg.ner import TYPES, bio, sentence_features  # noqa: E402
from kg.recognize import lexicon_labels, lexicon_mentions  # noqa: E402
from kg.text import analyze  # noqa: E402

SPAN = re.compile(r"^T\d+\t(\w+)[\t ](\d+)[\t ](\d+)\t")  # brat standoff, tab- or space-separated
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "ner-uk" / "dev"
DEFAULT_MODEL = ROOT / "kg" / "models" / "ner-uk.crfsuite"
# L1 prunes the many word features to the useful ones (a small model), L2 smooths; values chosen by 5-fold CV.
PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 150, "feature.possible_transitions": True,
          "feature.minfreq": 1}


def gold(ann: Path) -> set[tuple[int, int, str]]:
    """The PERS, LOC and ORG spans of a brat .ann file, as (start, end, type) character offsets."""
    spans = set()
    for line in ann.read_text(encoding="utf-8").splitlines():
        match = SPAN.match(line)
        if match and match[1] in TYPES:
            spans.add((int(match[2]), int(match[3]), match[1]))
    return spans


def documents(corpus: Path) -> list[Path]:
    """The corpus's texts in a fixed order (sorted paths)."""
    return sorted(corpus.rglob("*.txt"))


def examples(txt: Path, lex=None) -> list[tuple[list[list[str]], list[str]]]:
    """(features, BIO labels) of each sentence of one document. A gold span that does not start and end on
    token boundaries of one sentence (1% of them) is left out of the labels."""
    lex = lex or load()
    text = txt.read_text(encoding="utf-8")
    doc = analyze(NewsItem(id=txt.stem, text=text))
    expected = gold(txt.with_suffix(".ann"))
    out = []
    for index, sentence in enumerate(doc.sentences):
        tokens = sentence.tokens
        first = {t.start: k for k, t in enumerate(tokens)}
        after = {t.end: k + 1 for k, t in enumerate(tokens)}
        spans = [(first[s], after[e], kind) for s, e, kind in sorted(expected) if s in first and e in after]
        labels = lexicon_labels(len(tokens), lexicon_mentions(index, sentence, lex))
        out.append((sentence_features(tokens, labels), bio(len(tokens), spans)))
    return out


def train(sequences, model: Path, params: dict | None = None) -> Path:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for features, labels in sequences:
        trainer.append(features, labels)
    trainer.set_params(params or PARAMS)
    model.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(model))
    return model


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    args = parser.parse_args()
    lex = load()
    sequences = [ex for txt in documents(args.corpus) for ex in examples(txt, lex)]
    train(sequences, args.out)
    print(f"trained on {len(sequences)} sentences of {args.corpus}: {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
