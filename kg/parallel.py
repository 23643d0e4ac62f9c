"""Run per-article steps here, in worker processes, or on Dask (`Workers`).

Parse and extract is a pure function of a chunk of articles and the
pipeline's name, so every executor runs the same `extract_chunk` and
returns the same records, in the order of the articles. Extraction is the
pipeline's last component (`doc._.newskg`). Each process loads the pipeline
once and keeps it. On Dask the article graphs are made on the
workers too (`kg.chunks`).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from multiprocessing.pool import Pool
from types import FrameType
from typing import Any, TypeVar

from spacy.language import Language

from kg.defaults import Executor
from kg.extract.component import EXTRACTION
from kg.long_articles import article_pieces, join_pieces
from kg.nlp import build_pipeline, extractor, parse
from kg.records import Article, ArticleExtraction

CHUNKS_PER_WORKER = 4  # enough chunks to keep workers busy, few enough to batch nlp.pipe well
MAX_CHUNK = 64

_LOADED: dict[str, Language] = {}  # model → its pipeline, per process


class DaskNotInstalledError(RuntimeError):
    """`--executor dask` without the optional extra."""


@dataclass
class StageTimes:
    """Seconds spent in the per-article step, split so a benchmark can show where time goes."""

    nlp: float = 0.0
    extract: float = 0.0


R = TypeVar("R")
T = TypeVar("T")


def load_pipeline(model: str) -> Language:
    """The spaCy pipeline `model` with newskg's components, loaded once per process."""
    if model not in _LOADED:
        _LOADED[model] = build_pipeline(model)
    return _LOADED[model]


def extract_chunk(
    model: str, articles: Sequence[Article]
) -> tuple[list[ArticleExtraction], StageTimes]:
    """Parse and extract `articles` with the pipeline `model`; results keep no article text.

    An article too long for the pipeline is parsed and extracted in pieces
    (`kg.long_articles`).
    """
    nlp = load_pipeline(model)
    extracting = extractor(nlp)
    extracted_before = extracting.seconds
    results = []
    started = time.perf_counter()
    parts = [article_pieces(article, nlp.max_length) for article in articles]
    docs = parse(nlp, [piece for pieces in parts for _, piece in pieces])
    for article, pieces in zip(articles, parts, strict=True):
        extracted = [(offset, next(docs)._.get(EXTRACTION)) for offset, _ in pieces]
        results.append(join_pieces(article.without_text(), extracted))
    times = StageTimes(extract=extracting.seconds - extracted_before)
    times.nlp = time.perf_counter() - started - times.extract
    return results, times


def batches(items: Sequence[T], workers: int) -> list[Sequence[T]]:
    """`items` cut into runs small enough to keep `workers` busy, big enough to batch well."""
    size = max(1, min(MAX_CHUNK, -(-len(items) // (workers * CHUNKS_PER_WORKER))))
    return [items[i : i + size] for i in range(0, len(items), size)]


class Workers:
    """Where per-article tasks run: here, in worker processes, or on Dask.

    `map` runs a function over tasks and gives the results in task order.
    Processes or a Dask client start at the first `map` (a build whose
    articles all come from the cache starts none) and stop when the
    `open_workers` block ends, at once if it ends early (an error,
    Ctrl-C, SIGTERM turned into `SystemExit` by `stop_on_sigterm`), or
    when `stop_processes` is called.
    """

    def __init__(self, executor: Executor, jobs: int, scheduler: str | None) -> None:
        self.executor = executor
        self.jobs = jobs
        self.scheduler = scheduler
        self._stack = ExitStack()
        self._pool: Pool | None = None
        self._client: Any = None  # a distributed.Client, once started

    @property
    def remote(self) -> bool:
        """Whether tasks may run on other machines (results then travel as bytes)."""
        return self.executor == "dask"

    def map(self, function: Callable[..., R], tasks: Sequence[tuple[Any, ...]]) -> Iterator[R]:
        """`function(*task)` for every task, in order."""
        if not tasks:  # nothing to start processes or a Dask client for
            return iter(())
        if self.executor == "dask":
            client = self._dask()
            futures = client.map(function, *zip(*tasks, strict=True), pure=False)
            return (future.result() for future in futures)
        if self.jobs > 1:
            return self._processes().imap(_call, [(function, task) for task in tasks])
        return (function(*task) for task in tasks)

    def stop_processes(self) -> None:
        """Stop the worker processes, if any (a later `map` starts them again): each holds a
        loaded pipeline (half a gigabyte), which the stages run here after parsing never use."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.terminate()
            pool.join()

    def close(self) -> None:
        self.stop_processes()
        self._stack.close()

    def _processes(self) -> Pool:
        if self._pool is None:
            self._pool = multiprocessing.Pool(self.jobs, initializer=_worker_signals)
        return self._pool

    def _dask(self) -> Any:
        if self._client is None:
            try:
                from distributed import Client, LocalCluster
            except ImportError as err:
                raise DaskNotInstalledError(
                    "--executor dask needs the dask extra: pip install 'newskg[dask]'"
                ) from err
            if self.scheduler:
                self._client = self._stack.enter_context(Client(self.scheduler))
            else:
                cluster = LocalCluster(
                    n_workers=self.jobs, threads_per_worker=1, dashboard_address=None
                )
                self._stack.enter_context(cluster)
                self._client = self._stack.enter_context(Client(cluster))
        return self._client


@contextmanager
def open_workers(
    executor: Executor = "local", jobs: int = 1, scheduler: str | None = None
) -> Iterator[Workers]:
    """Workers for one build; every process or client they started is stopped on leaving."""
    workers = Workers(executor, jobs, scheduler)
    try:
        yield workers
    finally:
        workers.close()


def run_extraction(
    articles: Sequence[Article],
    model: str,
    workers: Workers,
    *,
    on_chunk: Callable[[int], None] | None = None,
) -> tuple[list[ArticleExtraction], StageTimes]:
    """Extract every article, in order, on `workers`."""
    if not articles:
        return [], StageTimes()
    tasks = [(model, chunk) for chunk in batches(articles, workers.jobs)]
    results: list[ArticleExtraction] = []
    total = StageTimes()
    for extractions, times in workers.map(extract_chunk, tasks):
        results.extend(extractions)
        total.nlp += times.nlp
        total.extract += times.extract
        if on_chunk:
            on_chunk(len(extractions))
    return results, total


def _call(job: tuple[Callable[..., R], tuple[Any, ...]]) -> R:
    function, task = job
    return function(*task)


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
