"""The signed view of the actor graph: cooperation and conflict counted apart.

Each edge of the projection (:func:`kg.project.project`) may carry a PLOVER ``quad`` class: 1 verbal and
2 material cooperation, 3 verbal and 4 material conflict (events by their type; the relations ``alliedWith``
and ``atWarWith`` count as 1 and 4). Offices, membership and other edges without a quad count in neither.
"""

from __future__ import annotations

import networkx as nx

COOPERATION_QUADS = (1, 2)
CONFLICT_QUADS = (3, 4)
SIGNED_COLUMNS = ("cooperation_sent", "cooperation_received", "conflict_sent", "conflict_received", "balance")


def cooperation_conflict(G: nx.Graph) -> dict:
    """Per node: the cooperation and conflict edges it sends and receives, and its balance
    ``(cooperation - conflict) / (cooperation + conflict)`` over all four counts, from +1 (only cooperation)
    to -1 (only conflict); None when the node has neither. In an undirected graph an edge counts as sent by
    one end and received by the other, in the order networkx gives.

    Examples
    --------
    >>> G = nx.MultiDiGraph([("ukr", "rus", {"quad": 4}), ("rus", "ukr", {"quad": 4}), ("jpn", "ukr", {"quad": 2})])
    >>> cooperation_conflict(G)["ukr"]
    {'cooperation_sent': 0, 'cooperation_received': 1, 'conflict_sent': 1, 'conflict_received': 1, 'balance': -0.3333333333333333}
    >>> cooperation_conflict(G)["jpn"]["balance"], cooperation_conflict(nx.MultiDiGraph([("a", "b")]))["a"]["balance"]
    (1.0, None)
    """
    counts = {node: dict.fromkeys(SIGNED_COLUMNS[:4], 0) for node in G}
    for u, v, quad in G.edges(data="quad"):
        side = "cooperation" if quad in COOPERATION_QUADS else "conflict" if quad in CONFLICT_QUADS else None
        if side:
            counts[u][f"{side}_sent"] += 1
            counts[v][f"{side}_received"] += 1
    for row in counts.values():
        cooperation = row["cooperation_sent"] + row["cooperation_received"]
        conflict = row["conflict_sent"] + row["conflict_received"]
        row["balance"] = (cooperation - conflict) / (cooperation + conflict) if cooperation + conflict else None
    return counts
