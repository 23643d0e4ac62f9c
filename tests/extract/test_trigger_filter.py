"""The string test that passes over words no trigger sense can take, before they are read."""

from __future__ import annotations

from spacy.language import Language

from kg.extract.lexicon import load_lexicon
from kg.extract.triggers import _senses, may_trigger


def test_every_word_with_a_sense_passes_and_others_do_not(nlp: Language) -> None:
    lexicon = load_lexicon()
    doc = nlp(
        "Rebels Step Up Attacks As Marines Withdraw From Outposts\n\n"
        "The army deployed 300 soldiers to the border, and the defence minister visited "
        "the camp on Tuesday before the Marines withdrew from the capital."
    )
    with_sense = [token for token in doc if _senses(token, lexicon)]
    assert {"attacks", "deployed", "visited", "withdrew"} <= {t.lower_ for t in with_sense}
    for token in with_sense:  # the filter lets through every word that can trigger
        assert may_trigger(token.lemma_, token.lower_, lexicon), token.text
    passed = {t.lower_ for t in doc if may_trigger(t.lemma_, t.lower_, lexicon)}
    assert not passed & {"army", "border", "minister", "tuesday", "capital", "rebels"}
