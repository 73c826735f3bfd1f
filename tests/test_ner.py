"""The CRF tagger of kg.ner against CRFsuite's own tagger, on sentences written by us (not taken from any corpus)."""

from __future__ import annotations

from kg.lexicon import load
from kg.model import NewsItem
from kg.ner import CRFTagger, balance_quotes, load_tagger, sentence_features, spans
from kg.recognize import lexicon_labels, lexicon_mentions
from kg.text import analyze

TEXTS = [
    "Олена Петренко очолила ТОВ «Бюро Ейнштейн» у Тернополі.",
    "Представники СБУ зустрілися з місією ОБСЄ у Харкові.",
    "Японія підтримала Україну.",
    "Так.",
    "«Легіон Експерт» — компанія з Києва, каже Іван Франко; NATO мовчить.",
    "Міністр закордонних справ Дмитро Кулеба прибув до Вашингтона, де зустрівся з Ентоні Блінкеном.",
]


def sentences():
    lex = load()
    found = []
    for text in TEXTS:
        doc = analyze(NewsItem(id="t", text=text))
        for index, sentence in enumerate(doc.sentences):
            labels = lexicon_labels(len(sentence.tokens), lexicon_mentions(index, sentence, lex))
            found.append((sentence.tokens, labels))
    return found


def test_crf_tagger_agrees_with_crfsuite():
    model = load_tagger()
    pairs = sentences()
    expected = [balance_quotes(tokens, spans(model.tag(sentence_features(tokens, labels))))
                for tokens, labels in pairs]
    tagger = CRFTagger(model)
    assert tagger.many(pairs) == expected
    assert [tagger(tokens, labels) for tokens, labels in pairs] == expected


def test_crf_tagger_many_keeps_order_and_empty_sentences():
    pairs = sentences()
    tagger = CRFTagger()
    alone = [tagger(tokens, labels) for tokens, labels in pairs]
    assert tagger.many([((), []), *reversed(pairs)]) == [[], *reversed(alone)]
