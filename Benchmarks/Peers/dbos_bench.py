"""DBOS Transact (Python) on the peer benchmark's workloads; run by peers.py.

    python dbos_bench.py sqlite|postgres DATABASE_URL steps RUNS STEPS
    python dbos_bench.py sqlite|postgres DATABASE_URL latency RUNS
    python dbos_bench.py sqlite|postgres DATABASE_URL parked RUNS

Workflows and steps are async (`@DBOS.workflow()` / `@DBOS.step()` coroutines), started with
`DBOS.start_workflow_async`. On SQLite every connection of DBOS's engine is put in WAL mode with
synchronous=FULL (checked, and reported in the result); on PostgreSQL the server's fsync and
synchronous_commit are reported. Output: see peer_protocol.py.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import sys
import time
import typing

import sqlalchemy as sa
import sqlalchemy.event
from dbos import DBOS, DBOSConfig

import peer_protocol

SQLITE_PRAGMAS: dict[str, str] = {}


@sqlalchemy.event.listens_for(sa.engine.Engine, "connect")
def _durable_sqlite(dbapi_connection: typing.Any, _record: typing.Any) -> None:
    """WAL and synchronous=FULL on every SQLite connection DBOS opens."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    journal = dbapi_connection.execute("PRAGMA journal_mode=WAL").fetchone()
    dbapi_connection.execute("PRAGMA synchronous=FULL")
    synchronous = dbapi_connection.execute("PRAGMA synchronous").fetchone()
    SQLITE_PRAGMAS["journal_mode"] = str(journal[0] if journal else "?")
    SQLITE_PRAGMAS["synchronous"] = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(
        int(synchronous[0]) if synchronous else -1, "?"
    )


first_step_times: dict[int, float] = {}
first_step_arrived = asyncio.Event()


@DBOS.step()
async def trivial(index: int) -> int:
    return index


@DBOS.workflow()
async def steps_workflow(count: int) -> int:
    total = 0
    for index in range(count):
        total += await trivial(index)
    return total


@DBOS.step()
async def first(index: int) -> None:
    first_step_times[index] = time.perf_counter()
    first_step_arrived.set()


@DBOS.workflow()
async def latency_workflow(index: int) -> None:
    await first(index)


@DBOS.workflow()
async def sleeper_workflow() -> None:
    await DBOS.sleep_async(3600)


def durability(backend: str, url: str) -> str:
    if backend == "sqlite":
        return f"SQLite journal_mode={SQLITE_PRAGMAS.get('journal_mode')} synchronous={SQLITE_PRAGMAS.get('synchronous')}"
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        fsync = connection.execute(sa.text("SHOW fsync")).scalar()
        commit = connection.execute(sa.text("SHOW synchronous_commit")).scalar()
        method = connection.execute(sa.text("SHOW wal_sync_method")).scalar()
    engine.dispose()
    return f"PostgreSQL fsync={fsync} synchronous_commit={commit} wal_sync_method={method}"


def parked_count(backend: str, url: str, engine: sa.Engine) -> int:
    """Sleeping workflows whose wake-up time is recorded (their only operation output)."""
    table = "operation_outputs" if backend == "sqlite" else "dbos.operation_outputs"
    with engine.connect() as connection:
        value = connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar()
    return int(value or 0)


async def run_steps(runs: int, steps: int) -> None:
    window = peer_protocol.Window()
    window.begin()
    handles = [await DBOS.start_workflow_async(steps_workflow, steps) for _ in range(runs)]
    expected = steps * (steps - 1) // 2
    for handle in handles:
        if await handle.get_result() != expected:
            raise SystemExit("a workflow returned a wrong total")
    window.result(runs=runs, steps=steps)


async def run_latency(runs: int) -> None:
    latencies: list[float] = []
    window = peer_protocol.Window()
    window.begin()
    for index in range(runs):
        first_step_arrived.clear()
        sent = time.perf_counter()
        await DBOS.start_workflow_async(latency_workflow, index)
        while index not in first_step_times:
            await asyncio.wait_for(first_step_arrived.wait(), timeout=60)
            first_step_arrived.clear()
        latencies.append((first_step_times[index] - sent) * 1000)
    latencies.sort()
    window.result(runs=runs, p50=peer_protocol.percentile(latencies, 0.5), p99=peer_protocol.percentile(latencies, 0.99))


async def run_parked(backend: str, url: str, runs: int) -> None:
    reader_url = url if backend == "sqlite" else url.replace("postgresql://", "postgresql+psycopg://", 1)
    reader = sa.create_engine(reader_url)
    window = peer_protocol.Window()
    window.begin()
    for _ in range(runs):
        await DBOS.start_workflow_async(sleeper_workflow)
    while parked_count(backend, url, reader) < runs:
        await asyncio.sleep(0.1)
    reader.dispose()
    window.result(runs=runs)


async def main(arguments: list[str]) -> None:
    if len(arguments) < 4 or arguments[0] not in ("sqlite", "postgres"):
        raise SystemExit(__doc__)
    backend, url, workload = arguments[0], arguments[1], arguments[2]
    numbers = [int(text) for text in arguments[3:]]
    logging.getLogger("dbos").setLevel(logging.WARNING)
    config: DBOSConfig = {"name": "peer-bench", "system_database_url": url, "log_level": "WARNING"}
    DBOS(config=config)
    DBOS.launch()
    print("DURABILITY " + durability(backend, url), flush=True)
    if workload == "steps" and len(numbers) == 2:
        await run_steps(numbers[0], numbers[1])
    elif workload == "latency" and len(numbers) == 1:
        await run_latency(numbers[0])
    elif workload == "parked" and len(numbers) == 1:
        await run_parked(backend, url, numbers[0])
    else:
        raise SystemExit(__doc__)
    await asyncio.to_thread(peer_protocol.wait_for_release)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
