"""Run `kg ARGS` and report, as the last line on stderr, what it cost from inside the process.

    python benchmarks/timed_kg.py build articles --out /tmp/out

The clock starts when this script starts, so the interpreter's own start is
not counted; importing the CLI (and whatever it imports) is, both inside
`seconds` and on its own as `import_seconds`. `cpu_seconds` (this process and
the workers it waited for) counts from the interpreter's start, a few hundredths
more. `peak_mb` is this process's peak RSS, its high-water mark VmHWM: not
ru_maxrss, which on Linux carries over, across exec, the peak of the process
that started this one.
"""

import time

STARTED = time.perf_counter()

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402

from kg.cli import app  # noqa: E402

IMPORTED = time.perf_counter()


def _cpu_seconds() -> float:
    """User and system time of this process and of the workers it waited for."""
    own, workers = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def _high_water_mb() -> float:
    """This process's peak RSS (VmHWM, in kB in /proc), in MB."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))


def _report(code: int | str | None) -> None:
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - STARTED,
                "import_seconds": IMPORTED - STARTED,
                "cpu_seconds": _cpu_seconds(),
                "exit_code": code,
                "peak_mb": _high_water_mb(),
            }
        ),
        file=sys.stderr,
    )


if __name__ == "__main__":
    try:
        app(sys.argv[1:], prog_name="kg")
    except SystemExit as stop:
        _report(stop.code)
        raise
    _report(0)
