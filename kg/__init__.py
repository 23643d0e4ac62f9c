"""newskg: a knowledge-graph builder for news articles.

    import kg
    built = kg.build(["articles"], "output")   # read, extract, resolve, write the files
    graph = kg.load("output")                   # a build folder or any graph file
    kg.ask(graph, "troop-levels")               # a shipped query by name, or SPARQL
    kg.draw(graph, "graph.html")                # the offline HTML view

See `kg.api`. The names load on first use, so `import kg` stays light.
These names are the public interface; every module under `kg` is internal
(the command and these calls are built from them) and may change in any release.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Build", "BuildError", "ask", "build", "draw", "load"]

if TYPE_CHECKING:
    from kg.api import Build, BuildError, ask, build, draw, load


def __getattr__(name: str) -> Any:
    if name in __all__:
        from kg import api  # noqa: PLC0415

        return getattr(api, name)
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
