"""The spaCy component that sets `doc.ents` to newskg's entities."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

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
from kg.resources import chosen_data_files


class EntityRecognizer:
    """Runs after the statistical NER: proposes candidates from every source, keeps the best.

    After it, `doc.ents` holds spans labelled with newskg's classes (Person,
    Country, Organization, MilitaryBase, Place), whose `ent_id_` is the
    gazetteer key when the gazetteer knows the entity, besides the model's
    dates and numbers. `data_files` are the tables its settings put in place
    of shipped ones (by table name); extraction reads them too.
    """

    def __init__(
        self, nlp: Language, gazetteer: Gazetteer, data_files: Mapping[str, Path] | None = None
    ) -> None:
        self.gazetteer = gazetteer
        self.data_files = dict(data_files or {})
        self.names = GazetteerMatcher(gazetteer)
        with chosen_data_files(self.data_files):
            self.shapes = ShapeMatcher(nlp)

    def __call__(self, doc: Doc) -> Doc:
        with chosen_data_files(self.data_files):
            candidates = [
                *ner_candidates(doc),
                *self.names(doc),
                *self.shapes(doc),
                *dateline_candidates(doc, self.gazetteer),
            ]
            doc.ents = choose(doc, candidates, self.gazetteer)
        return doc
