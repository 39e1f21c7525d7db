"""``make bench``: measure Fiat's hot paths and print them against budgets.

Each benchmark module registers functions with ``@benchmark``; a function
returns a ``Measurement``. Timings live here and never in tests, because a
test that times things fails on a busy machine for no fault of the code.
"""

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

_BENCHMARKS: list[Callable[[], "Measurement"]] = []


@dataclass(frozen=True)
class Measurement:
    name: str
    unit: str
    samples: list[float]
    budget: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def benchmark(function: Callable[[], Measurement]) -> Callable[[], Measurement]:
    _BENCHMARKS.append(function)
    return function


def registered() -> list[Callable[[], Measurement]]:
    return list(_BENCHMARKS)


def time_each(action: Callable[[], object], repeat: int) -> list[float]:
    """Run ``action`` ``repeat`` times; return each run's time in milliseconds."""
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def format_table(measurements: list[Measurement]) -> str:
    header = ("what", "runs", "median", "p95", "unit", "budget")
    rows = [
        (
            m.name,
            str(len(m.samples)),
            f"{m.median:.3f}",
            f"{m.p95:.3f}",
            m.unit,
            m.budget,
        )
        for m in measurements
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(6)]
    lines = [
        " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(lines)
