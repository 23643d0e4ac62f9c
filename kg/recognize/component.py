"""The spaCy component that sets `doc.ents` to newskg's entities."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.gazetteer import Gazetteer
from kg.recognize.candidates import (
    GazetteerMatcher,
    ShapeMatcher,
    dateline_candidates,
    ner_candidates,
)
from kg.recognize.choose import choose


class EntityRecognizer:
    """Runs after the statistical NER: proposes candidates from every source, keeps the best.

    After it, `doc.ents` holds spans labelled with newskg's classes (Person,
    Country, Organization, MilitaryBase, Place), whose `ent_id_` is the
    gazetteer key when the gazetteer knows the entity, besides the model's
    dates and numbers.
    """

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.names = GazetteerMatcher(gazetteer)
        self.shapes = ShapeMatcher(nlp)

    def __call__(self, doc: Doc) -> Doc:
        candidates = [
            *ner_candidates(doc),
            *self.names(doc),
            *self.shapes(doc),
            *dateline_candidates(doc, self.gazetteer),
        ]
        doc.ents = choose(doc, candidates, self.gazetteer)
        return doc
