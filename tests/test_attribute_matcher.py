"""The attribute ruler matched by column: the same annotations as spaCy's own Matcher."""

from __future__ import annotations

import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from kg.attribute_matcher import ColumnMatcher, index_attribute_rulers
from kg.defaults import DEFAULT_MODEL

TEXTS = [
    "The convoys weren't gonna wait: y'all know the 3rd Brigade left Fort Hale at dawn.",
    "There are 1,200 soldiers at the airfield, and there was a second base nearby.\n\n"
    "Let's see, c'mon   — the minister ain't saying whether he'd've agreed.",
    "“We withdrew,” she said. Officials gotta count the troops again tomorrow!",
]
ANNOTATIONS = [POS, TAG, MORPH, LEMMA, DEP, HEAD]


@pytest.fixture(scope="module")
def stock() -> Language:
    return spacy.load(DEFAULT_MODEL)


def test_a_pipeline_with_its_ruler_matched_by_column_annotates_as_spacy_does(
    stock: Language,
) -> None:
    indexed = spacy.load(DEFAULT_MODEL)
    index_attribute_rulers(indexed)
    for ours, theirs in zip(indexed.pipe(TEXTS), stock.pipe(TEXTS), strict=True):
        assert ours.to_array(ANNOTATIONS).tolist() == theirs.to_array(ANNOTATIONS).tolist()
    # its patterns are still listed and saved as given
    ruler = indexed.get_pipe("attribute_ruler")
    assert isinstance(ruler.matcher, ColumnMatcher)
    assert ruler.patterns == stock.get_pipe("attribute_ruler").patterns


def test_column_matches_are_the_matcher_s_for_every_kind_of_pattern(stock: Language) -> None:
    patterns = [
        {"patterns": [[{"TAG": "NNS"}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"LOWER": {"IN": ["troops", "soldiers"]}, "TAG": "NNS"}]], "attrs": {}},
        {"patterns": [[{"TEXT": "base", "DEP": {"NOT_IN": ["nsubj", "compound"]}}]], "attrs": {}},
        {"patterns": [[{"IS_SPACE": True}], [{"LOWER": "dawn"}]], "attrs": {}},
        {"patterns": [[{"LOWER": "fort"}, {"IS_TITLE": True}]], "attrs": {}, "index": 1},
        {"patterns": [[{"LOWER": {"REGEX": "^w[a-z]+d$"}}]], "attrs": {}},
        {"patterns": [[{"IS_PUNCT": False, "TAG": "CD"}]], "attrs": {}},
        {"patterns": [[{"TEXT": "Fort", "ORTH": "Hale"}]], "attrs": {}},  # one column, twice
        {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {}},
        {"patterns": [[{"LOWER": {"REGEX": "^y'?$"}}, {"LOWER": "all"}]], "attrs": {}},
        {  # three tokens, sets and an expression on the text
            "patterns": [[{"TAG": {"IN": ["VBD", "VBZ"]}}, {"TEXT": {"REGEX": "n['’]?t"}}, {}]],
            "attrs": {},
        },
        {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are", "was"]}}]], "attrs": {}},
        {"patterns": [[{"TAG": "CD"}, {"IS_PUNCT": False, "LOWER": "soldiers"}]], "attrs": {}},
        {"patterns": [[{"LOWER": "3rd"}, {"IS_TITLE": True, "OP": "+"}]], "attrs": {}},
    ]
    spacy_ruler = AttributeRuler(stock.vocab, name="spacy")
    spacy_ruler.add_patterns(patterns)
    column_ruler = AttributeRuler(stock.vocab, name="column")
    column_ruler.matcher = ColumnMatcher(stock.vocab)  # type: ignore[assignment]
    column_ruler.add_patterns(patterns)  # through ColumnMatcher.add, keys given as hashes
    # with the Matcher: any token ({}) and operators; rows of tokens and expressions not
    assert len(column_ruler.matcher.rest) == 2
    assert len(column_ruler.matcher.rows) == 6
    docs: list[Doc] = list(stock.pipe(TEXTS, disable=["attribute_ruler", "lemmatizer", "ner"]))
    found = [sorted(column_ruler.match(doc)) for doc in docs]
    assert found == [sorted(spacy_ruler.match(doc)) for doc in docs]
    assert all(found)
    assert column_ruler.patterns == spacy_ruler.patterns
