"""geokg: Ukrainian-language news into an RDF knowledge graph of geopolitical actors and events."""

__version__ = "0.1.0"
