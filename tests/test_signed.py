"""kg.signed: cooperation and conflict counted apart, on small hand-made graphs."""

import copy
import doctest

import networkx as nx
import pytest

from kg import signed
from kg.signed import SIGNED_COLUMNS, cooperation_conflict


def _tiny():
    """Russia attacks Ukraine twice (4) and threatens it (3); Japan aids Ukraine (2) and consults the US (1);
    Kishida holds office in Japan (no quad); the US and Japan are allied (relation, quad 1)."""
    return nx.MultiDiGraph([
        ("rus", "ukr", {"quad": 4}), ("rus", "ukr", {"quad": 4}), ("rus", "ukr", {"quad": 3}),
        ("jpn", "ukr", {"quad": 2}), ("jpn", "usa", {"quad": 1}), ("kishida", "jpn", {"quad": None}),
        ("usa", "jpn", {"quad": 1}),
    ])


@pytest.mark.parametrize(
    "actor, expected",
    [
        ("rus", (0, 0, 3, 0, -1.0)),
        ("ukr", (0, 1, 0, 3, -0.5)),
        ("jpn", (2, 1, 0, 0, 1.0)),
        ("usa", (1, 1, 0, 0, 1.0)),
        ("kishida", (0, 0, 0, 0, None)),
    ],
)
def test_signed_counts_on_tiny_graph(actor, expected):
    row = cooperation_conflict(_tiny())[actor]
    assert tuple(row[column] for column in SIGNED_COLUMNS) == expected


@pytest.mark.parametrize("quad", [None, 0, 5, "2"])
def test_signed_edges_without_a_known_quad_count_nowhere(quad):
    row = cooperation_conflict(nx.MultiDiGraph([("a", "b", {"quad": quad})]))["a"]
    assert row == {"cooperation_sent": 0, "cooperation_received": 0, "conflict_sent": 0, "conflict_received": 0,
                   "balance": None}


@pytest.mark.parametrize("graph", [nx.MultiDiGraph(), nx.MultiGraph()])
def test_signed_empty_graph(graph):
    assert cooperation_conflict(graph) == {}


@pytest.mark.parametrize("edge", [("a", "a", {"quad": 4})])
def test_signed_self_loop_is_sent_and_received(edge):
    row = cooperation_conflict(nx.MultiDiGraph([edge]))["a"]
    assert (row["conflict_sent"], row["conflict_received"], row["balance"]) == (1, 1, -1.0)


@pytest.mark.parametrize("make", [_tiny])
def test_signed_input_not_mutated(make):
    G = make()
    before = (list(G.nodes(data=True)), [(u, v, copy.deepcopy(d)) for u, v, d in G.edges(data=True)])
    cooperation_conflict(G)
    assert (list(G.nodes(data=True)), [(u, v, d) for u, v, d in G.edges(data=True)]) == before


@pytest.mark.parametrize("module", [signed])
def test_signed_docstring_examples_run(module):
    failed, attempted = doctest.testmod(module)
    assert attempted > 0 and failed == 0
