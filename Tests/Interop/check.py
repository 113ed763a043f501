#!/usr/bin/env python3
"""Interop checks: the Python SDK app and the Swift app, both driven by `inngest dev`.

Runs against live processes (Tests/Interop/run.sh starts them):

  DEV_URL        the dev server             default http://127.0.0.1:18288
  PY_URL         the Python app (app.py)    default http://127.0.0.1:13939
  EVENT_KEY      the dev server's event key default interop-key
  CHECK_TIMEOUT  seconds each check may take (default 60)
  SYNC_TIMEOUT   seconds to wait for both apps to be synced (default 60)

Usage: check.py [--list] [CHECK ...]   (no names: run every check)

Only the standard library is used. Every check starts runs by sending events
(to the dev server, or through the Python SDK's client.send) and polls the dev
server's run API until the run is final. Checks that wait run concurrently.
Prints one PASS/FAIL line per check; exits 1 when any check fails.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid
from typing import Any, Callable

DEV_URL = os.environ.get("DEV_URL", "http://127.0.0.1:18288").rstrip("/")
PY_URL = os.environ.get("PY_URL", "http://127.0.0.1:13939").rstrip("/")
EVENT_KEY = os.environ.get("EVENT_KEY", "interop-key")
CHECK_TIMEOUT = float(os.environ.get("CHECK_TIMEOUT", "60"))
SYNC_TIMEOUT = float(os.environ.get("SYNC_TIMEOUT", "60"))
# The burst check: how many runs, and the limits it holds the server to.
BURST_RUNS = int(os.environ.get("BURST_RUNS", "5000"))
BURST_TIMEOUT = float(os.environ.get("BURST_TIMEOUT", "300"))
HEALTH_LIMIT_MS = float(os.environ.get("HEALTH_LIMIT_MS", "100"))

POLL_INTERVAL = 0.25
HTTP_TIMEOUT = 10.0
FINAL = ("Completed", "Failed", "Cancelled")

PY_APP = "my-python-app"
SWIFT_APP = "swift-app"
PY_FUNCTIONS = {
    f"{PY_APP}-{fn}"
    for fn in (
        "compute-square",
        "multi-step",
        # Sleeps an hour; the dashboard's browser test uses it (no check here runs it).
        "long-nap",
        "parallel-steps",
        "wait-for-post",
        "cel-filters",
        "always-fails",
        "flaky-step",
        "invoker",
        "send-event",
        "fails-with-handler",
        # The SDK registers an on_failure handler as a function of its own.
        "fails-with-handler-failure",
        "wide",
        "burst",
    )
}
SWIFT_FUNCTIONS = {
    f"{SWIFT_APP}-{fn}"
    for fn in ("compute-cube", "square-via-python", "on-python-event", "wait-for-python")
}

# Distinguishes this invocation's correlation values (user ids, tokens) from
# those of an earlier run against the same dev server.
NONCE = uuid.uuid4().hex[:8]


class CheckFailed(Exception):
    pass


def show(value: Any, limit: int = 600) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[:limit] + "..."


# --- HTTP -------------------------------------------------------------------


def http_json(method: str, url: str, body: Any = None) -> Any:
    """Sends a request and returns the decoded JSON answer; raises CheckFailed
    on a non-2xx status, a connection error or a body that is not JSON."""

    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            raw = response.read()
    except urllib.error.HTTPError as err:
        detail = err.read().decode(errors="replace")[:400]
        raise CheckFailed(f"{method} {url}: HTTP {err.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as err:
        raise CheckFailed(f"{method} {url}: {err}") from None
    try:
        return json.loads(raw)
    except ValueError:
        text = raw.decode(errors="replace")[:400]
        raise CheckFailed(f"{method} {url}: answer is not JSON: {text!r}") from None


def expect_ids(answer: Any, count: int, what: str) -> list[str]:
    ids = answer.get("ids") if isinstance(answer, dict) else None
    if (
        not isinstance(ids, list)
        or len(ids) != count
        or not all(isinstance(i, str) and i for i in ids)
    ):
        raise CheckFailed(f"{what}: expected {count} event id(s), got {show(answer)}")
    return ids


def send_to_dev(name: str, data: dict[str, Any]) -> str:
    """Sends one event to the dev server's event API; returns its id."""

    answer = http_json("POST", f"{DEV_URL}/e/{EVENT_KEY}", {"name": name, "data": data})
    return expect_ids(answer, 1, f"sending {name} to the dev server")[0]


def send_via_python(name: str, data: dict[str, Any]) -> str:
    """Makes the Python app send one event with the SDK's client.send."""

    answer = http_json("POST", f"{PY_URL}/peer/send", {"name": name, "data": data})
    return expect_ids(answer, 1, f"sending {name} through the Python app")[0]


# --- runs -------------------------------------------------------------------


class RunWatch:
    """Polls the run that `function_id` started for `event_id`."""

    def __init__(self, event_id: str, function_id: str, deadline: float):
        self.event_id = event_id
        self.function_id = function_id
        self.deadline = deadline
        self.run: dict[str, Any] | None = None
        self.last: str = "no answer yet"

    def _get(self, path: str) -> Any:
        """GETs `path` from the dev server and returns its `data` member, or
        None after a transient failure (recorded in `last`, retried later)."""

        try:
            answer = http_json("GET", f"{DEV_URL}{path}")
        except CheckFailed as err:
            self.last = str(err)
            return None
        if not isinstance(answer, dict) or "data" not in answer:
            raise CheckFailed(f"GET {path}: expected {{\"data\": ...}}, got {show(answer)}")
        return answer["data"]

    def _refresh(self) -> None:
        if self.run is None:
            runs = self._get(f"/v1/events/{self.event_id}/runs")
            if runs is None:
                return
            if not isinstance(runs, list):
                raise CheckFailed(f"runs of event {self.event_id}: expected a list, got {show(runs)}")
            mine = [r for r in runs if isinstance(r, dict) and r.get("function_id") == self.function_id]
            if len(mine) > 1:
                raise CheckFailed(f"event {self.event_id} started {len(mine)} runs of {self.function_id}: {show(mine)}")
            if mine:
                self.run = mine[0]
                self.last = show(self.run)
            else:
                self.last = f"no run of {self.function_id} yet; runs of the event: {show(runs)}"
        else:
            run_id = self.run.get("run_id")
            run = self._get(f"/v1/runs/{run_id}")
            if run is None:
                return
            if not isinstance(run, dict) or run.get("run_id") != run_id:
                raise CheckFailed(f"GET /v1/runs/{run_id}: expected that run, got {show(run)}")
            self.run = run
            self.last = show(run)

    def _timeout(self, waiting_for: str) -> CheckFailed:
        return CheckFailed(
            f"timed out waiting for {self.function_id} (event {self.event_id}) to be "
            f"{waiting_for}; last state: {self.last}"
        )

    def status(self) -> str | None:
        return None if self.run is None else self.run.get("status")

    def until_running(self, settle: float = 1.0) -> None:
        """Returns `settle` seconds after the run is seen Running, so that the
        step it is blocked on (e.g. a wait for an event) has been reported."""

        while time.monotonic() < self.deadline:
            self._refresh()
            if self.status() == "Running":
                time.sleep(settle)
                return
            if self.status() in FINAL:
                raise CheckFailed(f"{self.function_id} ended before it was seen Running: {self.last}")
            time.sleep(POLL_INTERVAL)
        raise self._timeout("Running")

    def until_final(self) -> dict[str, Any]:
        while time.monotonic() < self.deadline:
            self._refresh()
            if self.status() in FINAL:
                assert self.run is not None
                return self.run
            time.sleep(POLL_INTERVAL)
        raise self._timeout("final (" + "/".join(FINAL) + ")")

    def completed_with(self, expected: Any) -> dict[str, Any]:
        run = self.until_final()
        if run.get("status") != "Completed":
            raise CheckFailed(f"{self.function_id} ended {run.get('status')}, expected Completed: {show(run)}")
        if run.get("output") != expected:
            raise CheckFailed(
                f"{self.function_id} output {show(run.get('output'))}, expected {show(expected)}"
            )
        return run


def watch(event_id: str, function_id: str, deadline: float) -> RunWatch:
    return RunWatch(event_id, function_id, deadline)


# --- checks -----------------------------------------------------------------
# Each check takes its deadline (a time.monotonic() value) and raises
# CheckFailed when something is wrong.


def py_compute_square(deadline: float) -> None:
    event = send_to_dev("calculate/square", {"number": 5})
    watch(event, f"{PY_APP}-compute-square", deadline).completed_with({"result": 25})


def py_multi_step(deadline: float) -> None:
    event = send_to_dev("test/multi-step", {"value": "x"})
    watch(event, f"{PY_APP}-multi-step", deadline).completed_with(
        [{"step": 1, "input": "x"}, {"step": 2}]
    )


def py_parallel_steps(deadline: float) -> None:
    event = send_to_dev("test/parallel-steps", {})
    watch(event, f"{PY_APP}-parallel-steps", deadline).completed_with(["a-done", "b-done"])


def py_wait_for_post_matched(deadline: float) -> None:
    user = {"id": f"u-1-{NONCE}"}
    event = send_to_dev("test/wait-for-post", {"user": user})
    run = watch(event, f"{PY_APP}-wait-for-post", deadline)
    run.until_running()
    post = {"user": user, "title": "hi"}
    send_to_dev("app/post.created", post)
    run.completed_with({"timedOut": False, "post": post})


def py_wait_for_post_timeout(deadline: float) -> None:
    event = send_to_dev("test/wait-for-post", {"user": {"id": f"u-2-{NONCE}"}})
    watch(event, f"{PY_APP}-wait-for-post", deadline).completed_with(
        {"timedOut": True, "post": None}
    )


def no_run_of(event_id: str, function_id: str) -> None:
    """Raises unless event `event_id` started no run of `function_id` (call it once a
    later event has started its run, so that this one has been handled)."""

    runs = http_json("GET", f"{DEV_URL}/v1/events/{event_id}/runs")
    mine = [r for r in (runs or {}).get("data") or [] if isinstance(r, dict) and r.get("function_id") == function_id]
    if mine:
        raise CheckFailed(f"event {event_id} should not have matched {function_id}'s `if`, but started {show(mine)}")


def py_cel_filters(deadline: float) -> None:
    """The Python app's trigger `if` and waitForEvent `if` use has(), macros, matches() and
    timestamps: events that fail them start or resume nothing, those that pass do."""

    function = f"{PY_APP}-cel-filters"
    order_id = f"o-{NONCE}"
    good_items = [{"sku": "SKU-1", "qty": 0}, {"sku": "SKU-22", "qty": 2}]
    # Each fails one part of the trigger's `if`: no order (has), no item whose sku matches
    # with a quantity (exists + matches), an order placed before 2020 (timestamp).
    misses = [
        send_to_dev("test/cel-order", {"other": 1}),
        send_to_dev("test/cel-order", {"order": {"id": order_id, "items": [{"sku": "sku-1", "qty": 3}],
                                                 "placed": "2026-01-01T00:00:00Z"}}),
        send_to_dev("test/cel-order", {"order": {"id": order_id, "items": good_items, "placed": "2019-12-31T23:59:59Z"}}),
    ]
    event = send_to_dev("test/cel-order", {"order": {"id": order_id, "items": good_items,
                                                     "placed": "2026-01-01T00:00:00+01:00"}})
    run = watch(event, function, deadline)
    run.until_running()
    for miss in misses:
        no_run_of(miss, function)
    # Not resumed by: another order; a line without `ok` (has); no line with qty > 1 (exists_one).
    send_to_dev("test/cel-confirmation", {"order_id": "other", "lines": [{"ok": True, "qty": 2}], "note": "other"})
    send_to_dev("test/cel-confirmation", {"order_id": order_id, "lines": [{"qty": 2}], "note": "no ok"})
    send_to_dev("test/cel-confirmation", {"order_id": order_id, "lines": [{"ok": True, "qty": 1}], "note": "qty"})
    time.sleep(1.0)
    # Still waiting (until_running raises if the run has ended, that is, was resumed).
    run.until_running(settle=0)
    send_to_dev("test/cel-confirmation", {"order_id": order_id, "lines": [{"ok": True, "qty": 2}, {"ok": True, "qty": 1}],
                                          "note": "yes"})
    run.completed_with({"order": order_id, "confirmation": "yes"})


def py_always_fails(deadline: float) -> None:
    event = send_to_dev("test/always-fails", {})
    run = watch(event, f"{PY_APP}-always-fails", deadline).until_final()
    if run.get("status") != "Failed":
        raise CheckFailed(f"expected status Failed, got {show(run)}")
    output = run.get("output")
    message = output.get("message") if isinstance(output, dict) else None
    if not isinstance(message, str) or "this function always fails" not in message:
        raise CheckFailed(
            f"expected an error output whose message contains 'this function always fails', got {show(output)}"
        )


def py_flaky_step(deadline: float) -> None:
    # Attempt 0 fails, the engine retries after its backoff, attempt 1 succeeds.
    event = send_to_dev("test/flaky-step", {"failures": 1})
    watch(event, f"{PY_APP}-flaky-step", deadline).completed_with({"attempt": 1})


def py_send_event(deadline: float) -> None:
    event = send_to_dev("test/send-event", {})
    run = watch(event, f"{PY_APP}-send-event", deadline).until_final()
    output = run.get("output")
    sent = output.get("sent") if isinstance(output, dict) else None
    if (
        run.get("status") != "Completed"
        or not isinstance(sent, list)
        or len(sent) != 1
        or not isinstance(sent[0], str)
    ):
        raise CheckFailed(f"expected Completed with {{\"sent\": [<one id>]}}, got {show(run)}")
    watch(sent[0], f"{PY_APP}-compute-square", deadline).completed_with({"result": 49})


def swift_invokes_python(deadline: float) -> None:
    event = send_to_dev("swift/square-via-python", {"number": 4})
    watch(event, f"{SWIFT_APP}-square-via-python", deadline).completed_with({"result": 16})


def python_invokes_swift(deadline: float) -> None:
    event = send_to_dev("test/invoker", {})
    # The Python app invokes through the module exported from the Swift app's manifest; "as"
    # names the model the result was validated into.
    watch(event, f"{PY_APP}-invoker", deadline).completed_with(
        {"invoked": {"result": 27}, "as": "ComputeCubeOutput"}
    )


def python_send_triggers_swift(deadline: float) -> None:
    event = send_via_python("python/hello", {"name": "swift"})
    watch(event, f"{SWIFT_APP}-on-python-event", deadline).completed_with(
        {"greeting": "hello swift"}
    )


def swift_waits_for_python(deadline: float) -> None:
    token = f"t-{NONCE}"
    event = send_to_dev("swift/wait-for-python", {"token": token})
    run = watch(event, f"{SWIFT_APP}-wait-for-python", deadline)
    run.until_running()
    send_via_python("python/reply", {"token": token})
    run.completed_with({"matched": True, "token": token})


def py_failure_handler(deadline: float) -> None:
    token = f"fail-{NONCE}"
    event = send_to_dev("test/fails-with-handler", {"token": token})
    run = watch(event, f"{PY_APP}-fails-with-handler", deadline).until_final()
    if run.get("status") != "Failed":
        raise CheckFailed(f"fails-with-handler ended {run.get('status')}, expected Failed: {show(run)}")
    while time.monotonic() < deadline:
        handled = http_json("GET", f"{PY_URL}/peer/handled/{token}").get("handled")
        if handled is not None:
            expected = {"message": "failed on purpose", "function_id": f"{PY_APP}-fails-with-handler"}
            if handled != expected:
                raise CheckFailed(f"the failure handler saw {show(handled)}, expected {show(expected)}")
            return
        time.sleep(POLL_INTERVAL)
    raise CheckFailed("the on_failure handler never ran")


def py_wide_concurrency(deadline: float) -> None:
    """12 step bodies of a function with concurrency 12 run at once: more than
    the 8 connections per host an HTTP client allows by default."""

    target = 12
    events = [send_to_dev("test/wide", {"n": i}) for i in range(target)]
    for event in events:
        run = watch(event, f"{PY_APP}-wide", deadline).until_final()
        if run.get("status") != "Completed":
            raise CheckFailed(f"wide ended {run.get('status')}: {show(run)}")
    peak = http_json("GET", f"{PY_URL}/peer/wide").get("peak")
    if peak != target:
        raise CheckFailed(f"at most {peak} step bodies of `wide` ran at once, expected {target}")


def dev_mcp_lists_functions(deadline: float) -> None:
    """`inngest dev` serves the MCP endpoint: an initialize opens a session, and
    list_functions in it names the synced apps' functions."""

    def post(body: dict[str, Any], session: str | None) -> tuple[Any, str | None]:
        request = urllib.request.Request(f"{DEV_URL}/mcp", data=json.dumps(body).encode(), method="POST")
        request.add_header("Content-Type", "application/json")
        request.add_header("Accept", "application/json, text/event-stream")
        request.add_header("MCP-Protocol-Version", "2025-06-18")
        if session:
            request.add_header("Mcp-Session-Id", session)
        try:
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
                raw = response.read()
                return (json.loads(raw) if raw else None), response.headers.get("Mcp-Session-Id")
        except urllib.error.HTTPError as err:
            raise CheckFailed(f"POST /mcp {body.get('method')}: HTTP {err.code}: {err.read()[:300]!r}") from None

    init = {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "interop", "version": "1"}}
    answer, session = post({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": init}, None)
    if not session or "result" not in (answer or {}):
        raise CheckFailed(f"initialize: no session or result: {show(answer)}")
    post({"jsonrpc": "2.0", "method": "notifications/initialized"}, session)
    answer, _ = post({"jsonrpc": "2.0", "id": 2, "method": "tools/call", "params": {"name": "list_functions", "arguments": {}}}, session)
    text = (answer or {}).get("result", {}).get("content", [{}])[0].get("text", "")
    ids = {f.get("id") for f in json.loads(text)} if text.startswith("[") else set()
    if f"{PY_APP}-compute-square" not in ids:
        raise CheckFailed(f"list_functions does not name the Python app's function: {show(answer)}")


CHECKS: list[tuple[str, Callable[[float], None]]] = [
    ("dev-mcp-lists-functions", dev_mcp_lists_functions),
    ("py-failure-handler", py_failure_handler),
    ("py-wide-concurrency", py_wide_concurrency),
    ("py-compute-square", py_compute_square),
    ("py-multi-step", py_multi_step),
    ("py-parallel-steps", py_parallel_steps),
    ("py-wait-for-post-matched", py_wait_for_post_matched),
    ("py-wait-for-post-timeout", py_wait_for_post_timeout),
    ("py-cel-filters", py_cel_filters),
    ("py-always-fails", py_always_fails),
    ("py-flaky-step", py_flaky_step),
    ("py-send-event", py_send_event),
    ("swift-invokes-python", swift_invokes_python),
    ("python-invokes-swift", python_invokes_swift),
    ("python-send-triggers-swift", python_send_triggers_swift),
    ("swift-waits-for-python", swift_waits_for_python),
]


# --- burst ------------------------------------------------------------------


def burst(deadline: float) -> None:
    """BURST_RUNS events in batches of 100 from 8 clients, each starting a run of
    the Python app's one-step function: every run completes with its own input,
    and the dev server's health check answers within HEALTH_LIMIT_MS throughout."""

    total = BURST_RUNS
    batches = [
        [{"name": "test/burst", "data": {"n": i, "nonce": NONCE}} for i in range(start, min(start + 100, total))]
        for start in range(0, total, 100)
    ]
    probes: list[float] = []
    probing = {"on": True}

    def probe() -> None:
        while probing["on"]:
            begin = time.monotonic()
            try:
                with urllib.request.urlopen(f"{DEV_URL}/health", timeout=10) as response:
                    response.read()
                probes.append((time.monotonic() - begin) * 1000)
            except (urllib.error.URLError, OSError):
                probes.append(10_000.0)
            time.sleep(0.02)

    prober = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    probe_done = prober.submit(probe)
    ids: list[str] = []
    try:
        begin = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(lambda batch: http_json("POST", f"{DEV_URL}/e/{EVENT_KEY}", batch), batches))
        sent = time.monotonic() - begin
        for batch, answer in zip(batches, answers):
            ids += expect_ids(answer, len(batch), "a burst batch")
        print(f"      burst: {total} events sent in {sent:.2f}s ({total / sent:,.0f} events/s)", flush=True)

        pending = {event_id: n for n, event_id in enumerate(ids)}
        outputs: dict[str, Any] = {}

        def look(event_id: str) -> tuple[str, Any]:
            runs = http_json("GET", f"{DEV_URL}/v1/events/{event_id}/runs").get("data") or []
            return event_id, runs[0] if runs else None

        while pending and time.monotonic() < deadline:
            with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
                for event_id, run in pool.map(look, list(pending)):
                    if run and run.get("status") in FINAL:
                        outputs[event_id] = run
                        del pending[event_id]
            if pending:
                time.sleep(1)
        completed = time.monotonic() - begin
    finally:
        probing["on"] = False
        probe_done.result()
        prober.shutdown()
    if pending:
        raise CheckFailed(f"{len(pending)} of {total} burst runs did not finish within {BURST_TIMEOUT:.0f}s")
    wrong = [(ids.index(e), r) for e, r in outputs.items() if r.get("status") != "Completed" or r.get("output") != ids.index(e)]
    if wrong:
        raise CheckFailed(f"{len(wrong)} burst runs did not complete with their input, e.g. {show(wrong[:3])}")
    probes.sort()
    worst, p99 = probes[-1], probes[int(len(probes) * 0.99) - 1 if len(probes) > 1 else 0]
    print(f"      burst: all {total} runs completed {completed:.1f}s after the first send; "
          f"{len(probes)} health checks, p99 {p99:.1f} ms, max {worst:.1f} ms", flush=True)
    if worst > HEALTH_LIMIT_MS:
        raise CheckFailed(f"a health check took {worst:.0f} ms during the burst (limit {HEALTH_LIMIT_MS:.0f} ms)")


# Checks that load the server: run one at a time, after the others.
HEAVY_CHECKS: list[tuple[str, Callable[[float], None]]] = [
    ("burst", burst),
]


# --- sync -------------------------------------------------------------------


def wait_for_sync() -> None:
    """Waits until GET /dev lists both apps with the functions the checks use."""

    deadline = time.monotonic() + SYNC_TIMEOUT
    last = "no answer yet"
    while time.monotonic() < deadline:
        try:
            answer = http_json("GET", f"{DEV_URL}/dev")
            apps = {
                a.get("app_id"): set(a.get("functions") or [])
                for a in (answer.get("apps") or [])
                if isinstance(a, dict)
            }
            py_ok = apps.get(PY_APP) == PY_FUNCTIONS
            swift_ok = SWIFT_FUNCTIONS <= apps.get(SWIFT_APP, set())
            if py_ok and swift_ok:
                return
            last = show(answer, 1500)
        except (CheckFailed, AttributeError) as err:
            last = str(err)
        time.sleep(0.5)
    raise CheckFailed(
        f"apps not synced after {SYNC_TIMEOUT:.0f}s: want {PY_APP} with exactly "
        f"{sorted(PY_FUNCTIONS)} and {SWIFT_APP} with at least {sorted(SWIFT_FUNCTIONS)}; "
        f"last GET /dev: {last}"
    )


# --- main -------------------------------------------------------------------


def report(ok: bool, name: str, seconds: float, detail: str = "") -> None:
    print(f"{'PASS' if ok else 'FAIL'}  {name:<28} {seconds:6.1f}s", flush=True)
    if detail:
        print(f"      {detail}", flush=True)


def timed(name: str, fn: Callable[[float], None], timeout: float = CHECK_TIMEOUT) -> tuple[str, bool, float, str]:
    start = time.monotonic()
    try:
        fn(start + timeout)
        return name, True, time.monotonic() - start, ""
    except CheckFailed as err:
        return name, False, time.monotonic() - start, str(err)
    except Exception as err:  # a bug in a check must not hide the others
        return name, False, time.monotonic() - start, f"{type(err).__name__}: {err}"


def main(argv: list[str]) -> int:
    if "--list" in argv:
        for name, _ in CHECKS + HEAVY_CHECKS:
            print(name)
        return 0
    known = dict(CHECKS + HEAVY_CHECKS)
    unknown = [a for a in argv if a not in known]
    if unknown:
        print(f"unknown check(s): {', '.join(unknown)}; see --list", file=sys.stderr)
        return 2
    selected = [(n, f) for n, f in CHECKS if not argv or n in argv]
    heavy = [(n, f) for n, f in HEAVY_CHECKS if not argv or n in argv]

    print(f"interop checks: dev server {DEV_URL}, Python app {PY_URL}, event key {EVENT_KEY}", flush=True)
    start = time.monotonic()
    try:
        wait_for_sync()
    except CheckFailed as err:
        report(False, "apps-synced", time.monotonic() - start, str(err))
        for name, _ in selected:
            report(False, name, 0.0, "not run: apps not synced")
        return 1
    report(True, "apps-synced", time.monotonic() - start)

    failed = []
    if selected:
        with concurrent.futures.ThreadPoolExecutor(max_workers=len(selected)) as pool:
            futures = [pool.submit(timed, name, fn) for name, fn in selected]
            for future in concurrent.futures.as_completed(futures):
                name, ok, seconds, detail = future.result()
                report(ok, name, seconds, detail)
                if not ok:
                    failed.append(name)
    for name, fn in heavy:
        name, ok, seconds, detail = timed(name, fn, BURST_TIMEOUT)
        report(ok, name, seconds, detail)
        if not ok:
            failed.append(name)

    total = time.monotonic() - start
    count = len(selected) + len(heavy)
    passed = count - len(failed)
    print(f"{passed}/{count} interop checks passed in {total:.1f}s", flush=True)
    if failed:
        print(f"failed: {', '.join(sorted(failed))}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
