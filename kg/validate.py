"""Check a geokg graph against ``ontology/shapes.ttl``.

Validation runs pyshacl with RDFS inference over the data merged with the ontology (``geokg.ttl`` and
``plover.ttl``), so class targets reach subclasses (a ``gkg:State`` is a ``gkg:Actor``), domains type untyped nodes,
and events are checked against the PLOVER concepts they name. The input graph is never changed.

>>> from rdflib import Graph
>>> validate(Graph())[0]
True
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache

import pyshacl
import rdflib.term
from rdflib import Graph
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from kg.namespace import ontology_path


@cache
def shapes_graph() -> Graph:
    """The parsed SHACL shapes (cached; do not modify)."""
    return Graph().parse(ontology_path("shapes.ttl"))


@cache
def ontology_graph() -> Graph:
    """The parsed ontology and PLOVER scheme (cached; do not modify)."""
    graph = Graph()
    for name in ("geokg.ttl", "plover.ttl"):
        graph.parse(ontology_path(name))
    return graph


def validation_report(graph: Graph) -> tuple[bool, Graph, str]:
    """Validate ``graph``; return whether it conforms, the SHACL report graph and the report text."""
    # pyshacl's ont_graph copies only RDFS/OWL declarations into the data graph, not the PLOVER SKOS concepts that
    # events point at, so the ontology is merged into a copy of the data here instead.
    working = Graph()
    working += graph
    working += ontology_graph()
    with _rdflib_literal_converters_kept():
        conforms, report, text = pyshacl.validate(
            working,
            shacl_graph=shapes_graph(),
            inference="rdfs",
            abort_on_first=False,
            allow_warnings=False,
            inplace=True,
        )
    return bool(conforms), report, text


@contextmanager
def _rdflib_literal_converters_kept():
    # owlrl's inference installs its own lexical converters into rdflib and restores only those rdflib has itself;
    # its xsd:gMonthDay converter rejects every value, so once left behind every "--MM-DD" literal built later in
    # the process would be ill-typed.
    saved = dict(rdflib.term._toPythonMapping)
    try:
        yield
    finally:
        rdflib.term._toPythonMapping.clear()
        rdflib.term._toPythonMapping.update(saved)


def validate(graph: Graph) -> tuple[bool, str]:
    """Whether ``graph`` conforms to the geokg shapes, and the human-readable report."""
    conforms, _, text = validation_report(graph)
    return conforms, text


def violations(report: Graph) -> set[tuple[Node, Node]]:
    """The (focus node, source shape) pairs of the top-level results of a SHACL validation report graph.

    Results nested as ``sh:detail`` (why an ``sh:node`` failed) are left out: their parent result names the shape.
    """
    return {
        (report.value(result, SH.focusNode), report.value(result, SH.sourceShape))
        for validation in report.subjects(RDF.type, SH.ValidationReport)
        for result in report.objects(validation, SH.result)
    }
