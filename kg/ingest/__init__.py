"""Ingest: read article files into `Article` records, boilerplate removed, offsets kept.

`discover_articles` finds the files, `load_article` reads one; a file that
cannot be read raises `IngestError`, which says what to do about it.
"""

from kg.ingest.errors import IngestError
from kg.ingest.reader import SUPPORTED_SUFFIXES, discover_articles, load_article

__all__ = ["SUPPORTED_SUFFIXES", "IngestError", "discover_articles", "load_article"]
