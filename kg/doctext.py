"""A parsed document's text, joined once.

spaCy builds `Doc.text` anew from the tokens on every access; the rules
that read the text around a token would make extraction quadratic in an
article's length.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

_KEY = "newskg_text"


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per document."""
    text = doc.user_data.get(_KEY)
    if text is None:
        text = doc.user_data[_KEY] = doc.text
    return text


def span_text(span: Span) -> str:
    """`span.text`, cut from the document's text (`doc_text`) instead of joined from tokens."""
    return doc_text(span.doc)[span.start_char : span.end_char]
