"""newskg's sentence hints: paragraphs and datelines start sentences, titled names go on."""

from __future__ import annotations

from spacy.language import Language

from kg.pipeline_config import SENTENCES


def test_nlp_sentence_hints_at_paragraphs_datelines_and_titles(nlp: Language) -> None:
    text = (
        "Then Sgt. 1st Class Maria Diaz led the convoy home\n\n"
        "KABUL, Afghanistan — Troops left. Lt. Gen. Ann Roe stayed"
    )
    doc = nlp.get_pipe(SENTENCES)(nlp.make_doc(text))
    hints = {token.text: token.is_sent_start for token in doc if token.is_sent_start is not None}
    assert hints == {
        "Then": True,
        "1st": False,
        "Class": False,
        "Maria": False,
        "Diaz": False,
        "KABUL": True,
        "Troops": True,
        "Gen.": False,
        "Ann": False,
        "Roe": False,
        "stayed": False,
    }
