"""kg.view: a self-contained, offline, escaped HTML page of the actor graph."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
import pyvis

from kg.analytics import centrality_rows
from kg.view import KIND_COLOURS, QUAD_COLOURS, render_html

JPN, USA, KISHIDA = (f"https://w3id.org/geokg/id/actor/{name}" for name in ("jpn", "usa", "fumio-kishida"))
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
VIS_JS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"


def _actor_graph(label=None, evidence=None):
    G = nx.MultiDiGraph()
    G.add_node(JPN, label="Японія", label_en="Japan", kind="State", wikidata="Q17", country=None)
    G.add_node(USA, label="США", label_en="United States", kind="State", wikidata="Q30", country=None)
    G.add_node(KISHIDA, label=label or "Фуміо Кісіда", label_en="Fumio Kishida", kind="Person",
               wikidata="Q1365339", country=JPN)
    G.add_edge(JPN, USA, key="e1", kind="AID", quad=2, evidence=evidence or "Японія надала США допомогу.",
               item="i", event="e1", relation=None, date="2024-05-01")
    G.add_edge(USA, JPN, key="e2", kind="THREATEN", quad=3, evidence="США пригрозили Японії.",
               item="i", event="e2", relation=None, date=None)
    G.add_edge(KISHIDA, JPN, key="r1", kind="holdsOfficeIn", quad=None, evidence="Прем'єр Японії Кісіда.",
               item="i", event=None, relation="r1", date=None)
    return G


def _page(G):
    return render_html(G, centrality_rows(G))


def _dataset(page, name):
    """The items the page hands to vis.DataSet, decoded as JSON."""
    (payload,) = re.findall(rf"{name} = new vis\.DataSet\((.*?)\);\n", page)
    return json.loads(payload)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _elements(page):
    parser = _Elements()
    parser.feed(page)
    return parser.tags


@pytest.mark.parametrize(
    "pattern",
    [
        r"""<(?:script|link|img|iframe|embed|object|source)\b[^>]*\b(?:src|href|data)\s*=\s*["']?(?:https?:)?//""",
        r"@import",
        r"""url\(\s*["']?(?:https?:)?//""",
    ],
)
def test_view_no_network_resources(pattern):
    assert not re.search(pattern, _page(_actor_graph()), re.IGNORECASE)


@pytest.mark.parametrize("tag", ["script", "link", "img", "iframe"])
def test_view_no_element_loads_anything(tag):
    assert all("src" not in attrs and "href" not in attrs for name, attrs in _elements(_page(_actor_graph()))
               if name == tag)


@pytest.mark.parametrize("library", [VIS_JS])
def test_view_vis_network_inlined(library):
    page = _page(_actor_graph())
    assert library.read_text(encoding="utf-8") in page
    assert "new vis.Network(" in page


@pytest.mark.parametrize("label", ["Японія", "США", "Фуміо Кісіда"])
def test_view_contains_node_labels(label):
    page = _page(_actor_graph())
    assert label in page
    assert label in {node["label"] for node in _dataset(page, "nodes")}


@pytest.mark.parametrize(
    "label, evidence",
    [(IMG, SCRIPT), (SCRIPT, IMG), (f"{SCRIPT}{IMG}", f"</script>{IMG}<!-- href")],
)
def test_view_news_strings_cannot_become_markup(label, evidence):
    G = _actor_graph(label=label, evidence=evidence)
    page = _page(G)
    for payload in (IMG, SCRIPT, "</script>" + IMG, "alert(2)</script>"):
        assert payload not in page
    elements = _elements(page)
    assert "img" not in {tag for tag, _ in elements}
    clean = _elements(_page(_actor_graph()))
    assert [tag for tag, _ in elements] == [tag for tag, _ in clean]  # no element added or lost
    assert "innerHTML = nodeData" not in page  # pyvis's popup for titles containing "href" stays off
    # the strings are all there, escaped, and decode back exactly
    nodes = {node["id"]: node for node in _dataset(page, "nodes")}
    assert nodes[KISHIDA]["label"] == label
    assert any(evidence in edge["title"] for edge in _dataset(page, "edges"))


@pytest.mark.parametrize(
    "node, expected",
    [
        (KISHIDA, ["Фуміо Кісіда", "Person", "country: Японія", "https://www.wikidata.org/wiki/Q1365339"]),
        (JPN, ["Японія", "State", "https://www.wikidata.org/wiki/Q17"]),
    ],
)
def test_view_node_tooltip(node, expected):
    nodes = {item["id"]: item for item in _dataset(_page(_actor_graph()), "nodes")}
    assert nodes[node]["title"].split("\n") == expected
    assert nodes[node]["color"] == KIND_COLOURS[_actor_graph().nodes[node]["kind"]]


@pytest.mark.parametrize(
    "source, target, quad, title",
    [
        (JPN, USA, 2, "AID (2024-05-01)\nЯпонія надала США допомогу."),
        (USA, JPN, 3, "THREATEN\nСША пригрозили Японії."),
        (KISHIDA, JPN, None, "holdsOfficeIn\nПрем'єр Японії Кісіда."),
    ],
)
def test_view_edge_colour_arrow_and_tooltip(source, target, quad, title):
    (edge,) = [e for e in _dataset(_page(_actor_graph()), "edges") if (e["from"], e["to"]) == (source, target)]
    assert (edge["color"], edge["title"], edge["arrows"]) == (QUAD_COLOURS[quad], title, "to")


@pytest.mark.parametrize("quad, shade", [(1, "green"), (2, "green"), (3, "red"), (4, "red"), (None, "grey")])
def test_view_quad_palette_shades(quad, shade):
    red, green, blue = (int(QUAD_COLOURS[quad][i:i + 2], 16) for i in (1, 3, 5))
    dominant = {"green": green > max(red, blue), "red": red > max(green, blue), "grey": red == green == blue}
    assert dominant[shade]


@pytest.mark.parametrize("largest", [JPN])
def test_view_node_size_follows_pagerank(largest):
    G = _actor_graph()
    rows = centrality_rows(G)
    sizes = {node["id"]: node["size"] for node in _dataset(render_html(G, rows), "nodes")}
    assert rows[0]["actor"] == largest
    assert sizes[largest] == max(sizes.values()) > min(sizes.values())


@pytest.mark.parametrize("iterations", [50, 300])
def test_view_physics_settles_then_stops(iterations):
    G = _actor_graph()
    page = render_html(G, centrality_rows(G), stabilization_iterations=iterations)
    (options,) = re.findall(r"var options = (\{.*?\});\n", page)
    stabilization = json.loads(options)["physics"]["stabilization"]
    assert stabilization["enabled"] and stabilization["iterations"] == iterations
    assert re.search(r'network\.once\("stabilizationIterationsDone".*?physics: \{enabled: false\}', page, re.S)


@pytest.mark.parametrize("kinds", [["State", "Person"]])
def test_view_legend_lists_kinds_and_quads(kinds):
    page = _page(_actor_graph())
    (legend,) = re.findall(r'<div id="legend">.*?</div></div>', page, re.S)
    for kind in kinds:
        assert KIND_COLOURS[kind] in legend and kind in legend
    assert "material conflict" in legend and QUAD_COLOURS[4] in legend


@pytest.mark.parametrize("kind", ["<b>Weird</b>"])
def test_view_legend_escapes_unknown_kind(kind):
    G = _actor_graph()
    G.nodes[USA]["kind"] = kind
    page = _page(G)
    assert kind not in page and "&lt;b&gt;Weird&lt;/b&gt;" in page


@pytest.mark.parametrize("graph", [nx.MultiDiGraph()])
def test_view_empty_graph(graph):
    page = render_html(graph, [])
    assert _dataset(page, "nodes") == [] and _dataset(page, "edges") == []
