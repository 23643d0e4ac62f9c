"""The document's text, joined once, and its spans cut from it."""

from __future__ import annotations

from spacy.language import Language

from kg.doctext import doc_text, span_text


def test_doctext_span_text_matches_spacy(nlp: Language) -> None:
    text = "NATO troops left Kabul on Monday.  \n\nAbout 2,500 soldiers stayed behind.\n"
    doc = nlp(text)
    assert doc_text(doc) == text
    sentences = list(doc.sents)
    assert len(sentences) >= 2
    assert [span_text(s) for s in sentences] == [s.text for s in sentences]
    assert span_text(doc[1:3]) == "troops left"
