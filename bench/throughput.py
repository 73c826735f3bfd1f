"""Extraction throughput: geokg's whole pipeline (analysis, recognition, linking, event coding) in tokens per
second, next to tokenize-uk alone (sentences + words) on the same text, measured side by side in one run.

    python bench/throughput.py [CORPUS_DIR] [--repeat N]

CORPUS_DIR defaults to the NER-UK dev texts (read in place, never copied). The morphology cache is warmed by a
first pass, as it is in any long run; the figures are the best of N rounds, in each of which tokenize-uk and
the pipeline take turns.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tokenize_uk  # noqa: E402

from kg.model import NewsItem  # noqa: E402
from kg.pipeline import process_all  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "ner-uk" / "dev"


def tokenize_only(texts: list[str]) -> int:
    count = 0
    for text in texts:
        for sentence, _, _ in tokenize_uk.tokenize_sents_with_spans(text):
            count += len(tokenize_uk.tokenize_words_with_spans(sentence))
    return count


def pipeline(texts: list[str]) -> int:
    """The pipeline as ``kg build`` and ``kg ingest`` run it: a stream of items through process_all."""
    count = 0
    for doc in process_all(NewsItem(id=str(number), text=text) for number, text in enumerate(texts)):
        count += sum(len(s.tokens) for s in doc.sentences)
    return count


def timed(function, texts: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    tokens = function(texts)
    return time.perf_counter() - started, tokens


def side_by_side(texts: list[str], repeat: int) -> tuple[tuple[float, int], tuple[float, int]]:
    """Best times of tokenize-uk alone and of the pipeline, the two taking turns in each round, so that a slow
    spell of this shared machine falls on both."""
    base, kg = [], []
    for _ in range(repeat):
        base.append(timed(tokenize_only, texts))
        kg.append(timed(pipeline, texts))
    return min(base), min(kg)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.corpus.rglob("*.txt"))]
    if not texts:
        print(f"no .txt files under {args.corpus}", file=sys.stderr)
        return 2
    pipeline(texts[:20])  # warm the lexicon and the morphology cache
    (base_time, base_tokens), (kg_time, kg_tokens) = side_by_side(texts, args.repeat)
    print(f"corpus: {len(texts)} texts, {sum(map(len, texts)):,} characters")
    print(f"tokenize-uk alone : {base_tokens / base_time:10,.0f} tokens/s  ({base_tokens:,} tokens, {base_time:.2f} s)")
    print(f"geokg pipeline    : {kg_tokens / kg_time:10,.0f} tokens/s  ({kg_tokens:,} tokens, {kg_time:.2f} s)")
    print(f"ratio             : {(kg_tokens / kg_time) / (base_tokens / base_time):.2f} of tokenize-uk's speed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
