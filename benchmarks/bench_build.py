"""How fast is a build next to spaCy itself, stage by stage?

    python benchmarks/bench_build.py --articles 1000 [--jobs 2] [--incremental]
    python benchmarks/bench_build.py --sample-repeat 200

Builds a generated corpus (benchmarks/corpus.py) or the sample articles
repeated, the way `kg build` does (ingest, parse and extract, resolve,
graph, every output format, the HTML view, SHACL validation), and runs bare
`nlp.pipe` of the same pipeline over the same texts in the same process as
the baseline. Prints seconds and share per stage, articles/s, words/s, peak
memory, and the ratio of the build's throughput to the baseline's. Model
loading is left out of both. With --incremental it then edits one article
and rebuilds from the cache, and prints that rebuild's share of a full build.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus  # noqa: E402

from kg.build import BuildOptions, BuildResult, build, read_articles, write_outputs  # noqa: E402
from kg.defaults import DEFAULT_MODEL  # noqa: E402
from kg.parallel import load_pipeline  # noqa: E402
from kg.validate import validate_graph  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "articles"


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024  # Linux reports KiB


def _repeat_samples(folder: Path, times: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(times):
        for sample in sorted(SAMPLES.iterdir()):
            shutil.copy(sample, folder / f"r{copy:04d}_{sample.name}")


def _baseline(texts: list[str], model: str) -> float:
    """Seconds for bare nlp.pipe of the same pipeline over the same texts."""
    _, nlp = load_pipeline(model)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - started


def _full_build(
    corpus: Path, out: Path, options: BuildOptions, *, validate: bool = True
) -> tuple[BuildResult, dict[str, float]]:
    """What `kg build` does, with every stage timed."""
    started = time.perf_counter()
    articles, skipped = read_articles([corpus])
    ingest = time.perf_counter() - started
    result = build(articles, skipped=skipped, options=options)
    write_outputs(result, out)
    stages = {"ingest": ingest, **result.timings}
    if validate:
        started = time.perf_counter()
        validate_graph(result.graph)
        stages["validate"] = time.perf_counter() - started
    return result, stages


def _print_stages(stages: dict[str, float]) -> float:
    total = sum(stages.values())
    print(f"{'stage':<16}{'seconds':>10}{'share':>9}")
    for stage, seconds in stages.items():
        print(f"{stage:<16}{seconds:>10.2f}{seconds / total:>9.1%}")
    print(f"{'total':<16}{total:>10.2f}")
    return total


def _incremental(
    corpus: Path, work: Path, options: BuildOptions, full: float, *, validate: bool
) -> None:
    cached = replace(options, cache_dir=work / "cache")
    _full_build(corpus, work / "warm-up", cached, validate=validate)
    edited = sorted(corpus.iterdir())[0]
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nTurkey will send 300 troops to Qatar.\n",
        encoding="utf-8",
    )
    result, stages = _full_build(corpus, work / "incremental", cached, validate=validate)
    rebuild = sum(stages.values())
    print(
        f"\nincremental: 1 of {len(result.articles)} articles edited, "
        f"{result.cache_hits} from the cache"
    )
    _print_stages(stages)
    print(f"incremental rebuild / full build: {rebuild / full:.1%}")


def _print_baseline(
    baseline: float, total: float, stages: dict[str, float], articles: int, words: int
) -> None:
    print(f"bare nlp.pipe: {articles / baseline:.1f} articles/s, {words / baseline:.0f} words/s")
    print(f"build throughput / bare nlp.pipe: {baseline / total:.2f}")
    if "validate" in stages:
        without = total - stages["validate"]
        print(f"  without the SHACL check (kg build --no-validate): {baseline / without:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--articles", type=int, default=1000, help="generated articles")
    source.add_argument("--sample-repeat", type=int, help="build the sample articles N times over")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--incremental", action="store_true")
    parser.add_argument("--no-validate", action="store_true", help="as kg build --no-validate")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip bare nlp.pipe (for long scale runs)"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newskg-bench-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        if args.sample_repeat:
            _repeat_samples(corpus, args.sample_repeat)
        else:
            write_corpus(corpus, args.articles)
        articles, _ = read_articles([corpus])
        texts = [a.body for a in articles]
        words = sum(len(t.split()) for t in texts)
        load_pipeline(args.model)  # loading is left out of both measurements
        baseline = None if args.no_baseline else _baseline(texts, args.model)
        options = BuildOptions(model=args.model, jobs=args.jobs)
        result, stages = _full_build(corpus, work / "out", options, validate=not args.no_validate)

        print(f"{len(articles)} articles, {words} words, jobs={args.jobs}, model={args.model}")
        total = _print_stages(stages)
        print(
            f"\nbuild: {len(articles) / total:.1f} articles/s, {words / total:.0f} words/s; "
            f"{len(result.events)} events, {len(result.entities)} entities"
        )
        print(f"per article: {1000 * total / len(articles):.0f} ms")
        if baseline is not None:
            _print_baseline(baseline, total, stages, len(articles), words)
        print(f"peak RSS: {_peak_rss_mb():.0f} MB")
        if args.incremental:
            _incremental(corpus, work, options, total, validate=not args.no_validate)


if __name__ == "__main__":
    main()
