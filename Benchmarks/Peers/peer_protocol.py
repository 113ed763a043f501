"""What the peer runners (dbos_bench.py, temporal_bench.py) share with peers.py.

A runner prints `BEGIN` when its workload starts and `RESULT {json}` when it ends (figures:
`wall` and `cpu` seconds of the runner's own process over the workload, and `p50`/`p99` in ms
for latency), then waits until its standard input is closed, so that peers.py can measure the
memory of every process while the runs are still parked.
"""

from __future__ import annotations

import json
import resource
import sys
import time
import typing


def cpu_seconds() -> float:
    """User + system CPU seconds of this process (all its threads) so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value at `fraction` of the sorted list, as inngest-benchmarks picks it."""
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int((len(sorted_values) - 1) * fraction))]


class Window:
    """The workload's wall and CPU time, from `begin()` to `result()`."""

    def __init__(self) -> None:
        self.start = 0.0
        self.cpu_start = 0.0

    def begin(self) -> None:
        print("BEGIN", flush=True)
        self.cpu_start = cpu_seconds()
        self.start = time.perf_counter()

    def result(self, **figures: typing.Any) -> None:
        wall = time.perf_counter() - self.start
        cpu = cpu_seconds() - self.cpu_start
        print("RESULT " + json.dumps({"wall": wall, "cpu": cpu, **figures}), flush=True)


def wait_for_release() -> None:
    """Blocks until peers.py closes standard input (it has measured what it wanted)."""
    try:
        sys.stdin.read()
    except (OSError, ValueError):
        pass
