"""Ingest: read article files into `Article` records, boilerplate removed, offsets kept.

`discover_articles` finds the files and names each (its article id comes
from the name), `load_article` reads one; a file that cannot be read raises
`IngestError`, which says what to do about it.
"""

from kg.ingest.errors import DuplicateArticleError, IngestError
from kg.ingest.reader import SUPPORTED_SUFFIXES, ArticleFile, discover_articles, load_article

__all__ = [
    "SUPPORTED_SUFFIXES",
    "ArticleFile",
    "DuplicateArticleError",
    "IngestError",
    "discover_articles",
    "load_article",
]
