"""The spaCy component that puts newskg's extraction on the Doc: `doc._.newskg`."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from spacy.tokens import Doc

from kg.doctext import doc_text
from kg.extract.article import extract_article
from kg.gazetteer import Gazetteer
from kg.records import Article, Segment
from kg.resources import chosen_data_files

# Set by the caller before the pipeline runs: the article the Doc's text is the body of.
ARTICLE = "newskg_article"
# Set by the component: the article's ArticleExtraction.
EXTRACTION = "newskg"

for _name in (ARTICLE, EXTRACTION):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


class BodyMismatchError(ValueError):
    """The Doc's text is not the body of the article set on it."""


def text_article(text: str) -> Article:
    """An article of `text` alone, with no file, title or date: for a Doc made from a string."""
    whole = (Segment(0, 0, len(text)),)
    return Article(source_file="", source_text=text, body=text, segments=whole)


class ArticleExtractor:
    """Runs last: reads the entities, the parse and the article, sets `doc._.newskg`.

    The article (title, date, publisher, file) is `doc._.newskg_article`,
    set by the caller on a Doc made from its body (`kg.nlp.article_doc`); a
    Doc made from plain text is read as an undated article of that text, so
    `nlp("Some sentence.")._.newskg` works. Dates are resolved against the
    article's date, so an undated text keeps only explicit dates.
    """

    def __init__(self, gazetteer: Gazetteer, data_files: Mapping[str, Path]) -> None:
        self.gazetteer = gazetteer
        self.data_files = dict(data_files)
        self.seconds = 0.0  # spent extracting: a build reports it apart from parsing

    def __call__(self, doc: Doc) -> Doc:
        started = time.perf_counter()
        text = doc_text(doc)  # the recognizer joined it already
        article = doc._.get(ARTICLE) or text_article(text)
        if article.body != text:
            raise BodyMismatchError(
                f"doc._.{ARTICLE} is not the article this Doc was made from: make the Doc "
                f"from its body (kg.nlp.article_doc), or leave doc._.{ARTICLE} unset"
            )
        with chosen_data_files(self.data_files):
            doc._.set(EXTRACTION, extract_article(article, doc, self.gazetteer))
        self.seconds += time.perf_counter() - started
        return doc
