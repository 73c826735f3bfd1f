"""SHACL shapes as data pairs: each ``tests/shapes/<case>_PASS.ttl`` conforms, each ``<case>_FAIL.ttl`` fails with
exactly the (focus node, source shape) pairs listed here."""

from functools import cache
from pathlib import Path

import pytest
import rdflib.namespace as ns  # XSD only through ns: it is an open namespace and warns when pytest probes it
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SH

from kg.namespace import GKD, GKG, PLOVER, SEM
from kg.validate import shapes_graph, validate, validation_report, violations

CASES = Path(__file__).resolve().parent / "shapes"
GKGSH = Namespace("https://w3id.org/geokg/shapes#")
EX = Namespace("https://example.org/test#")


def _pairs(focus_prefix: str, rows: dict[str, list[str]], namespace=GKD) -> set[tuple[URIRef, URIRef]]:
    return {(namespace[focus_prefix + focus], GKGSH[shape]) for focus, shapes in rows.items() for shape in shapes}


EXPECTED = {
    "event": _pairs(
        "event/s1/",
        {
            "two-types": ["eventType"],
            "quad-as-type": ["eventType"],
            "place-as-actor": ["eventSource", "eventTarget"],
            "no-evidence": ["evidence", "beginIndex"],
            "reversed": ["beginIndex", "derivedFrom"],
            "bad-values": ["confidence", "eventMode", "eventTrigger"],
            "bad-time": ["eventTimeStamp"],
            "bad-month-day": ["eventTimeStamp", "confidence"],
            "swapped-things": ["eventPlace", "eventInstrument"],
            "untyped": ["eventType", "evidence", "beginIndex", "endIndex", "derivedFrom"],
        },
    )
    # A quad class used as an event type is also not shaped like a PLOVER event type.
    | _pairs(
        "VerbalConflict",
        {"": ["conceptNotation", "conceptQuadClass", "conceptCameoRoot", "conceptBroader", "conceptEdgeProperty"]},
        namespace=PLOVER._NS,
    ),
    "figures": _pairs(
        "actor/",
        {
            "m-bad-figures": [
                "figurePagerank", "figureBetweenness", "figureEigenvector", "figureCloseness", "figureDegree",
                "figureInDegree", "figureOutDegree", "figureCommunity", "figureCooperationSent",
                "figureCooperationReceived", "figureConflictSent", "figureConflictReceived",
                "figureCooperationBalance",
            ],
        },
    ),
    "actor": _pairs(
        "actor/",
        {
            "m-no-label": ["actorLabel"],
            "m-two-uk": ["actorLabel"],
            "m-plain-label": ["actorLabel", "actorAltLabel"],
            "m-tagged-key": ["actorNameKey"],
            "m-wiki-page": ["actorSameAs"],
            "m-igo-country": ["actorCountry"],
            "m-two-countries": ["actorCountry"],
            "m-oreshnik": ["actorLabel"],
            "m-dangling": ["actorLabel"],
        },
    ),
    "state": _pairs(
        "actor/",
        {"jpn": ["stateIso3"], "usa": ["stateIso3"], "prk": ["stateIso3"], "kor": ["stateIso3"], "m-igo": ["stateIso3"]},
    ),
    "news_item": _pairs(
        "item/",
        {
            "upper-hash": ["itemContentHash"],
            "md5": ["itemContentHash"],
            "no-text": ["itemText"],
            "no-id": ["itemIdentifier"],
            "two-titles": ["itemTitle", "itemSource", "itemDate"],
            "untyped": ["itemIdentifier", "itemContentHash"],
        },
    ),
    "relation": _pairs(
        "relation/s1/",
        {
            "event-predicate": ["relationPredicate"],
            "not-asserted": ["RelationAssertedShape"],
            "two-subjects": ["relationSubject"],
            "literal-object": ["relationObject"],
            "weapon-recipient": ["relationRecipient", "confidence"],
            "bare": ["evidence", "beginIndex", "endIndex", "derivedFrom"],
        },
    ),
    "post": _pairs(
        "post/shigeru-ishiba/",
        {
            "actor-as-role": ["postRole"],
            "nowhere": ["postIn"],
            "in-a-place": ["postIn", "postRole"],
            "untyped": ["postIn", "postRole"],
        },
    ),
    "plover_concept": _pairs(
        "",
        {
            "BADQUAD": ["conceptQuadClass", "PloverConceptShape"],
            "BADROOT": ["conceptCameoRoot"],
            "MISMATCH": ["PloverConceptShape"],
            "nowhere": ["conceptInScheme", "conceptNotation"],
            "UNDERTYPE": ["conceptBroader", "PloverConceptShape"],
            "BARE": [
                "conceptNotation",
                "conceptQuadClass",
                "conceptCameoRoot",
                "conceptInScheme",
                "conceptBroader",
                "conceptPrefLabel",
                "conceptDefinition",
            ],
        },
        namespace=EX,
    ),
}


def _case_names(suffix: str) -> list[str]:
    return sorted(path.name[: -len(suffix)] for path in CASES.glob(f"*{suffix}"))


@cache
def _report(name: str) -> tuple[bool, Graph, str]:
    return validation_report(Graph().parse(CASES / name))


def _short(pairs) -> list[tuple[str, str]]:
    return sorted((str(focus).rsplit("/", 1)[-1].rsplit("#", 1)[-1], str(shape).rsplit("#", 1)[-1]) for focus, shape in pairs)


@pytest.mark.parametrize("case", _case_names("_PASS.ttl"))
def test_shapes_pass_case_conforms(case):
    conforms, report, text = _report(f"{case}_PASS.ttl")
    assert conforms, text


@pytest.mark.parametrize("case", _case_names("_FAIL.ttl"))
def test_shapes_fail_case_fails_exactly_as_expected(case):
    conforms, report, _ = _report(f"{case}_FAIL.ttl")
    assert not conforms
    found = violations(report)
    assert _short(found - EXPECTED[case]) == [], "unexpected failures"
    assert _short(EXPECTED[case] - found) == [], "expected failures not reported"


@pytest.mark.parametrize("suffixes", [("_PASS.ttl", "_FAIL.ttl")])
def test_shapes_every_case_is_a_pair_with_expectations(suffixes):
    passing, failing = (set(_case_names(suffix)) for suffix in suffixes)
    assert passing == failing == set(EXPECTED)


@pytest.mark.parametrize("shapes", [shapes_graph()])
def test_shapes_every_constraint_is_exercised_by_a_fail_case(shapes):
    named = {
        shape
        for shape in set(shapes.subjects(RDF.type, SH.PropertyShape)) | set(shapes.subjects(SH.sparql, None))
        if isinstance(shape, URIRef)
    }
    exercised = {shape for pairs in EXPECTED.values() for _, shape in pairs}
    assert _short((None, shape) for shape in named - exercised) == []


def _event_graph(**drop: bool) -> Graph:
    """A small valid event with its actors and news item; ``drop`` names triples to leave out."""
    graph = Graph()
    item, jpn, usa = GKD["item/t1"], GKD["actor/jpn"], GKD["actor/usa"]
    event = GKD["event/t1/abc"]
    graph.add((item, RDF.type, GKG.NewsItem))
    graph.add((item, DCTERMS.identifier, Literal("t1")))
    graph.add((item, GKG.contentHash, Literal("sha256:" + "ab" * 32)))
    graph.add((item, GKG.text, Literal("Японія засудила США.")))
    for actor, label, iso3 in ((jpn, "Японія", "JPN"), (usa, "США", "USA")):
        graph.add((actor, RDF.type, GKG.State))
        graph.add((actor, RDFS.label, Literal(label, lang="uk")))
        graph.add((actor, GKG.iso3, Literal(iso3)))
    triples = {
        "type": (event, RDF.type, GKG.Event),
        "event_type": (event, SEM.eventType, PLOVER.DISAPPROVE),
        "source": (event, GKG.source, jpn),
        "target": (event, GKG.target, usa),
        "evidence": (event, GKG.evidence, Literal("Японія засудила США.")),
        "begin": (event, GKG.beginIndex, Literal(0)),
        "end": (event, GKG.endIndex, Literal(20)),
        "item": (event, PROV.wasDerivedFrom, item),
        "date": (event, SEM.hasTimeStamp, Literal("--11-21", datatype=ns.XSD.gMonthDay)),
    }
    for name, triple in triples.items():
        if not drop.get(name):
            graph.add(triple)
    return graph


@pytest.mark.parametrize("drop, conforms", [({}, True), ({"source": True}, False), ({"item": True}, False)])
def test_validate_flags_broken_event(drop, conforms):
    result, text = validate(_event_graph(**drop))
    assert result is conforms, text
    assert ("event/t1/abc" in text) is not conforms


@pytest.mark.parametrize("graph", [_event_graph(source=True)])
def test_validate_leaves_input_unchanged(graph):
    before = set(graph)
    validate(graph)
    assert set(graph) == before


@pytest.mark.parametrize("lexical", ["--11-21", "--02-29"])
def test_validate_keeps_month_day_literals_well_typed(lexical):
    validate(_event_graph())
    assert Literal(lexical, datatype=ns.XSD.gMonthDay).ill_typed is not True
    assert validate(_event_graph())[0]
