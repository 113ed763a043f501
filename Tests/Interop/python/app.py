"""The interop suite's Python app, `my-python-app`, on the official Inngest SDK.

`Tests/Interop/run.sh` starts it next to a Swift app and `inngest dev`; the
checks in `Tests/Interop/check.py` trigger its functions through the dev
server and make it call the Swift app (invoke, events) and vice versa.

Environment:
  PY_PORT            listen port (default 13939); the host is 127.0.0.1
  INNGEST_BASE_URL   origin of the dev server, used for both the server API
                     (/fn/register) and the event API (/e/<key>);
                     default http://127.0.0.1:8288
  INNGEST_EVENT_KEY  event key the SDK puts in /e/<key> (the dev server is
                     started with the same key)
  INTEROP_MODE       "dev" (default: no signing key, no signature checks) or
                     "cloud" (signed requests; needs INNGEST_SIGNING_KEY)
  INTEROP_LOG_LEVEL  Python log level (default INFO)

Routes: /api/inngest (the SDK's serve endpoint), GET /healthz, and
POST /peer/send, which hands one event or a list of `{name, data}` to the
SDK's `client.send` and answers `{"ids": [...]}`.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import sys
import typing

import fastapi
import fastapi.responses
import inngest
import inngest.fast_api
import uvicorn

# The Swift interop app's functions, typed: exported from its manifest by `inngest-codegen
# export` (Tests/Export/run.sh checks that it is up to date).
import swift_app

APP_ID = "my-python-app"
DEFAULT_BASE_URL = "http://127.0.0.1:8288"
DEFAULT_PORT = 13939
HOST = "127.0.0.1"

LOG_LEVEL = os.environ.get("INTEROP_LOG_LEVEL", "INFO").upper()
logging.basicConfig(
    level=LOG_LEVEL,
    stream=sys.stdout,
    format="%(asctime)s %(levelname)s %(name)s: %(message)s",
)
log = logging.getLogger(APP_ID)


def _cloud_mode() -> bool:
    mode = os.environ.get("INTEROP_MODE", "dev").strip().lower()
    if mode not in ("dev", "cloud"):
        raise SystemExit(f"INTEROP_MODE must be 'dev' or 'cloud', not {mode!r}")
    if mode == "cloud" and not os.environ.get("INNGEST_SIGNING_KEY"):
        raise SystemExit("INTEROP_MODE=cloud needs INNGEST_SIGNING_KEY")
    return mode == "cloud"


# Both origins are passed explicitly so that the app talks to the dev server
# the runner names, and never to Inngest's public endpoints (which the SDK
# would pick in cloud mode when no URL is configured).
BASE_URL = os.environ.get("INNGEST_BASE_URL", "").strip() or DEFAULT_BASE_URL

client = inngest.Inngest(
    app_id=APP_ID,
    is_production=_cloud_mode(),
    api_base_url=BASE_URL,
    event_api_base_url=BASE_URL,
    logger=log,
)


def _on(event: str) -> inngest.TriggerEvent:
    return inngest.TriggerEvent(event=event)


# --- functions --------------------------------------------------------------


@client.create_function(fn_id="compute-square", trigger=_on("calculate/square"))
async def compute_square(ctx: inngest.Context) -> dict[str, typing.Any]:
    number = ctx.event.data.get("number", 0)
    return {"result": number * number}  # type: ignore[operator]


@client.create_function(fn_id="multi-step", trigger=_on("test/multi-step"))
async def multi_step(ctx: inngest.Context) -> list[typing.Any]:
    value = ctx.event.data.get("value")

    async def first_step() -> dict[str, typing.Any]:
        return {"step": 1, "input": value}

    async def second_step() -> dict[str, typing.Any]:
        return {"step": 2}

    first = await ctx.step.run("first-step", first_step)
    await ctx.step.sleep("pause", datetime.timedelta(seconds=1))
    second = await ctx.step.run("second-step", second_step)
    return [first, second]


@client.create_function(fn_id="long-nap", trigger=_on("test/long-nap"))
async def long_nap(ctx: inngest.Context) -> str:
    # Sleeps an hour: the dashboard's browser test cancels it while it sleeps.
    await ctx.step.sleep("nap", datetime.timedelta(hours=1))
    return "awake"


@client.create_function(fn_id="parallel-steps", trigger=_on("test/parallel-steps"))
async def parallel_steps(ctx: inngest.Context) -> list[typing.Any]:
    def branch(step_id: str, result: str) -> typing.Callable[[], typing.Awaitable[str]]:
        async def body() -> str:
            return result

        return lambda: ctx.step.run(step_id, body)

    done = await ctx.group.parallel(
        (branch("parallel-a", "a-done"), branch("parallel-b", "b-done"))
    )
    return list(done)


@client.create_function(fn_id="wait-for-post", trigger=_on("test/wait-for-post"))
async def wait_for_post(ctx: inngest.Context) -> dict[str, typing.Any]:
    post = await ctx.step.wait_for_event(
        "wait-for-post",
        event="app/post.created",
        if_exp="event.data.user.id == async.data.user.id",
        timeout=datetime.timedelta(seconds=5),
    )
    return {
        "timedOut": post is None,
        "post": None if post is None else dict(post.data),
    }


# CEL beyond comparisons, as Inngest's server accepts it: has(), the macros, matches() and
# timestamps in the trigger's `if`, and has() with a macro in the wait's `if`. inngest dev must
# sync it (it refused has() and macros before) and evaluate both filters as the server does.
CEL_TRIGGER_IF = (
    "has(event.data.order) && event.data.order.items.exists(i, i.sku.matches('^SKU-[0-9]+$') && i.qty > 0)"
    " && timestamp(event.data.order.placed) > timestamp('2020-01-01T00:00:00Z')"
)
CEL_WAIT_IF = (
    "async.data.order_id == event.data.order.id"
    " && async.data.lines.all(l, has(l.ok) && l.ok) && async.data.lines.map(l, l.qty).exists_one(q, q > 1)"
)


@client.create_function(
    fn_id="cel-filters",
    trigger=inngest.TriggerEvent(event="test/cel-order", expression=CEL_TRIGGER_IF),
)
async def cel_filters(ctx: inngest.Context) -> dict[str, typing.Any]:
    order = typing.cast(dict[str, typing.Any], ctx.event.data["order"])
    confirmation = await ctx.step.wait_for_event(
        "wait-for-confirmation",
        event="test/cel-confirmation",
        if_exp=CEL_WAIT_IF,
        timeout=datetime.timedelta(seconds=20),
    )
    return {
        "order": order["id"],
        "confirmation": None if confirmation is None else confirmation.data.get("note"),
    }


@client.create_function(
    fn_id="always-fails", retries=0, trigger=_on("test/always-fails")
)
async def always_fails(ctx: inngest.Context) -> None:
    raise inngest.NonRetriableError("this function always fails")


@client.create_function(fn_id="flaky-step", retries=1, trigger=_on("test/flaky-step"))
async def flaky_step(ctx: inngest.Context) -> typing.Any:
    # The step fails on every attempt below event.data.failures (default 1),
    # so with the default the first attempt fails and the retry succeeds.
    failures = ctx.event.data.get("failures", 1)
    attempt = ctx.attempt

    async def flaky() -> dict[str, typing.Any]:
        if attempt < failures:  # type: ignore[operator]
            raise RuntimeError(f"flaky step fails on attempt {attempt}")
        return {"attempt": attempt}

    return await ctx.step.run("flaky", flaky)


@client.create_function(fn_id="invoker", trigger=_on("test/invoker"))
async def invoker(ctx: inngest.Context) -> dict[str, typing.Any]:
    # Through the exported module: the input is a model of compute-cube's input, and the
    # result comes back validated as its output model.
    cube = await swift_app.invoke_compute_cube(
        ctx.step, "invoke-cube", swift_app.ComputeCubeInput(number=3)
    )
    return {"invoked": cube.model_dump(), "as": type(cube).__name__}


@client.create_function(fn_id="send-event", trigger=_on("test/send-event"))
async def send_event(ctx: inngest.Context) -> dict[str, typing.Any]:
    followup = inngest.Event(name="calculate/square", data={"number": 7})
    sent = await ctx.step.send_event("send-followup", followup)
    return {"sent": sent}


# What the failure handler of `fails-with-handler` saw, by the event's token; read
# back through GET /peer/handled/<token>.
HANDLED: dict[str, typing.Any] = {}


async def _record_failure(ctx: inngest.Context) -> None:
    # The handler's event is inngest/function.failed; the original event is inside it.
    original = ctx.event.data.get("event") or {}
    token = (original.get("data") or {}).get("token", "")  # type: ignore[union-attr]
    error = ctx.event.data.get("error") or {}
    HANDLED[str(token)] = {"message": error.get("message"), "function_id": ctx.event.data.get("function_id")}  # type: ignore[union-attr]


@client.create_function(
    fn_id="fails-with-handler",
    retries=0,
    trigger=_on("test/fails-with-handler"),
    on_failure=_record_failure,
)
async def fails_with_handler(ctx: inngest.Context) -> None:
    raise inngest.NonRetriableError("failed on purpose")


# `wide` runs up to 12 step bodies at once (more than an HTTP client's default
# 8 connections per host). Each body waits until WIDE_TARGET bodies are inside
# at the same time (or a few seconds pass) and the peak is kept for the check.
WIDE_TARGET = 12
_wide = {"inside": 0, "peak": 0}
_wide_full = asyncio.Event()


@client.create_function(
    fn_id="wide",
    trigger=_on("test/wide"),
    concurrency=[inngest.Concurrency(limit=WIDE_TARGET)],
)
async def wide(ctx: inngest.Context) -> int:
    async def body() -> int:
        _wide["inside"] += 1
        _wide["peak"] = max(_wide["peak"], _wide["inside"])
        if _wide["inside"] >= WIDE_TARGET:
            _wide_full.set()
        try:
            await asyncio.wait_for(_wide_full.wait(), timeout=8)
        except asyncio.TimeoutError:
            pass
        finally:
            _wide["inside"] -= 1
        return _wide["peak"]

    return await ctx.step.run("gather", body)


@client.create_function(fn_id="burst", trigger=_on("test/burst"))
async def burst(ctx: inngest.Context) -> int:
    async def body() -> int:
        return int(ctx.event.data.get("n", 0))  # type: ignore[arg-type]

    return await ctx.step.run("one", body)


FUNCTIONS = [
    compute_square,
    multi_step,
    long_nap,
    parallel_steps,
    wait_for_post,
    cel_filters,
    always_fails,
    flaky_step,
    invoker,
    send_event,
    fails_with_handler,
    wide,
    burst,
]

# --- HTTP app ---------------------------------------------------------------

app = fastapi.FastAPI(title=APP_ID)
inngest.fast_api.serve(app, client, FUNCTIONS, serve_path="/api/inngest")


@app.get("/healthz")
async def healthz() -> dict[str, typing.Any]:
    return {"status": "ok", "app_id": APP_ID, "functions": len(FUNCTIONS)}


def _to_events(body: typing.Any) -> list[inngest.Event]:
    items = body if isinstance(body, list) else [body]
    events = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ValueError("each event needs a string 'name'")
        data = item.get("data") or {}
        if not isinstance(data, dict):
            raise ValueError("'data' must be an object")
        events.append(inngest.Event(name=item["name"], data=data))
    if not events:
        raise ValueError("no events given")
    return events


@app.get("/peer/handled/{token}")
async def peer_handled(token: str) -> typing.Any:
    return {"handled": HANDLED.get(token)}


@app.get("/peer/wide")
async def peer_wide() -> typing.Any:
    return dict(_wide)


@app.post("/peer/send")
async def peer_send(request: fastapi.Request) -> typing.Any:
    try:
        events = _to_events(await request.json())
    except ValueError as err:  # includes invalid JSON
        return fastapi.responses.JSONResponse({"error": str(err)}, status_code=400)
    ids = await client.send(events)
    log.info("peer/send: %s -> %s", [e.name for e in events], ids)
    return {"ids": ids}


def main() -> None:
    port = int(os.environ.get("PY_PORT", str(DEFAULT_PORT)))
    log.info(
        "%s serving http://%s:%d/api/inngest (server API %s, event API %s)",
        APP_ID,
        HOST,
        port,
        client.api_origin,
        client.event_api_origin,
    )
    uvicorn.run(app, host=HOST, port=port, log_level=LOG_LEVEL.lower())


if __name__ == "__main__":
    main()
