"""The peer benchmark's served Python app on the official Inngest SDK, driven by `inngest dev`.

Started by peers.py. Environment:
  PY_PORT            listen port on 127.0.0.1 (default 13951)
  INNGEST_BASE_URL   origin of the dev server (both the server and the event API)
  PEERS_UDP_PORT     where `first-step` reports the run's index (one UDP datagram to 127.0.0.1)

Functions (as the Swift app's): `steps` on bench/steps {"steps": S}, S trivial steps;
`first-step` on bench/latency {"i": index}, one step that reports the index; `sleeper` on
bench/sleep, one 1-hour sleep. GET /healthz answers when the app is up.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
import sys

import fastapi
import inngest
import inngest.fast_api
import uvicorn

logging.basicConfig(level=logging.WARNING, stream=sys.stdout)
log = logging.getLogger("peer-bench-python")

BASE_URL = os.environ.get("INNGEST_BASE_URL", "").strip() or "http://127.0.0.1:8288"
UDP_TARGET = ("127.0.0.1", int(os.environ.get("PEERS_UDP_PORT", "13959")))
reporter = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

client = inngest.Inngest(
    app_id="peer-bench-python",
    is_production=False,
    api_base_url=BASE_URL,
    event_api_base_url=BASE_URL,
    logger=log,
)


def _count(data: object, key: str) -> int:
    if isinstance(data, dict):
        value = data.get(key)
        if isinstance(value, int):
            return value
    return -1


@client.create_function(fn_id="steps", trigger=inngest.TriggerEvent(event="bench/steps"))
async def steps(ctx: inngest.Context) -> int:
    total = 0
    for index in range(max(0, _count(ctx.event.data, "steps"))):

        async def body(value: int = index) -> int:
            return value

        total += await ctx.step.run("step", body)
    return total


@client.create_function(fn_id="first-step", trigger=inngest.TriggerEvent(event="bench/latency"))
async def first_step(ctx: inngest.Context) -> None:
    index = _count(ctx.event.data, "i")

    async def body() -> None:
        reporter.sendto(str(index).encode(), UDP_TARGET)

    await ctx.step.run("first", body)


@client.create_function(fn_id="sleeper", trigger=inngest.TriggerEvent(event="bench/sleep"))
async def sleeper(ctx: inngest.Context) -> None:
    await ctx.step.sleep("nap", datetime.timedelta(hours=1))


app = fastapi.FastAPI()
inngest.fast_api.serve(app, client, [steps, first_step, sleeper])


@app.get("/healthz")
async def healthz() -> dict[str, bool]:
    return {"ok": True}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("PY_PORT", "13951")), log_level="warning")
