"""Per-article extraction: a parsed Doc in, an ArticleExtraction out.

A pure function of one article and the pipeline, so it can be cached and
run in parallel.
"""

from kg.extract.article import extract_article

__all__ = ["extract_article"]
