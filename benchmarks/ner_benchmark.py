"""Does newskg find people, organizations and places better than the model it starts from?

    python benchmarks/ner_benchmark.py eng.testb [--limit N] [--errors K]

newskg is tuned on military press releases; its entity recognition must still
beat bare spaCy on news it was never shaped for. This scores both on a public
news NER test set in CoNLL format (documents split on -DOCSTART-, sentences on
blank lines, the tag in the last column, IOB1 or IOB2), by exact span per class:

- spaCy: `doc.ents` of the plain model, PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC;
- newskg: `entity_mentions` on `build_pipeline()`'s doc, Person -> PER,
  Organization -> ORG, Country/Place/MilitaryBase -> LOC; reported as is and
  with demonym-only Country mentions ('Iraqi') left out, since CoNLL tags
  nationalities as MISC.

Gold MISC is not scored, and a prediction that is exactly a gold MISC span is
no false positive, for both systems. Each document's text is its tokens joined
by spaces and its sentences by newlines, so gold token offsets are character
offsets. `--errors K` prints K sampled false positives and negatives per class
for newskg (demonyms left out), each with its sentence, what gold and newskg
have at that place and whether bare spaCy got it right. A document on which
newskg's pipeline raises is named and scored as one where it found nothing.

The data: the CoNLL-2003 English test set (`eng.testb`, 231 Reuters stories of
December 1996, 46,435 tokens). The annotations are at
https://www.clips.uantwerpen.be/conll2003/ner/; the text is from the Reuters
RCV1 corpus, whose licence does not allow redistribution, so the file is not in
this repository. Copies are in many public GitHub repositories, e.g.
allanj/StatNLP-Projects at commit 9b2a8f25ef41f4ba7daf99a6bbce735d403a1d9d,
data/conll2003/eng.testb (md5 dcf26dde8e2891f7b17a56012e264b42).
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from kg.defaults import DEFAULT_MODEL
from kg.extract.entities import entity_mentions
from kg.gazetteer import Gazetteer, shipped_gazetteer
from kg.nlp import build_pipeline
from kg.pipeline_config import EXTRACT
from kg.records import EntityMention

CLASSES = ("PER", "ORG", "LOC")
SPACY_CLASSES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}
NEWSKG_CLASSES = {
    "Person": "PER",
    "Organization": "ORG",
    "Country": "LOC",
    "Place": "LOC",
    "MilitaryBase": "LOC",
}
BARE, NEWSKG, FAIR = "spaCy", "newskg", "newskg, demonyms out"
# What bare spaCy did with newskg's error: (newskg's is a false positive, spaCy predicts the span).
SPACY_VERDICT = {
    (True, True): "same error",
    (True, False): "avoids it",
    (False, True): "finds it",
    (False, False): "misses it too",
}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class Document:
    text: str
    gold: frozenset[Span]  # PER, ORG and LOC
    misc: frozenset[tuple[int, int]]  # gold MISC: not scored, not a false positive
    sentences: tuple[tuple[int, int], ...]


# A system's predictions for one document: each span with what the system called it.
Predictions = dict[Span, str]


def read_conll(path: Path) -> list[Document]:
    """Documents of a CoNLL-format file, text rebuilt so gold offsets are character offsets."""
    documents: list[list[list[tuple[str, str]]]] = [[[]]]  # documents of sentences of tokens
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if fields and fields[0] == "-DOCSTART-":
            documents.append([[]])
        elif fields:
            documents[-1][-1].append((fields[0], fields[-1]))
        elif documents[-1][-1]:
            documents[-1].append([])
    return [_document(sentences) for d in documents if (sentences := [s for s in d if s])]


def _document(sentences: list[list[tuple[str, str]]]) -> Document:
    """Tokens joined by spaces, sentences by newlines; IOB1 or IOB2 tags read into spans."""
    text, spans, bounds = "", [], []
    for sentence in sentences:
        text += "\n" if text else ""
        start = len(text)
        entity: Span | None = None
        for i, (token, tag) in enumerate(sentence):
            text += " " if i else ""
            begin, text = len(text), text + token
            prefix, _, kind = tag.partition("-")
            if entity and tag != "O" and prefix != "B" and entity.label == kind:
                entity = Span(entity.start, len(text), kind)
                continue
            if entity:
                spans.append(entity)
            entity = None if tag == "O" else Span(begin, len(text), kind)
        if entity:
            spans.append(entity)
        bounds.append((start, len(text)))
    return Document(
        text=text,
        gold=frozenset(s for s in spans if s.label in CLASSES),
        misc=frozenset((s.start, s.end) for s in spans if s.label == "MISC"),
        sentences=tuple(bounds),
    )


def bare_spacy(nlp: Language, text: str) -> Predictions:
    """The plain model's entities, in CoNLL's classes."""
    return {
        Span(e.start_char, e.end_char, SPACY_CLASSES[e.label_]): e.label_
        for e in nlp(text).ents
        if e.label_ in SPACY_CLASSES
    }


def newskg(nlp: Language, gazetteer: Gazetteer, text: str) -> tuple[Predictions, Predictions]:
    """newskg's entity mentions, in CoNLL's classes: as is, and without bare demonyms."""
    mentions = entity_mentions(nlp(text), gazetteer)
    found = {_span(m): _describe(m) for m in mentions}
    fair = {_span(m): _describe(m) for m in mentions if not _demonym(m, gazetteer)}
    return found, fair


def _span(mention: EntityMention) -> Span:
    return Span(mention.start, mention.end, NEWSKG_CLASSES[mention.entity_class])


def _describe(mention: EntityMention) -> str:
    known = f" {mention.gazetteer_id}" if mention.gazetteer_id else ""
    return f"{mention.entity_class}{known}"


def _demonym(mention: EntityMention, gazetteer: Gazetteer) -> bool:
    """'Iraqi' typed Country: a nationality, which CoNLL tags MISC."""
    if mention.entity_class != "Country" or mention.gazetteer_id is None:
        return False
    demonyms = gazetteer.entries[mention.gazetteer_id].demonyms
    return mention.text.casefold() in {d.casefold() for d in demonyms}


@dataclass(frozen=True, slots=True)
class Error:
    document: int
    span: Span
    false_positive: bool


def score(documents: list[Document], predicted: list[Predictions]) -> tuple[Counter, list[Error]]:
    """Counts of ('tp'|'fp'|'fn', class) over all documents, and every error."""
    counts: Counter = Counter()
    errors: list[Error] = []
    for index, (document, found) in enumerate(zip(documents, predicted, strict=True)):
        for span in found.keys() | document.gold:
            if span in found and span in document.gold:
                counts["tp", span.label] += 1
            elif span in document.gold:
                counts["fn", span.label] += 1
                errors.append(Error(index, span, false_positive=False))
            elif (span.start, span.end) not in document.misc:
                counts["fp", span.label] += 1
                errors.append(Error(index, span, false_positive=True))
    return counts, errors


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def print_table(results: dict[str, Counter], seconds: dict[str, float]) -> None:
    print(f"{'system':<22}{'class':<7}{'P':>7}{'R':>7}{'F1':>7}{'TP':>7}{'FP':>7}{'FN':>7}")
    for system, counts in results.items():
        for label in (*CLASSES, "all"):
            kinds = CLASSES if label == "all" else (label,)
            tp, fp, fn = (sum(counts[k, c] for c in kinds) for k in ("tp", "fp", "fn"))
            p, r, f1 = _prf(tp, fp, fn)
            print(f"{system:<22}{label:<7}{p:>7.1%}{r:>7.1%}{f1:>7.1%}{tp:>7}{fp:>7}{fn:>7}")
    print("('all' is micro-averaged over PER, ORG and LOC)")
    for system, took in seconds.items():
        print(f"time {system}: {took:.1f} s")


def print_errors(
    documents: list[Document],
    errors: list[Error],
    found: list[Predictions],
    bare: list[Predictions],
    sample: int,
) -> None:
    """Sampled errors per class and kind, each with its sentence and what is at that place."""
    rng = random.Random(0)
    for label in CLASSES:
        for false_positive, kind in ((True, "false positives"), (False, "false negatives")):
            pool = [
                e for e in errors if e.span.label == label and e.false_positive is false_positive
            ]
            shown = sorted(rng.sample(pool, min(sample, len(pool))), key=lambda e: e.document)
            print(f"\n== {label} {kind} of {FAIR}: {len(pool)}, {len(shown)} shown")
            for error in shown:
                document, span = documents[error.document], error.span
                gold = {s: "" for s in document.gold} | {
                    Span(*m, "MISC"): "" for m in document.misc
                }
                spacy = SPACY_VERDICT[false_positive, span in bare[error.document]]
                print(
                    f"- doc {error.document} {document.text[span.start : span.end]!r}"
                    f" | gold: {_at(document.text, span, gold)}"
                    f" | newskg: {_at(document.text, span, found[error.document])}"
                    f" | spaCy: {spacy}"
                )
                print(f"    {_in_sentence(document, span)}")


def _at(text: str, span: Span, spans: Predictions) -> str:
    """What lies over `span` among `spans`: "LOC 'Iraq' (Country country/iraq)"."""
    over = sorted(s for s in spans if s.start < span.end and span.start < s.end)
    described = (f"{s.label} {text[s.start : s.end]!r} ({spans[s]})" for s in over)
    return "; ".join(d.replace(" ()", "") for d in described) or "-"


def _in_sentence(document: Document, span: Span) -> str:
    start, end = next((s, e) for s, e in document.sentences if s <= span.start < e)
    text = document.text
    return f"{text[start : span.start]}[[{text[span.start : span.end]}]]{text[span.end : end]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("conll", type=Path, help="a CoNLL-format file, e.g. eng.testb")
    parser.add_argument("--limit", type=int, help="score only the first N documents")
    parser.add_argument("--errors", type=int, default=0, metavar="K", help="errors shown per class")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    args = parser.parse_args()

    documents = read_conll(args.conll)[: args.limit]
    texts = [d.text for d in documents]
    gold = Counter(s.label for d in documents for s in d.gold)
    print(
        f"{len(documents)} documents, gold {dict(gold)}, MISC {sum(len(d.misc) for d in documents)}"
    )

    bare_nlp, nlp, gazetteer = (
        spacy.load(args.model),
        build_pipeline(args.model),
        shipped_gazetteer(),
    )
    nlp.disable_pipe(EXTRACT)  # entities are scored, events need not be extracted
    started = time.perf_counter()  # loading is left out of both
    bare = [bare_spacy(bare_nlp, text) for text in texts]
    seconds = {BARE: time.perf_counter() - started}
    started = time.perf_counter()
    found: list[Predictions] = []
    fair: list[Predictions] = []
    for index, text in enumerate(texts):
        try:
            as_is, without_demonyms = newskg(nlp, gazetteer, text)
        except ValueError as err:  # a crash is a finding: the document counts as found nothing
            print(f"newskg failed on document {index}, scored as finding nothing: {err}")
            as_is, without_demonyms = {}, {}
        found.append(as_is)
        fair.append(without_demonyms)
    seconds[NEWSKG] = time.perf_counter() - started

    systems = {BARE: bare, NEWSKG: found, FAIR: fair}
    print_table({name: score(documents, p)[0] for name, p in systems.items()}, seconds)
    if args.errors:
        print_errors(documents, score(documents, fair)[1], fair, bare, args.errors)


if __name__ == "__main__":
    main()
