#!/usr/bin/env bash
# Chaos for `inngest dev` and the apps it drives: runs of the interop apps (the Python app on
# the official SDK, Tests/Interop/python/app.py, and the Swift app InngestInteropApp) are
# started by events while the dev server and each app are SIGKILLed at random moments and
# restarted; the dev server keeps its state in a SQLite file and is restarted on the same
# file and port (without -u: the synced apps must come back from the file).
#
# Checked at the end, through the dev server's REST API:
#   - every acknowledged event (an id in the answer of POST /e/<key>) started exactly one run
#     of the function it triggers (GET /v1/events/{id}/runs): nothing lost, nothing doubled;
#   - every such run is Completed with the output the function computes from the event;
#   - no process died other than by our SIGKILL, and each restart became healthy.
# Each killed process stays down 0-2 s before it is started again.
# Prints the figures: events acknowledged, runs completed, step attempts beyond the first
# (GET /v1/runs/{id}: steps[].attempts, failed_attempts[].error.name), kills, wall time.
#
#   bash Tests/Chaos/dev-chaos.sh
#
# Environment (all optional):
#   EVENTS=300         events sent (full size: 2000), in one burst at each kill
#   SERVER_KILLS=4     SIGKILLs of the dev server (full size: 10)
#   APP_KILLS=4        SIGKILLs of each app (full size: 10)
#   SEED               random seed of the kill schedule (printed; default: from the clock)
#   SAME_TARGET_GAP=5  least seconds between two kills of the same process (see below)
#   DRAIN_TIMEOUT=300  seconds after the last kill for every run to complete
#   RETRY_BASE=1       the dev server's --retry-base (seconds before a step's first retry)
#   DEV_PORT, PY_PORT, SWIFT_PORT   ports on 127.0.0.1 (18388, 14039, 14040)
#   CHAOS_BIN_DIR      take `inngest` and `InngestInteropApp` from here (no build)
#   CHAOS_KEEP_LOGS=1  keep the log directory when every check passes
#
# Retry budget: the functions used keep the default of 4 retries (5 attempts per step; a
# recorded step starts a new count). Only a call cut off by a kill fails: a call to an app
# that is down keeps connecting for up to 10 s (the HTTP client's connect timeout), longer
# than a killed app stays down, and a call cut off by the dev server's own death is made
# again after its restart, not counted.
# With --retry-base 1 the retry comes ~1 s later, so kills of one process are kept
# SAME_TARGET_GAP (5 s) apart and a step is cut off at most once or twice.
#
# Exit code 0 when every property holds; 1 otherwise (logs are then kept and their tails printed).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

EVENTS="${EVENTS:-300}"
SERVER_KILLS="${SERVER_KILLS:-4}"
APP_KILLS="${APP_KILLS:-4}"
SEED="${SEED:-$(date +%s)}"
SAME_TARGET_GAP="${SAME_TARGET_GAP:-5}"
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-300}"
RETRY_BASE="${RETRY_BASE:-1}"
DEV_PORT="${DEV_PORT:-18388}"
PY_PORT="${PY_PORT:-14039}"
SWIFT_PORT="${SWIFT_PORT:-14040}"
EVENT_KEY="chaos-key"

say() { echo "chaos: $*" >&2; }
started_at=$SECONDS

# --- Python virtualenv (the interop suite's) -----------------------------------

source "$root/Tests/Support/python-venv.sh"
source "$root/Tests/Support/work-directory.sh"
python_venv "$root/Tests/Interop/python/.venv" "$root/Tests/Interop/python/requirements.txt"
py="$venv_python"

# --- binaries -----------------------------------------------------------------

if [ -n "${CHAOS_BIN_DIR:-}" ]; then
    bin="$CHAOS_BIN_DIR"
else
    say "swift build -c release (inngest, InngestInteropApp)"
    swift build -c release --product inngest >&2
    swift build -c release --product InngestInteropApp >&2
    bin="$(swift build -c release --show-bin-path)"
fi
for exe in inngest InngestInteropApp; do
    [ -x "$bin/$exe" ] || { say "missing $bin/$exe"; exit 1; }
done

# --- run ------------------------------------------------------------------------

work="$(mktemp -d "${TMPDIR:-/tmp}/inngest-chaos.XXXXXX")"
driver_pid=""

cleanup() {
    local rc=$?
    set +e
    if [ -n "$driver_pid" ]; then
        kill -TERM "$driver_pid" 2>/dev/null
        wait "$driver_pid" 2>/dev/null
    fi
    # The driver stops its processes and removes the file; left behind, it names those the
    # driver had running when it died.
    if [ -f "$work/pids" ]; then
        while read -r pid; do kill -KILL "$pid" 2>/dev/null; done <"$work/pids"
    fi
    finish_work "$rc" "$work" "${CHAOS_KEEP_LOGS:-0}"
    say "wall time $((SECONDS - started_at)) s (with setup and build)"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cat >"$work/driver.py" <<'PY'
import collections
import concurrent.futures
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

E = os.environ
EVENTS = int(E["EVENTS"])
SERVER_KILLS = int(E["SERVER_KILLS"])
APP_KILLS = int(E["APP_KILLS"])
SEED = int(E["SEED"])
SAME_TARGET_GAP = float(E["SAME_TARGET_GAP"])
DRAIN_TIMEOUT = float(E["DRAIN_TIMEOUT"])
WORK = E["WORK"]
BIN = E["BIN"]
KEY = E["EVENT_KEY"]
DEV = f"http://127.0.0.1:{E['DEV_PORT']}"
PY_URL = f"http://127.0.0.1:{E['PY_PORT']}"
SWIFT_URL = f"http://127.0.0.1:{E['SWIFT_PORT']}"
NONCE = f"{SEED:x}"


def say(message):
    print(f"chaos: {message}", flush=True)


# The event kinds, taken in turn: the name, the function it triggers, the data of event i and
# the output the run must end with.
KINDS = [
    ("test/multi-step", "my-python-app-multi-step",  # step, 1 s sleep, step
     lambda i: {"value": i}, lambda i: [{"step": 1, "input": i}, {"step": 2}]),
    ("test/parallel-steps", "my-python-app-parallel-steps",  # two steps in parallel
     lambda i: {}, lambda i: ["a-done", "b-done"]),
    ("test/invoker", "my-python-app-invoker",  # invokes the Swift app's compute-cube (swift_app.py)
     lambda i: {}, lambda i: {"invoked": {"result": 27}, "as": "ComputeCubeOutput"}),
    ("swift/square-via-python", "swift-app-square-via-python",  # invokes Python's compute-square
     lambda i: {"number": i}, lambda i: {"result": i * i}),
]


class Violations:
    def __init__(self):
        self.items = []
        self.lock = threading.Lock()

    def add(self, message):
        with self.lock:
            self.items.append(message)
        say(f"VIOLATION: {message}")


violations = Violations()


def http(method, url, body=None, timeout=10.0):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


class Process:
    """One of the three processes: started, SIGKILLed and restarted; output appended to one log."""

    def __init__(self, name, argv, env, health):
        self.name, self.argv, self.env, self.health = name, argv, env, health
        self.popen = None
        self.starts = 0
        self.kills = 0
        self.restart_seconds = []

    def start(self):
        self.starts += 1
        log = open(os.path.join(WORK, f"{self.name}.log"), "ab")
        log.write(f"\n===== start {self.starts} at {time.strftime('%H:%M:%S')} =====\n".encode())
        log.flush()
        self.popen = subprocess.Popen(self.argv, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **self.env})
        log.close()
        write_pids()

    def wait_healthy(self, limit=60.0):
        began = time.monotonic()
        while time.monotonic() - began < limit:
            if self.popen.poll() is not None:
                raise SystemExit(f"{self.name} exited with {self.popen.returncode} while starting")
            try:
                urllib.request.urlopen(self.health, timeout=2).read()
                return time.monotonic() - began
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise SystemExit(f"{self.name}: {self.health} did not answer within {limit:.0f} s")

    def kill_and_restart(self, down):
        """SIGKILL, `down` seconds dead (as a supervisor would take), then started again."""

        self.check_alive()
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait()
        self.kills += 1
        time.sleep(down)
        began = time.monotonic()
        self.start()
        self.wait_healthy()
        self.restart_seconds.append(time.monotonic() - began)

    def check_alive(self):
        if self.popen is not None and self.popen.poll() is not None:
            violations.add(f"{self.name} exited by itself (status {self.popen.returncode}); see {self.name}.log")
            self.start()
            self.wait_healthy()

    def stop(self):
        if self.popen is not None and self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


processes = []


def write_pids():
    with open(os.path.join(WORK, "pids"), "w") as f:
        for p in processes:
            if p.popen is not None:
                f.write(f"{p.popen.pid}\n")


def on_term(signum, frame):
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, on_term)

python_app = Process(
    "python-app", [E["PY"], E["APP_PY"]],
    {"PY_PORT": E["PY_PORT"], "INTEROP_MODE": "dev", "INNGEST_BASE_URL": DEV, "INNGEST_EVENT_KEY": KEY,
     "INTEROP_LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"},
    f"{PY_URL}/healthz")
swift_app = Process(
    "swift-app", [f"{BIN}/InngestInteropApp"],
    {"PORT": E["SWIFT_PORT"], "INNGEST_DEV": DEV, "INNGEST_EVENT_KEY": KEY},
    f"{SWIFT_URL}/api/inngest")
dev_argv = [f"{BIN}/inngest", "dev", "--port", E["DEV_PORT"], "--database", os.path.join(WORK, "dev.sqlite"),
            "--event-key", KEY, "--retry-base", E["RETRY_BASE"], "--quiet"]
dev = Process("inngest-dev", dev_argv + ["-u", f"{PY_URL}/api/inngest", "-u", f"{SWIFT_URL}/api/inngest"], {}, f"{DEV}/health")
processes += [python_app, swift_app, dev]


def wait_synced(limit=60.0):
    wanted = {kind[1] for kind in KINDS} | {"swift-app-compute-cube", "my-python-app-compute-square"}
    began = time.monotonic()
    while time.monotonic() - began < limit:
        try:
            listed = {f.get("id") for f in http("GET", f"{DEV}/v1/functions")["data"]}
            if wanted <= listed:
                return
        except (urllib.error.URLError, OSError, ValueError, KeyError):
            pass
        time.sleep(0.25)
    raise SystemExit(f"the apps were not synced within {limit:.0f} s (wanted {sorted(wanted)})")


def schedule(rng):
    """Kill times (seconds from the start) of a shuffled list of targets, 1.5-5 s apart and
    SAME_TARGET_GAP apart for one target."""

    targets = ["dev"] * SERVER_KILLS + ["python"] * APP_KILLS + ["swift"] * APP_KILLS
    rng.shuffle(targets)
    t, last, plan = 2.0, {}, []
    for target in targets:
        t = max(t + rng.uniform(1.5, 5.0), last.get(target, -1e9) + SAME_TARGET_GAP)
        last[target] = t
        plan.append((t, target))
    return plan


acked = {}  # event id -> (kind index, i)
send_failures = collections.Counter()
lock = threading.Lock()


def send(i):
    """Sends event i until it is acknowledged (the server may be down or killed mid-request)."""

    kind = i % len(KINDS)
    name, _, data, _ = KINDS[kind]
    body = {"name": name, "data": {**data(i), "chaos": NONCE, "seq": i}}
    while True:
        try:
            answer = http("POST", f"{DEV}/e/{KEY}", body, timeout=10)
            ids = answer.get("ids") if isinstance(answer, dict) else None
            if isinstance(ids, list) and len(ids) == 1 and isinstance(ids[0], str):
                with lock:
                    acked[ids[0]] = (kind, i)
                return
            failure = f"answer {json.dumps(answer)[:80]}"
        except urllib.error.HTTPError as err:
            failure = f"HTTP {err.code}"
        except (urllib.error.URLError, OSError) as err:
            failure = type(getattr(err, "reason", err)).__name__
        with lock:
            send_failures[failure] += 1
        time.sleep(0.1)


def sender(start, bursts):
    """Sends each burst (at, spread, [event numbers]) from `at` seconds on, its events evenly
    over `spread` seconds, 8 requests at a time."""

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        futures = []
        for at, spread, numbers in bursts:
            for j, n in enumerate(numbers):
                delay = start + at + j * spread / len(numbers) - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(send, n))
        for future in futures:
            future.result()


retrying = {}  # run id -> the highest function-level attempt seen
stop_sampling = threading.Event()


def sample_retries():
    """Function-level failures (a discovery call that failed) leave no trace once the run's next
    step is recorded, so the runs table's `attempt` column is sampled read-only meanwhile: a
    lower bound of the runs that were retried."""

    uri = "file:" + os.path.join(WORK, "dev.sqlite") + "?mode=ro"
    while not stop_sampling.wait(0.25):
        try:
            db = sqlite3.connect(uri, uri=True, timeout=1)
            try:
                rows = db.execute("SELECT id, attempt FROM runs WHERE attempt > 0").fetchall()
            finally:
                db.close()
        except sqlite3.Error:
            continue
        with lock:
            for run_id, attempt in rows:
                retrying[run_id] = max(attempt, retrying.get(run_id, 0))


def classify(event_id):
    """(state, detail): 'done' with the run id, 'pending', or 'bad' with what is wrong."""

    kind, i = acked[event_id]
    _, function_id, _, expected = KINDS[kind]
    try:
        runs = http("GET", f"{DEV}/v1/events/{event_id}/runs")["data"]
    except (urllib.error.URLError, OSError, ValueError, KeyError) as err:
        return "pending", f"GET runs failed: {err}"
    mine = [r for r in runs if r.get("function_id") == function_id]
    others = [r.get("function_id") for r in runs if r.get("function_id") != function_id]
    if others:
        return "bad", f"event {event_id} ({KINDS[kind][0]} #{i}) also started {others}"
    if len(mine) > 1:
        return "bad", f"event {event_id} ({KINDS[kind][0]} #{i}) started {len(mine)} runs of {function_id}"
    if not mine:
        return "pending", "no run yet"
    run = mine[0]
    status = run.get("status")
    if status == "Completed":
        if run.get("output") != expected(i):
            return "bad", f"run {run.get('run_id')} of {function_id} (#{i}) output {json.dumps(run.get('output'))}, expected {json.dumps(expected(i))}"
        return "done", run.get("run_id")
    if status in ("Failed", "Cancelled"):
        return "bad", f"run {run.get('run_id')} of {function_id} (#{i}) ended {status}: {json.dumps(run.get('output'))[:300]}"
    return "pending", f"run {run.get('run_id')} {status}"


def ports_free():
    """Fails when a port is taken: the health checks would reach someone else's server."""

    for port in (E["DEV_PORT"], E["PY_PORT"], E["SWIFT_PORT"]):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", int(port)))
        except OSError:
            raise SystemExit(f"port {port} on 127.0.0.1 is in use (set DEV_PORT / PY_PORT / SWIFT_PORT)")
        finally:
            s.close()


def main():
    ports_free()
    rng = random.Random(SEED)
    say(f"seed {SEED}; {EVENTS} events; SIGKILLs: dev server {SERVER_KILLS}, each app {APP_KILLS}")
    began = time.monotonic()
    python_app.start()
    swift_app.start()
    python_app.wait_healthy()
    swift_app.wait_healthy()
    dev.start()
    dev.wait_healthy()
    wait_synced()
    # Restarts leave out -u: the synced apps must come back from the database file.
    dev.argv = dev_argv

    plan = schedule(rng)
    # One burst of events per kill. Before an app's kill, all at once 0.05-0.4 s before it, so
    # that the kill finds the apps busy with calls (only a call cut off fails: one to a down
    # app keeps connecting meanwhile). Around the dev server's kill, spread over 1 s that the
    # kill cuts, so that sends are cut off and refused too.
    bursts, previous = [], 0.0
    for k, (at, target) in enumerate(plan or [(1.0, None)]):
        numbers = list(range(k * EVENTS // max(len(plan), 1), (k + 1) * EVENTS // max(len(plan), 1)))
        if target == "dev":
            bursts.append((max(previous, at - rng.uniform(0.2, 0.8)), 1.0, numbers))
        else:
            bursts.append((max(previous, at - rng.uniform(0.05, 0.4)), 0.0, numbers))
        previous = at
    say(f"{len(bursts)} bursts of ~{EVENTS // len(bursts)} events; kills at " + ", ".join(f"{t:.1f}s {target}" for t, target in plan))
    start = time.monotonic()
    sending = threading.Thread(target=sender, args=(start, bursts), daemon=True)
    sending.start()
    sampling = threading.Thread(target=sample_retries, daemon=True)
    sampling.start()
    by_target = {"dev": dev, "python": python_app, "swift": swift_app}
    for at, target in plan:
        delay = start + at - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        for p in processes:
            p.check_alive()
        process = by_target[target]
        down = rng.uniform(0.0, 2.0)
        process.kill_and_restart(down)
        say(f"{at:6.1f}s SIGKILL {process.name} #{process.kills}, {down:.1f} s down, healthy {process.restart_seconds[-1]:.2f} s after its start; {len(acked)} events acknowledged")
    sending.join()
    chaos_seconds = time.monotonic() - start
    say(f"all {len(acked)} events acknowledged after {chaos_seconds:.1f} s; waiting for the runs (at most {DRAIN_TIMEOUT:.0f} s)")

    # Every acknowledged event must end with exactly one completed run with the right output.
    pending = set(acked)
    done = {}
    drain_start = time.monotonic()
    last_state = {}
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        while pending and time.monotonic() - drain_start < DRAIN_TIMEOUT:
            for p in processes:
                p.check_alive()
            ids = sorted(pending)
            for event_id, (state, detail) in zip(ids, pool.map(classify, ids)):
                if state == "done":
                    done[event_id] = detail
                    pending.discard(event_id)
                elif state == "bad":
                    violations.add(detail)
                    pending.discard(event_id)
                else:
                    last_state[event_id] = detail
            if pending:
                time.sleep(1.0)
        drain_seconds = time.monotonic() - drain_start
        for event_id in sorted(pending)[:10]:
            kind, i = acked[event_id]
            violations.add(f"event {event_id} ({KINDS[kind][0]} #{i}): no completed run after {DRAIN_TIMEOUT:.0f} s; last: {last_state.get(event_id)}")
        if len(pending) > 10:
            violations.add(f"... and {len(pending) - 10} more events without a completed run")

        # Retries, as the run API shows them: attempts of each step and the errors of the failed ones.
        def detail(run_id):
            try:
                return http("GET", f"{DEV}/v1/runs/{run_id}")["data"]
            except (urllib.error.URLError, OSError, ValueError, KeyError):
                return None

        extra_attempts = runs_retried = most = unreadable = 0
        errors = collections.Counter()
        for run in pool.map(detail, list(done.values())):
            if run is None:
                unreadable += 1
                continue
            attempts = [int(s.get("attempts") or 0) for s in run.get("steps", [])]
            extra = sum(max(0, a - 1) for a in attempts)
            extra_attempts += extra
            runs_retried += extra > 0
            most = max([most] + attempts)
            for step in run.get("steps", []):
                for failed in step.get("failed_attempts") or []:
                    errors[(failed.get("error") or {}).get("name", "?")] += 1

    stop_sampling.set()
    for p in processes:
        p.check_alive()
    total = time.monotonic() - began
    by_function = collections.Counter(KINDS[acked[e][0]][1] for e in done)
    print()
    print(f"  events acknowledged           {len(acked)} (send attempts not acknowledged: {sum(send_failures.values())} {dict(send_failures)})")
    print(f"  runs completed, right output  {len(done)} of {len(acked)}: " + ", ".join(f"{f} {n}" for f, n in sorted(by_function.items())))
    for p in (dev, python_app, swift_app):
        rs = p.restart_seconds
        print(f"  SIGKILLs of {p.name:<12}     {p.kills} (each 0-2 s down; healthy {min(rs, default=0):.2f}-{max(rs, default=0):.2f} s after its start)")
    print(f"  retries                       {extra_attempts} step attempts beyond the first, in {runs_retried} runs; most attempts of one step {most}")
    print(f"  runs seen retrying            {len(retrying)} (function-level attempt > 0, sampled every 0.25 s; highest {max(retrying.values(), default=0)})")
    print(f"  failed attempts by error      {dict(errors) or '{}'}" + (f" ({unreadable} runs unreadable)" if unreadable else ""))
    print(f"  time                          {chaos_seconds:.1f} s sending under kills, {drain_seconds:.1f} s waiting for the runs, {total:.1f} s in all")
    print()
    if violations.items:
        say(f"FAIL: {len(violations.items)} violation(s)")
        return 1
    say("PASS: every acknowledged event has exactly one completed run with the right output")
    return 0


status = 1
try:
    status = main()
except SystemExit as exit:
    if isinstance(exit.code, str):
        say(f"FAIL: {exit.code}")
        status = 1
    else:
        status = exit.code or 0
finally:
    for p in processes:
        p.stop()
    # Stopped and reaped: their pids may be reused, so the shell must not signal them.
    if os.path.exists(os.path.join(WORK, "pids")):
        os.remove(os.path.join(WORK, "pids"))
sys.exit(status)
PY

say "logs in $work"
EVENTS="$EVENTS" SERVER_KILLS="$SERVER_KILLS" APP_KILLS="$APP_KILLS" SEED="$SEED" SAME_TARGET_GAP="$SAME_TARGET_GAP" \
    DRAIN_TIMEOUT="$DRAIN_TIMEOUT" RETRY_BASE="$RETRY_BASE" DEV_PORT="$DEV_PORT" PY_PORT="$PY_PORT" SWIFT_PORT="$SWIFT_PORT" \
    EVENT_KEY="$EVENT_KEY" WORK="$work" BIN="$bin" PY="$py" APP_PY="$root/Tests/Interop/python/app.py" \
    "$py" "$work/driver.py" &
driver_pid=$!
set +e
wait "$driver_pid"
rc=$?
driver_pid=""
set -e
exit "$rc"
