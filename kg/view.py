"""Draw the actor graph as one self-contained HTML page (pyvis / vis-network), usable offline.

Nodes are coloured by actor kind and sized by PageRank; edges are coloured by PLOVER quad class
(cooperation green, conflict red, no quad grey). Every string from the news reaches the page
either as canvas text or inside JSON whose ``<``, ``>``, ``&`` and ``'`` are written as ``\\u003c``...,
and vis-network shows a string ``title`` as plain text, so news text can neither end the script
block nor become markup.
"""

from __future__ import annotations

import html
import json
import re

import networkx as nx
from pyvis.network import Network

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
WIKIDATA_PAGE = "https://www.wikidata.org/wiki/"

# pyvis's template links bootstrap from a CDN and keeps a commented-out local vis: both dropped.
_EXTERNAL_RESOURCE = re.compile(
    r"""<!--.*?-->"""
    r"""|<link\b[^>]*?\bhref\s*=\s*["']?(?:https?:)?//[^>]*>"""
    r"""|<script\b[^>]*?\bsrc\s*=\s*["']?(?:https?:)?//[^>]*>\s*</script\s*>""",
    re.IGNORECASE | re.DOTALL,
)
_ANY_EXTERNAL = re.compile(
    r"""\b(?:src|href)\s*=\s*["']?(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//""", re.IGNORECASE
)
_STOP_PHYSICS = """
                  // settle, then stop: no endless jiggle after stabilization
                  network.once("stabilizationIterationsDone", function () {
                      network.setOptions({physics: {enabled: false}});
                  });
                  return network;"""
_ANCHORS = ("return network;", '<meta charset="utf-8">', "<body>")
_LEGEND_STYLE = """<style>
  #legend { font: 13px sans-serif; padding: 6px 10px; }
  #legend span.swatch { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px;
                        vertical-align: middle; border-radius: 6px; }
  #legend span.line { display: inline-block; width: 22px; height: 3px; margin: 0 4px 0 12px;
                      vertical-align: middle; }
</style>
"""


def render_html(G: nx.Graph, rows: list[dict], title: str = "geokg", stabilization_iterations: int = 300) -> str:
    """The page drawing ``G`` (as made by :func:`kg.project.project`) with node sizes from ``rows``
    (as made by :func:`kg.analytics.centrality_rows`; a node without a row gets the smallest size).

    Example: ``render_html(G, centrality_rows(G))``; the caller writes the string to a file.
    """
    network = Network(height="85vh", width="100%", directed=G.is_directed(), cdn_resources="in_line")
    sizes = _node_sizes(G, rows)
    for node, attributes in G.nodes(data=True):
        network.add_node(
            str(node),
            label=str(attributes.get("label") or node),
            title=_node_tooltip(G, node),
            color=KIND_COLOURS.get(attributes.get("kind"), OTHER_KIND_COLOUR),
            size=sizes[node],
        )
    for source, target, attributes in G.edges(data=True):
        network.add_edge(
            str(source),
            str(target),
            title=_edge_tooltip(attributes),
            color=QUAD_COLOURS.get(attributes.get("quad"), QUAD_COLOURS[None]),
        )
    network.options = _options(stabilization_iterations)
    return _offline(_render(network), G, title)


def _node_sizes(G: nx.Graph, rows: list[dict]) -> dict:
    ranks = {row["actor"]: row["pagerank"] for row in rows}
    top = max(ranks.values(), default=0.0)
    smallest, largest = NODE_SIZE
    return {
        node: smallest + (largest - smallest) * (ranks.get(str(node), 0.0) / top if top > 0 else 0.0)
        for node in G
    }


def _node_tooltip(G: nx.Graph, node) -> str:
    attributes = G.nodes[node]
    lines = [str(attributes.get("label") or node), str(attributes.get("kind") or "actor")]
    country = attributes.get("country")
    if country:
        known = G.nodes[country] if country in G else {}
        lines.append(f"country: {known.get('label') or country}")
    if attributes.get("wikidata"):
        lines.append(WIKIDATA_PAGE + attributes["wikidata"])
    return "\n".join(lines)


def _edge_tooltip(attributes: dict) -> str:
    head = str(attributes.get("kind") or "")
    if attributes.get("date"):
        head += f" ({attributes['date']})"
    return "\n".join(line for line in (head, attributes.get("evidence")) if line)


def _options(stabilization_iterations: int) -> dict:
    return {
        "nodes": {"shape": "dot", "font": {"size": 14}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}, "smooth": {"type": "dynamic"}},
        "physics": {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "stabilization": {"enabled": True, "iterations": stabilization_iterations, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
    }


def _render(network: Network) -> str:
    """pyvis's own template, rendered with every option that would put raw data into markup off.

    (``Network.generate_html`` switches to a popup that sets ``innerHTML`` from a node title as soon
    as some title contains "href"; a news string could do that.)
    """
    nodes, edges, _, height, width, options = network.get_network_data()
    # keep non-ASCII labels readable in the page; Jinja's |tojson still escapes < > & '
    network.templateEnv.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    template = network.templateEnv.get_template(network.path)
    return template.render(
        height=height,
        width=width,
        nodes=nodes,  # the template writes these through Jinja's html-safe |tojson
        edges=edges,
        heading="",
        options=_script_json(json.loads(options)),
        physics_enabled=True,
        use_DOT=False,
        dot_lang="",
        widget=False,
        bgcolor=network.bgcolor,
        conf=False,
        tooltip_link=False,
        neighborhood_highlight=False,
        select_menu=False,
        filter_menu=False,
        notebook=False,
        cdn_resources="in_line",
    )


def _offline(page: str, G: nx.Graph, title: str) -> str:
    """The page without network resources, with a title, the legend and the physics stop."""
    page = _EXTERNAL_RESOURCE.sub("", page)
    if _ANY_EXTERNAL.search(page) or not all(anchor in page for anchor in _ANCHORS):
        raise RuntimeError("unexpected pyvis template: cannot make the page self-contained")
    page = page.replace("return network;", _STOP_PHYSICS, 1)
    page = "<!DOCTYPE html>\n" + page.replace(
        '<meta charset="utf-8">', f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n{_LEGEND_STYLE}', 1
    )
    return page.replace("<body>", "<body>\n" + _legend(G), 1)


def _legend(G: nx.Graph) -> str:
    kinds = sorted({attributes.get("kind") or "" for _, attributes in G.nodes(data=True)})
    actors = "".join(
        f'<span class="swatch" style="background:{KIND_COLOURS.get(kind, OTHER_KIND_COLOUR)}"></span>'
        f"{html.escape(kind or 'other')}"
        for kind in kinds
    )
    quads = "".join(
        f'<span class="line" style="background:{colour}"></span>{html.escape(QUAD_NAMES[quad])}'
        for quad, colour in QUAD_COLOURS.items()
    )
    return f'<div id="legend"><div>Actors:{actors}</div><div>Events and relations:{quads}</div></div>\n'


def _script_json(value) -> str:
    """JSON that is safe inside a <script> element: no ``<``, ``>``, ``&`` or ``'`` left raw."""
    text = json.dumps(value, ensure_ascii=False)
    for char in "<>&'":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text
