"""Run the per-article step — parse and extract — here, in worker processes, or on Dask.

The step is a pure function of a chunk of articles and the pipeline's name,
so every executor runs the same `extract_chunk` and returns the same
records, in the order of the articles. Each process loads the pipeline
once and keeps it.
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from types import FrameType

from spacy.language import Language

from kg.defaults import Executor
from kg.extract import extract_article
from kg.gazetteer import Gazetteer, shipped_gazetteer
from kg.long_articles import article_pieces, join_pieces
from kg.nlp import build_pipeline, parse
from kg.records import Article, ArticleExtraction

CHUNKS_PER_WORKER = 4  # enough chunks to keep workers busy, few enough to batch nlp.pipe well
MAX_CHUNK = 64

_LOADED: dict[str, tuple[Gazetteer, Language]] = {}  # model → (gazetteer, Language), per process


class DaskNotInstalledError(RuntimeError):
    """`--executor dask` without the optional extra."""


@dataclass
class StageTimes:
    """Seconds spent in the per-article step, split so a benchmark can show where time goes."""

    nlp: float = 0.0
    extract: float = 0.0


Parts = Generator[tuple[list[ArticleExtraction], StageTimes], None, None]  # chunk by chunk


def load_pipeline(model: str) -> tuple[Gazetteer, Language]:
    """The gazetteer and the spaCy pipeline `model`, loaded once per process."""
    if model not in _LOADED:
        gazetteer = shipped_gazetteer()
        _LOADED[model] = (gazetteer, build_pipeline(model))
    return _LOADED[model]


def extract_chunk(
    model: str, articles: Sequence[Article]
) -> tuple[list[ArticleExtraction], StageTimes]:
    """Parse and extract `articles` with the pipeline `model`; results keep no article text.

    An article too long for the pipeline is parsed and extracted in pieces
    (`kg.long_articles`).
    """
    gazetteer, nlp = load_pipeline(model)
    times = StageTimes()
    results = []
    started = time.perf_counter()
    parts = [article_pieces(article, nlp.max_length) for article in articles]
    docs = parse(nlp, [piece.body for pieces in parts for _, piece in pieces])
    for article, pieces in zip(articles, parts, strict=True):
        extracted = []
        for offset, piece in pieces:
            doc = next(docs)
            extract_started = time.perf_counter()
            extracted.append((offset, extract_article(piece, doc, gazetteer)))
            times.extract += time.perf_counter() - extract_started
        results.append(join_pieces(article.without_text(), extracted))
    times.nlp = time.perf_counter() - started - times.extract
    return results, times


def _chunks(articles: Sequence[Article], workers: int) -> list[Sequence[Article]]:
    size = max(1, min(MAX_CHUNK, -(-len(articles) // (workers * CHUNKS_PER_WORKER))))
    return [articles[i : i + size] for i in range(0, len(articles), size)]


def run_extraction(
    articles: Sequence[Article],
    model: str,
    *,
    jobs: int = 1,
    executor: Executor = "local",
    scheduler: str | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> tuple[list[ArticleExtraction], StageTimes]:
    """Extract every article, in order, on the chosen executor.

    `jobs` is the number of worker processes (local) or of local Dask workers
    when no `scheduler` address is given.
    """
    if not articles:
        return [], StageTimes()
    chunks = _chunks(articles, jobs)
    parts: Parts
    if executor == "dask":
        parts = _on_dask(model, chunks, scheduler, jobs)
    elif jobs > 1:
        parts = _on_processes(model, chunks, jobs)
    else:
        parts = (extract_chunk(model, chunk) for chunk in chunks)
    results: list[ArticleExtraction] = []
    total = StageTimes()
    # Closed on any exit, so an interrupted build stops its workers at once.
    with closing(parts):
        for extractions, times in parts:
            results.extend(extractions)
            total.nlp += times.nlp
            total.extract += times.extract
            if on_chunk:
                on_chunk(len(extractions))
    return results, total


def _on_processes(model: str, chunks: list[Sequence[Article]], jobs: int) -> Parts:
    """Chunks on `jobs` worker processes, results in order; the pool is terminated on exit.

    Leaving early (an error, Ctrl-C, SIGTERM turned into `SystemExit` by
    `stop_on_sigterm`) kills the workers instead of waiting for their chunks.
    """
    with multiprocessing.Pool(jobs, initializer=_worker_signals) as pool:
        yield from pool.imap(_extract_chunk, [(model, chunk) for chunk in chunks])


def _extract_chunk(
    task: tuple[str, Sequence[Article]],
) -> tuple[list[ArticleExtraction], StageTimes]:
    return extract_chunk(*task)


def _worker_signals() -> None:
    """Workers leave signals to their parent: Ctrl-C reaches the whole process group, and the
    parent terminates the pool; SIGTERM (from the parent) ends a worker at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises `SystemExit` in the main thread, as Ctrl-C raises
    `KeyboardInterrupt`, so cleanup runs: worker pools are terminated, staging folders removed.

    Exit status 143 (128 + SIGTERM), as a process killed by the signal reports.
    Outside the main thread the block runs as it is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _on_dask(
    model: str, chunks: list[Sequence[Article]], scheduler: str | None, jobs: int
) -> Parts:
    try:
        from distributed import Client, LocalCluster
    except ImportError as err:
        raise DaskNotInstalledError(
            "--executor dask needs the dask extra: pip install 'newskg[dask]'"
        ) from err
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, dashboard_address=None)
        client = Client(cluster)
    try:
        futures = client.map(extract_chunk, [model] * len(chunks), chunks, pure=False)
        for future in futures:  # in submission order, as the articles came
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
