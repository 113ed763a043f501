"""Temporal (Python SDK, one worker in this process) on the peer benchmark's workloads; run by
peers.py against `temporal server start-dev` (a SQLite file).

    python temporal_bench.py ADDRESS activity|local steps RUNS STEPS
    python temporal_bench.py ADDRESS activity|local latency RUNS
    python temporal_bench.py ADDRESS activity|local parked RUNS SQLITE_FILE

Each step is an activity (`activity`) or a local activity (`local`). Workflows run in the
worker without the sandbox (UnsandboxedWorkflowRunner), Temporal's fastest setting. `parked`
counts the durable timers in the server's SQLite file (read-only) until every workflow has its
1-hour timer. Output: see peer_protocol.py.
"""

from __future__ import annotations

import asyncio
import datetime
import os
import sqlite3
import sys
import time
import uuid

from temporalio import activity, workflow
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker import UnsandboxedWorkflowRunner

import peer_protocol

TASK_QUEUE = "peer-bench"
TIMEOUT = datetime.timedelta(seconds=60)

first_step_times: dict[int, float] = {}
first_step_arrived = asyncio.Event()


@activity.defn(name="trivial")
async def trivial(index: int) -> int:
    return index


@activity.defn(name="first")
async def first(index: int) -> None:
    first_step_times[index] = time.perf_counter()
    first_step_arrived.set()


@workflow.defn(name="Steps")
class StepsWorkflow:
    @workflow.run
    async def run(self, steps: int, local: bool) -> int:
        total = 0
        for index in range(steps):
            if local:
                total += await workflow.execute_local_activity(trivial, index, start_to_close_timeout=TIMEOUT)
            else:
                total += await workflow.execute_activity(trivial, index, start_to_close_timeout=TIMEOUT)
        return total


@workflow.defn(name="Latency")
class LatencyWorkflow:
    @workflow.run
    async def run(self, index: int, local: bool) -> None:
        if local:
            await workflow.execute_local_activity(first, index, start_to_close_timeout=TIMEOUT)
        else:
            await workflow.execute_activity(first, index, start_to_close_timeout=TIMEOUT)


@workflow.defn(name="Sleeper")
class SleeperWorkflow:
    @workflow.run
    async def run(self) -> None:
        await asyncio.sleep(3600)


async def run_steps(client: Client, local: bool, runs: int, steps: int) -> None:
    prefix = uuid.uuid4().hex
    window = peer_protocol.Window()
    window.begin()
    handles = await asyncio.gather(
        *(
            client.start_workflow(StepsWorkflow.run, args=[steps, local], id=f"{prefix}-{index}", task_queue=TASK_QUEUE)
            for index in range(runs)
        )
    )
    expected = steps * (steps - 1) // 2
    for total in await asyncio.gather(*(handle.result() for handle in handles)):
        if total != expected:
            raise SystemExit("a workflow returned a wrong total")
    window.result(runs=runs, steps=steps)


async def run_latency(client: Client, local: bool, runs: int) -> None:
    prefix = uuid.uuid4().hex
    latencies: list[float] = []
    window = peer_protocol.Window()
    window.begin()
    for index in range(runs):
        first_step_arrived.clear()
        sent = time.perf_counter()
        await client.start_workflow(LatencyWorkflow.run, args=[index, local], id=f"{prefix}-{index}", task_queue=TASK_QUEUE)
        while index not in first_step_times:
            await asyncio.wait_for(first_step_arrived.wait(), timeout=60)
            first_step_arrived.clear()
        latencies.append((first_step_times[index] - sent) * 1000)
    latencies.sort()
    window.result(runs=runs, p50=peer_protocol.percentile(latencies, 0.5), p99=peer_protocol.percentile(latencies, 0.99))


def timers(database: str) -> int:
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        row = connection.execute("SELECT count(*) FROM timer_info_maps").fetchone()
        return int(row[0]) if row else 0
    finally:
        connection.close()


async def run_parked(client: Client, runs: int, database: str) -> None:
    prefix = uuid.uuid4().hex
    window = peer_protocol.Window()
    window.begin()
    batch = 500
    for start in range(0, runs, batch):
        await asyncio.gather(
            *(
                client.start_workflow(SleeperWorkflow.run, id=f"{prefix}-{index}", task_queue=TASK_QUEUE)
                for index in range(start, min(runs, start + batch))
            )
        )
    while await asyncio.to_thread(timers, database) < runs:
        await asyncio.sleep(0.2)
    window.result(runs=runs)


async def main(arguments: list[str]) -> None:
    if len(arguments) < 4 or arguments[1] not in ("activity", "local"):
        raise SystemExit(__doc__)
    address, local, workload = arguments[0], arguments[1] == "local", arguments[2]
    client = await Client.connect(address)
    worker = Worker(
        client,
        task_queue=TASK_QUEUE,
        workflows=[StepsWorkflow, LatencyWorkflow, SleeperWorkflow],
        activities=[trivial, first],
        workflow_runner=UnsandboxedWorkflowRunner(),
    )
    async with worker:
        if workload == "steps" and len(arguments) == 5:
            await run_steps(client, local, int(arguments[3]), int(arguments[4]))
        elif workload == "latency" and len(arguments) == 4:
            await run_latency(client, local, int(arguments[3]))
        elif workload == "parked" and len(arguments) == 5:
            await run_parked(client, int(arguments[3]), arguments[4])
        else:
            raise SystemExit(__doc__)
        await asyncio.to_thread(peer_protocol.wait_for_release)
        sys.stdout.flush()
        os._exit(0)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
