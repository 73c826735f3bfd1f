"""Draw the actor graph as one self-contained HTML page (vis-network), usable offline.

The page shows the ``top`` most central actors at positions computed in Python (:mod:`kg.layout`;
physics stays off, so nothing jiggles and 10,000 actors open in seconds), with a legend that is
also the filter (actor kinds, quad classes, event and relation types), a search box, and a profile
of the actor one clicks: its figures and its events in and out with the evidence sentence and the
news item. Nodes are coloured by actor kind and sized by PageRank; edges by PLOVER quad class.

Every string from the news reaches the page inside one JSON block whose ``<``, ``>``, ``&`` and
``'`` are written as ``\\u003c``..., so it can neither end the block nor become markup; the page's
script shows it with ``textContent`` and vis-network's plain-text titles. The vis-network script
and style are pyvis's local copies, inlined: the page asks the network for nothing.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from importlib.resources import files
from pathlib import Path
from string import Template

import networkx as nx
import pyvis

from kg.layout import positions

DEFAULT_TOP = 300
KIND_COLOURS = {
    "State": "#1f77b4",
    "Person": "#ff7f0e",
    "GovernmentBody": "#9467bd",
    "ArmedForces": "#8c564b",
    "IntelligenceAgency": "#17becf",
    "MediaOutlet": "#bcbd22",
    "InternationalOrganization": "#e377c2",
    "ArmedGroup": "#d62728",
    "Organization": "#2ca02c",
    "Actor": "#7f7f7f",
}
OTHER_KIND_COLOUR = "#c7c7c7"
QUAD_COLOURS = {1: "#74c476", 2: "#238b45", 3: "#fb6a4a", 4: "#a50f15", None: "#9e9e9e"}
QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
    None: "no quad class (office, membership, ...)",
}
NODE_SIZE = (8.0, 40.0)  # smallest and largest PageRank
VIS_NETWORK = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"

_ANY_EXTERNAL = re.compile(
    r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//""", re.IGNORECASE
)


def render_html(G: nx.Graph, rows: list[dict], title: str = "geokg", top: int = DEFAULT_TOP,
                paths: dict | None = None) -> str:
    """The page drawing ``G`` (as made by :func:`kg.project.project`), its ``top`` actors by the
    order of ``rows`` (as made by :func:`kg.analytics.centrality_rows`; actors without a row come
    last); ``paths`` maps news item IRIs to the files they were read from.

    Example: ``render_html(G, centrality_rows(G))``; the caller writes the string to a file.
    """
    view = page_data(G, rows, top=top, paths=paths)
    return fill_page(view, title)


def page_data(G: nx.Graph, rows: list[dict], top: int = DEFAULT_TOP, paths: dict | None = None) -> dict:
    """What the page shows, as plain data: ``actors`` (the drawn ones, most central first, then the
    hidden actors their edges reach), ``edges`` (every edge with a drawn end; ``source``/``target``
    index ``actors``), ``items`` (the news items the edges cite), and the counts ``shown``,
    ``total``, ``hidden``.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("a", "b"), ("c", "b")])
    >>> view = page_data(G, [], top=2)
    >>> view["shown"], view["total"], view["hidden"]
    (2, 3, 1)
    >>> [(actor["iri"], actor["shown"]) for actor in view["actors"]]
    [('a', True), ('b', True), ('c', False)]
    """
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    measures = {row["actor"]: dict(row, rank=rank) for rank, row in enumerate(rows, start=1)}
    ranked = sorted(G, key=lambda node: (measures.get(str(node), {}).get("rank", len(rows) + 1), str(node)))
    shown = ranked[:top]
    drawn = set(shown)
    edges = [(u, v, attributes) for u, v, attributes in G.edges(data=True) if u in drawn or v in drawn]
    reached = {node for u, v, _ in edges for node in (u, v)} - drawn
    order = shown + [node for node in ranked if node in reached]
    index = {node: i for i, node in enumerate(order)}
    xy = positions(G.subgraph(shown))
    sizes = _node_sizes(G, rows)
    items = _cited_items(G, edges, paths or {})
    item_index = {iri: i for i, iri in enumerate(items)}
    actors = []
    for i, node in enumerate(order):
        actor = _actor(G, node, measures.get(str(node), {}))
        actor.update(id=i, shown=node in drawn)
        if node in drawn:
            actor.update(x=round(xy[node][0], 3), y=round(xy[node][1], 3), size=round(sizes[node], 2),
                         colour=KIND_COLOURS.get(actor["kind"], OTHER_KIND_COLOUR))
        actors.append(actor)
    return {
        "shown": len(shown),
        "total": G.number_of_nodes(),
        "hidden": G.number_of_nodes() - len(shown),
        "actors": actors,
        "edges": [_edge(i, index[u], index[v], attributes, item_index) for i, (u, v, attributes) in enumerate(edges)],
        "items": [dict(items[iri], iri=iri) for iri in items],
        "quads": [{"quad": quad, "name": QUAD_NAMES[quad], "colour": colour} for quad, colour in QUAD_COLOURS.items()],
    }


def fill_page(view: dict, title: str) -> str:
    """The page of :func:`page_data`'s ``view``: template, vis-network, style and script inlined."""
    assets = files("kg") / "view_assets"
    parts = {
        "vis_js": (VIS_NETWORK / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": (VIS_NETWORK / "vis-network.css").read_text(encoding="utf-8"),
        "view_js": (assets / "view.js").read_text(encoding="utf-8"),
        "view_css": (assets / "view.css").read_text(encoding="utf-8"),
    }
    for name, text in parts.items():
        if re.search(r"</(?:script|style)", text, re.IGNORECASE):
            raise RuntimeError(f"{name} would end its element early: cannot inline it")
    template = Template((assets / "page.html").read_text(encoding="utf-8"))
    status = status_line(view["total"], view["shown"])
    fill = dict(title=html.escape(title), status=html.escape(status), filters=_filters(view), **parts)
    # the news JSON is left out of the check: escaped, it cannot reference anything
    if _ANY_EXTERNAL.search(template.substitute(fill, data="")):
        raise RuntimeError("the page would load something from the network")
    return template.substitute(fill, data=_script_json(view))


def status_line(total: int, top: int = DEFAULT_TOP) -> str:
    """How many of ``total`` actors the page draws when it draws at most ``top``.

    Examples
    --------
    >>> status_line(10000, 300)
    'showing 300 of 10000 actors (9700 hidden; raise with --top)'
    >>> status_line(19)
    'showing all 19 actors'
    """
    if total > top:
        return f"showing {top} of {total} actors ({total - top} hidden; raise with --top)"
    return f"showing all {total} actors"


def _actor(G: nx.Graph, node, measures: dict) -> dict:
    attributes = G.nodes[node]
    country = attributes.get("country")
    return {
        "iri": str(node),
        "label": str(attributes.get("label") or node),
        "label_en": attributes.get("label_en"),
        "kind": attributes.get("kind"),
        "wikidata": attributes.get("wikidata"),
        "country": (G.nodes[country].get("label") if country in G else None) or country,
        **{name: measures.get(name) for name in ("rank", "pagerank", "betweenness", "degree", "in_degree",
                                                  "out_degree")},
    }


def _edge(i: int, source: int, target: int, attributes: dict, item_index: dict) -> dict:
    return {
        "id": i,
        "source": source,
        "target": target,
        "kind": str(attributes.get("kind") or ""),
        "quad": attributes.get("quad"),
        "family": "relation" if attributes.get("relation") else "event",
        "date": attributes.get("date"),
        "mode": attributes.get("mode"),
        "evidence": attributes.get("evidence"),
        "item": item_index.get(attributes.get("item")),
        "iri": attributes.get("event") or attributes.get("relation"),
    }


def _cited_items(G: nx.Graph, edges: list, paths: dict) -> dict:
    """Item IRI -> its description (``G.graph["items"]`` plus ``path``), for the items ``edges`` cite."""
    known = G.graph.get("items", {})
    cited = sorted({attributes["item"] for _, _, attributes in edges if attributes.get("item")})
    return {iri: dict(known.get(iri, {}), path=paths.get(iri)) for iri in cited}


def _node_sizes(G: nx.Graph, rows: list[dict]) -> dict:
    ranks = {row["actor"]: row["pagerank"] for row in rows}
    top = max(ranks.values(), default=0.0)
    smallest, largest = NODE_SIZE
    return {
        node: smallest + (largest - smallest) * (ranks.get(str(node), 0.0) / top if top > 0 else 0.0)
        for node in G
    }


def _filters(view: dict) -> str:
    """The legend, which is also the filter: one checkbox per actor kind, quad class and event type
    the drawn graph holds, each with its colour and count."""
    drawn = [actor for actor in view["actors"] if actor["shown"]]
    drawn_edges = [edge for edge in view["edges"]
                   if view["actors"][edge["source"]]["shown"] and view["actors"][edge["target"]]["shown"]]
    kinds = Counter(actor["kind"] or "" for actor in drawn)
    quads = Counter(edge["quad"] for edge in drawn_edges)
    types = Counter(edge["kind"] for edge in drawn_edges)
    groups = [
        ("Actors", "kind", [(kind, kind or "other", _swatch("swatch", KIND_COLOURS.get(kind, OTHER_KIND_COLOUR)), n)
                            for kind, n in sorted(kinds.items())]),
        ("Quad class", "quad", [("none" if quad is None else str(quad), QUAD_NAMES[quad],
                                 _swatch("line", colour), quads.get(quad, 0))
                                for quad, colour in QUAD_COLOURS.items()]),
        ("Event and relation types", "type", [(kind, kind, "", n) for kind, n in sorted(types.items())]),
    ]
    return "\n".join(
        f"<fieldset><legend>{heading}</legend>"
        + "".join(
            f'<label><input type="checkbox" name="{name}" value="{html.escape(value)}" checked>{swatch}'
            f'{html.escape(text)} <span class="count">({count})</span></label>'
            for value, text, swatch, count in entries
        )
        + "</fieldset>"
        for heading, name, entries in groups
    )


def _swatch(shape: str, colour: str) -> str:
    return f'<span class="{shape}" style="background:{colour}"></span>'


def _script_json(value) -> str:
    """JSON that is safe inside a <script> element: no ``<``, ``>``, ``&`` or ``'`` left raw."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&'":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text
