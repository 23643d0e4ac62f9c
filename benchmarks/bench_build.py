"""How fast is `kg build` next to spaCy alone, what does a rebuild cost, how much memory?

    python benchmarks/bench_build.py --articles 1000
    python benchmarks/bench_build.py --articles 10000 --only memory   # long: in the background
    python benchmarks/bench_build.py --corpus /tmp/corpus-1k          # a corpus.py folder, reused

One run prints, on this machine's cores (`--only` picks parts):

- ratio: bare `nlp.pipe` of the plain model (`spacy.load`, no newskg
  component, its default batch size, and again at the build's batch size,
  `kg.nlp.PARSE_BATCH_SIZE`, the stricter baseline: the default's large
  batches make plain spaCy slower, by 10-40% on this machine as its memory
  is busy or not) over the article bodies, then `kg build
  --jobs 1` with validation and with `--no-validate`, each through the CLI
  in this process into a fresh folder. Model loading is left out of all
  three: the build's by a one-article warm-up build before the clock starts
  (it loads the pipeline, the gazetteer and the shapes, which the process
  keeps). Each ratio is bare seconds / build seconds, the share of spaCy's
  own throughput the build keeps; in wall time and in this process's CPU
  time, which other work on a shared machine disturbs less.
- rebuild: one article edited and `kg build` run again into the full
  build's folder, in this process; then `kg build` with nothing changed, in
  a new process (benchmarks/timed_kg.py times it from inside: interpreter
  start not counted, every import counted). Each as a share of the full build,
  and whether it meets issue 13's goal (edited ≤ 5%, unchanged ≤ 2%).
- memory: a full `kg build --jobs 2` in a new process. Its peak is the
  largest sum of RSS over the process and all its descendants, sampled from
  /proc every 0.05 s, or the main process's own high-water mark (VmHWM) if
  higher: a short peak can fall between two samples. (Not ru_maxrss: a child
  started by a large parent inherits the parent's figure across exec.)
- stages: seconds and share of each stage of the in-process builds: what the
  build reports (BuildResult.timings), plus the CLI's calls to read the
  articles and to validate, timed in the modules kg.cli takes them from; 'other' is the
  rest of the command (its summary line, the progress bar).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
import typer
from corpus import WIDE, default_folders, read_sources, write_corpus

import kg.build_validation
import kg.cli
import kg.stages
from kg.defaults import DEFAULT_MODEL
from kg.nlp import PARSE_BATCH_SIZE
from kg.stages import read_articles

TIMED_KG = Path(__file__).resolve().parent / "timed_kg.py"
PARTS = ("ratio", "rebuild", "memory")
EDIT = "\n\nOfficials said another 300 troops would arrive within weeks.\n"
SAMPLE_EVERY = 0.05  # seconds between two looks at the memory of the build's processes
EDITED_GOAL = 0.05  # of the full build's wall time (issue 13)
UNCHANGED_GOAL = 0.02
# What the CLI calls (it imports each from its module when it runs) → the stage it is.
CLI_CALLS = {
    (kg.stages, "read_articles"): "ingest",
    (kg.build_validation, "validate_build"): "validate",
    (kg.stages, "build"): "build",
}


@dataclass
class Run:
    """One `kg build` (or bare nlp.pipe): wall and CPU seconds, stages, the summary it printed."""

    seconds: float
    cpu: float
    stages: dict[str, float] = field(default_factory=dict)
    summary: str = ""


@contextmanager
def _clocked_cli(stages: dict[str, float], built: list[Any]) -> Iterator[None]:
    """Time the CLI's reading and validation calls, and keep what its build returned."""
    originals = {(module, name): getattr(module, name) for module, name in CLI_CALLS}

    def clocked(stage: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            result = call(*args, **kwargs)
            if stage == "build":
                built.append(result)
            else:
                stages[stage] = time.perf_counter() - started
            return result

        return run

    for (module, name), call in originals.items():
        setattr(module, name, clocked(CLI_CALLS[module, name], call))
    try:
        yield
    finally:
        for (module, name), call in originals.items():
            setattr(module, name, call)


def kg_here(*args: str) -> Run:
    """`kg ARGS` in this process, with its stages."""
    stages: dict[str, float] = {}
    built: list[Any] = []
    printed = io.StringIO()
    command = typer.main.get_command(kg.cli.app)
    with _clocked_cli(stages, built), redirect_stdout(printed), redirect_stderr(printed):
        started, cpu = time.perf_counter(), time.process_time()
        code = command.main(list(args), prog_name="kg", standalone_mode=False)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if code:
        raise SystemExit(f"kg {' '.join(args)} failed ({code}):\n{printed.getvalue()}")
    reported = dict(getattr(built[0], "timings", {})) if built else {}
    ordered = {"ingest": stages.pop("ingest", 0.0), **reported, **stages}
    ordered["other"] = seconds - sum(ordered.values())
    return Run(seconds, cpu, ordered, _summary(printed.getvalue()))


def kg_process(work: Path, *args: str) -> tuple[dict[str, Any], TreeMemory, str]:
    """`kg ARGS` in a new process: what it reports of itself, its tree's memory, its summary."""
    with (work / "stdout.txt").open("w") as out, (work / "stderr.txt").open("w") as err:
        process = subprocess.Popen([sys.executable, str(TIMED_KG), *args], stdout=out, stderr=err)
        memory = TreeMemory(process.pid)
        while process.poll() is None:
            memory.sample()
            time.sleep(SAMPLE_EVERY)
    report = json.loads((work / "stderr.txt").read_text().splitlines()[-1])
    if report["exit_code"]:
        raise SystemExit(f"kg {' '.join(args)} failed:\n{(work / 'stderr.txt').read_text()}")
    return report, memory, _summary((work / "stdout.txt").read_text())


def _summary(printed: str) -> str:
    """The line `kg build` sums itself up in: articles, entities, events, triples."""
    return next((line for line in printed.splitlines() if "articles read" in line), "")


@dataclass
class TreeMemory:
    """The memory of a process and all its descendants, watched from outside through /proc.

    `total_mb` is the largest sum of their RSS seen at one look; `peaks_mb`
    each process's own high-water mark (VmHWM), which no look can miss.
    Forked workers count the pages they still share with their parent twice.
    """

    root: int
    total_mb: float = 0.0
    peaks_mb: dict[int, float] = field(default_factory=dict)

    def sample(self) -> None:
        now = 0.0
        for pid in self._tree():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue  # it ended meanwhile
            fields = dict(re.findall(r"^(VmRSS|VmHWM):\s+(\d+) kB", status, re.MULTILINE))
            if fields:
                now += int(fields["VmRSS"]) / 1024
                self.peaks_mb[pid] = int(fields["VmHWM"]) / 1024
        self.total_mb = max(self.total_mb, now)

    def _tree(self) -> set[int]:
        parents: dict[int, int] = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:  # the command name may hold spaces and brackets: the fields follow the last ')'
                parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
        tree, grown = {self.root}, True
        while grown:
            children = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= children
            grown = bool(children)
        return tree


def bare_pipe(texts: list[str], model: str, batch_size: int | None = None) -> Run:
    """The plain model alone over `texts`, loading left out; at its default batch size
    unless `batch_size` is given."""
    nlp = spacy.load(model)
    started, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=batch_size):
        pass
    return Run(time.perf_counter() - started, time.process_time() - cpu)


def _machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if "model name" in line),
        "unknown CPU",
    )
    memory = next(int(line.split()[1]) for line in open("/proc/meminfo") if "MemTotal" in line)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {cpu}, {memory / 2**20:.0f} GB; load average {load}"


def _print_stages(runs: dict[str, Run]) -> None:
    names = list(dict.fromkeys(stage for run in runs.values() for stage in run.stages))
    print(f"\n{'stage':<18}" + "".join(f"{title:>22}" for title in runs))
    for stage in names:
        cells = []
        for run in runs.values():
            seconds = run.stages.get(stage)
            cells.append(f"{seconds:>12.2f} s {seconds / run.seconds:>6.1%}" if seconds else "")
        print(f"{stage:<18}" + "".join(f"{cell:>22}" for cell in cells))
    print(f"{'total':<18}" + "".join(f"{run.seconds:>12.2f} s {1:>6.1%}" for run in runs.values()))


def _corpus(args: argparse.Namespace, folder: Path) -> None:
    if args.corpus:  # copied: the rebuild edits an article
        shutil.copytree(args.corpus, folder)
    else:
        sources = read_sources(default_folders(args.wide), args.model)
        write_corpus(folder, args.articles, seed=args.seed, sources=sources)


@dataclass(frozen=True)
class Bench:
    """One corpus in a scratch folder, and the `kg build` arguments every measurement shares."""

    work: Path
    corpus: Path
    articles: int
    model: str

    def build(self, out: str, *options: str, jobs: int = 1) -> tuple[str, ...]:
        return (
            "build",
            str(self.corpus),
            "--out",
            str(self.work / out),
            "--model",
            self.model,
            "--jobs",
            str(jobs),
            *options,
        )


def measure_ratio(bench: Bench, texts: list[str], full: Run) -> Run:
    """Bare nlp.pipe, then the build with and without validation; returns the latter."""
    bare = bare_pipe(texts, bench.model)
    batched = bare_pipe(texts, bench.model, PARSE_BATCH_SIZE)
    unvalidated = kg_here(*bench.build("unvalidated", "--no-validate"))
    print(
        f"{'':<40}{'wall s':>9}{'CPU s':>9}{'ms/article':>12}{'bare/build':>12}{'(CPU)':>7}"
        f"{'batched/build':>15}{'(CPU)':>7}"
    )
    for label, run in (
        ("bare nlp.pipe (plain model)", bare),
        (f"the same, batch size {PARSE_BATCH_SIZE} (as the build)", batched),
        ("kg build --jobs 1", full),
        ("kg build --jobs 1 --no-validate", unvalidated),
    ):
        ratios = "".join(
            f"{base.seconds / run.seconds:>{width}.2f}{base.cpu / run.cpu:>7.2f}"
            for base, width in ((bare, 12), (batched, 15))
            if run not in (bare, batched)
        )
        print(
            f"{label:<40}{run.seconds:>9.1f}{run.cpu:>9.1f}"
            f"{1000 * run.seconds / bench.articles:>12.1f}{ratios}"
        )
    print(f"  {full.summary}")
    return unvalidated


def measure_rebuild(bench: Bench, full: Run) -> Run:
    """Edit one article and build again here; then build again, unchanged, in a new process."""
    edited = sorted(bench.corpus.iterdir())[bench.articles // 2]
    edited.write_text(edited.read_text(encoding="utf-8") + EDIT, encoding="utf-8")
    rebuilt = kg_here(*bench.build("full"))
    report, _, summary = kg_process(bench.work, *bench.build("full"))
    unchanged = Run(report["seconds"], report["cpu_seconds"])
    print(f"\n{'':<40}{'wall s':>9}{'CPU s':>9}{'of full build':>15}{'(CPU)':>7}")
    for label, run in (
        (f"rebuild, 1 of {bench.articles:,} articles edited", rebuilt),
        ("rebuild, nothing changed (new process)", unchanged),
    ):
        print(
            f"{label:<40}{run.seconds:>9.1f}{run.cpu:>9.1f}"
            f"{run.seconds / full.seconds:>15.1%}{run.cpu / full.cpu:>7.1%}"
        )
    print(f"  the unchanged rebuild's imports: {report['import_seconds']:.1f} s; {summary}")
    for what, run, goal in (
        (f"a rebuild after editing one article of {bench.articles:,}", rebuilt, EDITED_GOAL),
        ("an unchanged rebuild", unchanged, UNCHANGED_GOAL),
    ):
        share = run.seconds / full.seconds
        verdict = "met" if share <= goal else "NOT met"
        print(f"  {what}: {share:.1%} of the full build (goal ≤ {goal:.0%}: {verdict})")
    return rebuilt


def measure_memory(bench: Bench) -> None:
    """A full build on two worker processes, in a new process, its memory watched from here."""
    report, memory, _ = kg_process(bench.work, *bench.build("memory", jobs=2))
    worker = max((mb for pid, mb in memory.peaks_mb.items() if pid != memory.root), default=0)
    # The main process's own peak can fall between two looks; its VmHWM cannot miss it.
    peak = max(memory.total_mb, report["peak_mb"])
    print(
        f"\nkg build --jobs 2 (new process, {report['seconds']:.0f} s): peak RSS {peak:,.0f} MB"
        f" (largest sum over the process tree: {memory.total_mb:,.0f} MB; own peak of the main"
        f" process {report['peak_mb']:,.0f} MB, of the largest worker {worker:,.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="how many to generate")
    parser.add_argument("--corpus", type=Path, help="build this folder instead (see corpus.py)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--wide", type=Path, default=WIDE, help="the wide set, a source of texts")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--only", nargs="+", choices=PARTS, default=PARTS)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="newskg-bench-") as tmp:
        work = Path(tmp)
        _corpus(args, work / "corpus")
        articles, _ = read_articles([work / "corpus"])
        texts = [a.body for a in articles]
        bench = Bench(work, work / "corpus", len(articles), args.model)
        del articles
        print(f"corpus: {bench.articles:,} articles, {sum(len(t.split()) for t in texts):,} words")
        print(f"machine: {_machine()}\nmodel: {args.model}\n")
        runs: dict[str, Run] = {}
        if {"ratio", "rebuild"} & set(args.only):
            warm = work / "warm"  # the pipeline, gazetteer and shapes load here, untimed
            warm.mkdir()
            shutil.copy(sorted(bench.corpus.iterdir())[0], warm)
            kg_here("build", str(warm), "--out", str(work / "warm-out"), "--model", args.model)
            runs["full build"] = kg_here(*bench.build("full"))
        if "ratio" in args.only:
            runs["--no-validate"] = measure_ratio(bench, texts, runs["full build"])
        if "rebuild" in args.only:
            runs["edited rebuild"] = measure_rebuild(bench, runs["full build"])
        if "memory" in args.only:
            measure_memory(bench)
        if runs:
            _print_stages(runs)
        print(f"\nload average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
