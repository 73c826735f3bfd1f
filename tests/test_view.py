"""kg.view: a self-contained, offline, escaped HTML page of the actor graph (checked without a browser;
tests/test_browser.py opens it in one)."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
import pyvis

from kg.analytics import centrality_rows
from kg.cli import main
from kg.view import DEFAULT_TOP, KIND_COLOURS, QUAD_COLOURS, page_data, render_html

JPN, USA, KISHIDA = (f"https://w3id.org/geokg/id/actor/{name}" for name in ("jpn", "usa", "fumio-kishida"))
ITEM = "https://w3id.org/geokg/id/item/i1"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
VIS_JS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"


def _actor_graph(label=None, evidence=None, title=None):
    G = nx.MultiDiGraph(items={ITEM: {"id": "i1", "title": title or "Японія і США", "source": "Yomiuri",
                                      "date": "2024-05-01", "url": "https://example.org/news/1"}})
    G.add_node(JPN, label="Японія", label_en="Japan", kind="State", wikidata="Q17", country=None)
    G.add_node(USA, label="США", label_en="United States", kind="State", wikidata="Q30", country=None)
    G.add_node(KISHIDA, label=label or "Фуміо Кісіда", label_en="Fumio Kishida", kind="Person",
               wikidata="Q1365339", country=JPN)
    G.add_edge(JPN, USA, key="e1", kind="AID", quad=2, evidence=evidence or "Японія надала США допомогу.",
               item=ITEM, event="e1", relation=None, date="2024-05-01", mode="asserted")
    G.add_edge(USA, JPN, key="e2", kind="THREATEN", quad=3, evidence="США пригрозили Японії.",
               item=ITEM, event="e2", relation=None, date=None, mode="planned")
    G.add_edge(KISHIDA, JPN, key="r1", kind="holdsOfficeIn", quad=None, evidence="Прем'єр Японії Кісіда.",
               item=ITEM, event=None, relation="r1", date=None, mode=None)
    return G


def _page(G, **options):
    return render_html(G, centrality_rows(G), **options)


def _data(page):
    """The JSON block the page's script reads."""
    (payload,) = re.findall(r'<script type="application/json" id="geokg-data">(.*?)</script>', page, re.S)
    return json.loads(payload)


def _actors(page):
    return {actor["iri"]: actor for actor in _data(page)["actors"]}


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
        r"""\b(?:src|href)\s*=\s*["']?https?:""",
    ],
)
def test_view_no_network_resources(pattern):
    assert not re.search(pattern, _page(_actor_graph()), re.IGNORECASE)


@pytest.mark.parametrize("tag", ["script", "link", "img", "iframe"])
def test_view_no_element_loads_anything(tag):
    assert all("src" not in attrs and "href" not in attrs for name, attrs in _elements(_page(_actor_graph()))
               if name == tag)


@pytest.mark.parametrize("library", [VIS_JS, VIS_JS.with_name("vis-network.css")])
def test_view_vis_network_inlined(library):
    assert library.read_text(encoding="utf-8") in _page(_actor_graph())


@pytest.mark.parametrize(
    "label, evidence, title",
    [(IMG, SCRIPT, SCRIPT), (SCRIPT, IMG, IMG), (f"{SCRIPT}{IMG}", f"</script>{IMG}<!-- href", "</title><b>" + IMG)],
)
def test_view_news_strings_cannot_become_markup(label, evidence, title):
    page = _page(_actor_graph(label=label, evidence=evidence, title=title))
    for payload in (IMG, SCRIPT, "</script>" + IMG, "alert(2)</script>", "<!-- href", "</title><b>"):
        assert payload not in page
    assert [tag for tag, _ in _elements(page)] == [tag for tag, _ in _elements(_page(_actor_graph()))]
    # the strings are all there, escaped, and decode back exactly
    view = _data(page)
    assert {actor["iri"]: actor["label"] for actor in view["actors"]}[KISHIDA] == label
    assert evidence in {edge["evidence"] for edge in view["edges"]}
    assert view["items"][0]["title"] == title


@pytest.mark.parametrize("script", ["view.js"])
def test_view_script_writes_news_as_text_only(script):
    """The page's own script never hands a string to the HTML parser."""
    source = (Path(__file__).resolve().parents[1] / "kg" / "view_assets" / script).read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in source


@pytest.mark.parametrize(
    "actor, expected",
    [
        (KISHIDA, {"label": "Фуміо Кісіда", "kind": "Person", "country": "Японія", "wikidata": "Q1365339",
                   "colour": KIND_COLOURS["Person"], "shown": True}),
        (JPN, {"label": "Японія", "label_en": "Japan", "kind": "State", "wikidata": "Q17", "country": None,
               "colour": KIND_COLOURS["State"], "rank": 1}),
    ],
)
def test_view_actor_profile_data(actor, expected):
    found = _actors(_page(_actor_graph()))[actor]
    assert {key: found[key] for key in expected} == expected
    assert {"pagerank", "betweenness", "degree", "in_degree", "out_degree", "x", "y", "size"} <= found.keys()


@pytest.mark.parametrize(
    "source, target, expected",
    [
        (JPN, USA, {"kind": "AID", "quad": 2, "family": "event", "date": "2024-05-01", "mode": "asserted",
                    "evidence": "Японія надала США допомогу."}),
        (USA, JPN, {"kind": "THREATEN", "quad": 3, "family": "event", "date": None, "mode": "planned"}),
        (KISHIDA, JPN, {"kind": "holdsOfficeIn", "quad": None, "family": "relation", "mode": None}),
    ],
)
def test_view_edge_evidence_and_news_item(source, target, expected):
    view = _data(_page(_actor_graph(), paths={ITEM: "news/a.txt"}))
    iris = [actor["iri"] for actor in view["actors"]]
    (edge,) = [e for e in view["edges"] if (iris[e["source"]], iris[e["target"]]) == (source, target)]
    assert {key: edge[key] for key in expected} == expected
    assert view["items"][edge["item"]] == {"iri": ITEM, "id": "i1", "title": "Японія і США", "source": "Yomiuri",
                                           "date": "2024-05-01", "url": "https://example.org/news/1",
                                           "path": "news/a.txt"}


@pytest.mark.parametrize("quad, shade", [(1, "green"), (2, "green"), (3, "red"), (4, "red"), (None, "grey")])
def test_view_quad_palette_shades(quad, shade):
    red, green, blue = (int(QUAD_COLOURS[quad][i:i + 2], 16) for i in (1, 3, 5))
    dominant = {"green": green > max(red, blue), "red": red > max(green, blue), "grey": red == green == blue}
    assert dominant[shade]


@pytest.mark.parametrize("largest", [JPN])
def test_view_node_size_follows_pagerank(largest):
    G = _actor_graph()
    rows = centrality_rows(G)
    sizes = {actor["iri"]: actor["size"] for actor in _data(render_html(G, rows))["actors"]}
    assert rows[0]["actor"] == largest
    assert sizes[largest] == max(sizes.values()) > min(sizes.values())


@pytest.mark.parametrize(
    "name, value, text, count",
    [("kind", "State", "State", 2), ("kind", "Person", "Person", 1), ("quad", "2", "material cooperation", 1),
     ("quad", "none", "no quad class", 1), ("quad", "1", "verbal cooperation", 0), ("type", "AID", "AID", 1),
     ("type", "holdsOfficeIn", "holdsOfficeIn", 1)],
)
def test_view_legend_is_the_filter(name, value, text, count):
    page = _page(_actor_graph())
    (nav,) = re.findall(r'<nav id="filters".*?</nav>', page, re.S)
    pattern = (rf'<label><input type="checkbox" name="{name}" value="{re.escape(value)}" checked>'
               rf'(?:<span class="\w+" style="background:(#\w+)"></span>)?{re.escape(text)}[^<]* '
               rf'<span class="count">\({count}\)</span></label>')
    (colour,) = re.findall(pattern, nav)
    if name == "kind":
        assert colour == KIND_COLOURS[value]
    elif name == "quad":
        assert colour == QUAD_COLOURS[None if value == "none" else int(value)]
    else:
        assert colour == ""


@pytest.mark.parametrize("kind", ['<b class="x">Weird</b>'])
def test_view_legend_escapes_unknown_kind(kind):
    G = _actor_graph()
    G.nodes[USA]["kind"] = kind
    page = _page(G)
    assert kind not in page and "&lt;b class=&quot;x&quot;&gt;Weird&lt;/b&gt;" in page


@pytest.mark.parametrize("top, drawn, status", [
    (1, [JPN], "showing 1 of 3 actors (2 hidden; raise with --top)"),
    (2, [JPN, USA], "showing 2 of 3 actors (1 hidden; raise with --top)"),
    (DEFAULT_TOP, [JPN, USA, KISHIDA], "showing all 3 actors"),
])
def test_view_top_actors_and_hidden_count(top, drawn, status):
    page = _page(_actor_graph(), top=top)
    assert f'<span id="status">{status}</span>' in page
    view = _data(page)
    assert [actor["iri"] for actor in view["actors"] if actor["shown"]] == drawn
    # a hidden actor is there only as the other end of a drawn actor's event, without a position
    assert all("x" not in actor for actor in view["actors"] if not actor["shown"])
    assert all(view["actors"][e["source"]]["shown"] or view["actors"][e["target"]]["shown"] for e in view["edges"])


@pytest.mark.parametrize("top", [0, -3])
def test_view_top_must_be_positive(top):
    with pytest.raises(ValueError):
        page_data(_actor_graph(), [], top=top)


@pytest.mark.parametrize("repeat", [2])
def test_view_same_graph_same_page(repeat):
    assert len({_page(_actor_graph()) for _ in range(repeat)}) == 1


@pytest.mark.parametrize("graph", [nx.MultiDiGraph()])
def test_view_empty_graph(graph):
    page = render_html(graph, [])
    assert _data(page)["actors"] == [] and _data(page)["edges"] == []
    assert "showing all 0 actors" in page


@pytest.mark.parametrize("top, status", [("2", "showing 2 of 19 actors (17 hidden; raise with --top)")])
def test_view_build_top_option(root, tmp_path, capsys, top, status):
    assert main(["build", str(root / "seeds"), "--out", str(tmp_path), "--no-validate", "--top", top]) == 0
    assert f"graph.html: {status}\n" in capsys.readouterr().out
    page = (tmp_path / "graph.html").read_text(encoding="utf-8")
    assert f'<span id="status">{status}</span>' in page
    view = _data(page)
    with open(tmp_path / "centrality.csv", encoding="utf-8") as table:
        most_central = [line.split(",")[0] for line in table.read().splitlines()[1:int(top) + 1]]
    assert [actor["iri"] for actor in view["actors"] if actor["shown"]] == most_central
    assert {Path(item["path"]) for item in view["items"]} == {root / "seeds" / "000_b1bfc201f43079bd.txt"}


@pytest.mark.parametrize("option", ["--top N"])
def test_view_cli_top_help_gives_the_default(capsys, option):
    with pytest.raises(SystemExit):
        main(["build", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert option in help_text and f"(default: {DEFAULT_TOP})" in help_text.split(option, 1)[1]


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_view_cli_top_rejects_bad_value(capsys, value):
    with pytest.raises(SystemExit) as stop:
        main(["build", "seeds", "--top", value])
    assert stop.value.code == 2
    assert "--top" in capsys.readouterr().err
