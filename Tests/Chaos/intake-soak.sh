#!/usr/bin/env bash
# The event API of the release-built `inngest dev` (state in a SQLite file) under load from
# other processes on loopback, with the interop suite's Python app synced (its one-step
# function `burst`, triggered by test/burst, returns data.n).
#
# Phases, each checked:
#   1. wrk, single events that trigger nothing, CONNECTIONS connections flat out for
#      WRK_DURATION: events/s, p50/p99; the events stored (counted in the file, read-only)
#      are the acknowledged ones plus at most one cut-off request per connection.
#   2. the same with batches of 100 events (a JSON array) per request.
#   3. accounting: ACCOUNT_EVENTS test/burst events from a Python client, half one per request,
#      half in batches of 100; every acknowledged id is stored (GET /v1/events/{id}) with
#      exactly one run of my-python-app-burst, Completed with output data.n.
#   4. soak: SOAK_SECONDS at a steady SOAK_RATE events/s (batches of 10 that trigger nothing)
#      plus RUN_RATE test/burst events/s whose runs are checked as in 3; the server's RSS is
#      read from /proc/<pid>/status every second. Fails when RSS grows more than
#      RSS_GROWTH_LIMIT_MB over the second half of the soak (see the bound below), or when
#      the events stored differ from those acknowledged.
#
#   bash Tests/Chaos/intake-soak.sh
#
# Environment (all optional; CI size by default, full size in brackets):
#   WRK_DURATION=10 (30)   seconds of each wrk phase      CONNECTIONS=8
#   ACCOUNT_EVENTS=2000 (10000)
#   SOAK_SECONDS=60 (600)  SOAK_RATE=2000  RUN_RATE=10
#   RSS_GROWTH_LIMIT_MB=16
#   DEV_PORT, PY_PORT      ports on 127.0.0.1 (18399, 14139)
#   SOAK_BIN_DIR           take `inngest` from here (no build)
#   SOAK_KEEP_LOGS=1       keep the log directory when every check passes
#
# The RSS bound: once warm, nothing the soak sends stays in the server's memory. Events that
# trigger nothing are written and forgotten; the test/burst runs end within their call and are
# never parked (parked runs are capped anyway: maxParkedRuns, 1,000 of about 12 KB, 12 MB);
# retention (7 days) sweeps nothing during a soak. What may still grow is bounded: SQLite's page
# cache (2 MB a connection, a writer and at most 5 readers) and the WAL index it maps, and the
# allocator's free lists. 16 MB over the second half leaves room for those, while a leak of
# 30 bytes per event at full size (600,000 events in the second half at 2,000/s) exceeds it.
#
# Not bounded, so only printed: the peak of the phases before the soak. The accounting phase
# sends its events within a second or two; each run they start executes at once and waits in
# memory for a call slot of the app (256 at a time), about 14-28 KB a run, so that peak grows
# with ACCOUNT_EVENTS (maxParkedRuns bounds parked runs, not these), and the allocator keeps
# most of it afterwards.
#
# wrk comes from Debian (installed with apt-get when missing). Exit code 0 when every check
# passes; 1 otherwise (logs are then kept and their tails printed).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

WRK_DURATION="${WRK_DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-8}"
ACCOUNT_EVENTS="${ACCOUNT_EVENTS:-2000}"
SOAK_SECONDS="${SOAK_SECONDS:-60}"
SOAK_RATE="${SOAK_RATE:-2000}"
RUN_RATE="${RUN_RATE:-10}"
RSS_GROWTH_LIMIT_MB="${RSS_GROWTH_LIMIT_MB:-16}"
DEV_PORT="${DEV_PORT:-18399}"
PY_PORT="${PY_PORT:-14139}"
EVENT_KEY="soak-key"
DEV_URL="http://127.0.0.1:$DEV_PORT"
PY_URL="http://127.0.0.1:$PY_PORT"

say() { echo "soak: $*" >&2; }
started_at=$SECONDS

# --- tools ----------------------------------------------------------------------

if ! command -v wrk >/dev/null; then
    say "installing wrk (apt-get)"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq wrk >&2
fi

source "$root/Tests/Support/python-venv.sh"
source "$root/Tests/Support/work-directory.sh"
python_venv "$root/Tests/Interop/python/.venv" "$root/Tests/Interop/python/requirements.txt"
py="$venv_python"

if [ -n "${SOAK_BIN_DIR:-}" ]; then
    bin="$SOAK_BIN_DIR"
else
    say "swift build -c release --product inngest"
    swift build -c release --product inngest >&2
    bin="$(swift build -c release --show-bin-path)"
fi
[ -x "$bin/inngest" ] || { say "missing $bin/inngest"; exit 1; }

# --- processes --------------------------------------------------------------------

work="$(mktemp -d "${TMPDIR:-/tmp}/inngest-soak.XXXXXX")"
pids=()
driver_pid=""

cleanup() {
    local rc=$?
    set +e
    if [ -n "$driver_pid" ]; then
        kill -TERM "$driver_pid" 2>/dev/null
        wait "$driver_pid" 2>/dev/null
    fi
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    finish_work "$rc" "$work" "${SOAK_KEEP_LOGS:-0}"
    say "wall time $((SECONDS - started_at)) s (with setup and build)"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

wait_http() {
    local pid="$1" url="$2"
    for _ in $(seq 600); do
        kill -0 "$pid" 2>/dev/null || { say "process $pid exited before $url answered"; return 1; }
        curl -sf -o /dev/null "$url" && return 0
        sleep 0.1
    done
    say "no answer from $url"
    return 1
}

for port in "$DEV_PORT" "$PY_PORT"; do
    # A port taken by someone else's server would answer the health checks.
    "$py" -c 'import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))' "$port" 2>/dev/null || { say "port $port on 127.0.0.1 is in use (set DEV_PORT / PY_PORT)"; exit 1; }
done

env PY_PORT="$PY_PORT" INTEROP_MODE=dev INNGEST_BASE_URL="$DEV_URL" INNGEST_EVENT_KEY="$EVENT_KEY" \
    INTEROP_LOG_LEVEL=WARNING PYTHONUNBUFFERED=1 "$py" "$root/Tests/Interop/python/app.py" >"$work/python-app.log" 2>&1 &
pids+=("$!")
wait_http "$!" "$PY_URL/healthz"
"$bin/inngest" dev --port "$DEV_PORT" --database "$work/dev.sqlite" --event-key "$EVENT_KEY" --quiet \
    -u "$PY_URL/api/inngest" >"$work/inngest-dev.log" 2>&1 &
server=$!
pids+=("$server")
wait_http "$server" "$DEV_URL/health"
say "inngest dev (pid $server) on $DEV_URL, state in $work/dev.sqlite; logs in $work"

cat >"$work/driver.py" <<'PY'
import collections
import concurrent.futures
import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time

E = os.environ
WORK = E["WORK"]
PORT = int(E["DEV_PORT"])
KEY = E["EVENT_KEY"]
SERVER = int(E["SERVER_PID"])
WRK_DURATION = int(E["WRK_DURATION"])
CONNECTIONS = int(E["CONNECTIONS"])
ACCOUNT_EVENTS = int(E["ACCOUNT_EVENTS"])
SOAK_SECONDS = int(E["SOAK_SECONDS"])
SOAK_RATE = int(E["SOAK_RATE"])
RUN_RATE = int(E["RUN_RATE"])
RSS_LIMIT_MB = float(E["RSS_GROWTH_LIMIT_MB"])
SOAK_BATCH = 10
FUNCTION = "my-python-app-burst"

failures = []
rows = []  # the table: (phase, events, events/s, p50 ms, p99 ms, check)


def say(message):
    print(f"soak: {message}", flush=True)


def fail(message):
    failures.append(message)
    say(f"FAIL: {message}")


class Client:
    """One keep-alive connection to the dev server (one per thread)."""

    def __init__(self):
        self.connection = None

    def request(self, method, path, body=None, timeout=10.0):
        data = None if body is None else json.dumps(body).encode()
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=timeout)
            try:
                headers = {"Content-Type": "application/json"} if data is not None else {}
                self.connection.request(method, path, body=data, headers=headers)
                response = self.connection.getresponse()
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
            except (http.client.HTTPException, OSError):
                self.connection.close()
                self.connection = None
                # A GET may be repeated on a fresh connection (the server closed an idle one);
                # a POST is not: it may have been stored.
                if method != "GET" or attempt == 2:
                    raise


local = threading.local()


def client():
    if not hasattr(local, "client"):
        local.client = Client()
    return local.client


def stored(name):
    """Events of `name` in the server's file (a read-only reader next to the server)."""

    db = sqlite3.connect(f"file:{os.path.join(WORK, 'dev.sqlite')}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute("SELECT count(*) FROM events WHERE name = ?", (name,)).fetchone()[0]
    finally:
        db.close()


def status(*keys):
    """Fields of /proc/<server>/status in MB."""

    values = {}
    with open(f"/proc/{SERVER}/status") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in keys:
                values[key] = int(rest.split()[0]) / 1024
    return tuple(values[k] for k in keys)


def rss():
    """(VmRSS, RssAnon) of the server in MB."""

    return status("VmRSS", "RssAnon")


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- wrk ---------------------------------------------------------------------------


def run_wrk(label, name, per_request):
    events = [{"name": name, "data": {"i": i, "user": f"u-{i}"}} for i in range(per_request)]
    body = json.dumps(events[0] if per_request == 1 else events)
    script = os.path.join(WORK, f"{name.replace('/', '-')}.lua")
    with open(script, "w") as f:
        f.write(f'''wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{body}]==]
function done(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout, latency:percentile(50), latency:percentile(99)))
end
''')
    say(f"{label}: wrk -t2 -c{CONNECTIONS} -d{WRK_DURATION}s, {per_request} event(s) a request")
    before = stored(name)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{WRK_DURATION}s", "--latency", "-s", script, f"http://127.0.0.1:{PORT}/e/{KEY}"],
        capture_output=True, text=True, check=True).stdout
    match = re.search(r"^RESULT (.*)$", out, re.M)
    requests, duration_us, status, connect, read, write, timeout, p50, p99 = map(int, match.group(1).split())
    time.sleep(1)  # a request wrk cut off may still be committing
    count = stored(name) - before
    acknowledged = (requests - status) * per_request
    upper = (requests + CONNECTIONS + timeout) * per_request
    ok = status == 0 and connect == 0 and acknowledged <= count <= upper
    check = f"stored {count} of {acknowledged} acknowledged (+ at most {upper - acknowledged} cut off)"
    if status or connect or read or write or timeout:
        check += f"; errors: non-2xx {status}, connect {connect}, read {read}, write {write}, timeout {timeout}"
    if not ok:
        fail(f"{label}: {check}")
    rows.append((label, acknowledged, acknowledged / (duration_us / 1e6), p50 / 1000, p99 / 1000, ("ok: " if ok else "FAIL: ") + check))


# --- events whose runs are accounted for --------------------------------------------


def post_events(events, lock, acked, latencies, counters):
    """POSTs `events` (one object, or a list as a batch); records the acknowledged ids with n."""

    body = events[0] if len(events) == 1 else events
    began = time.perf_counter()
    try:
        status, answer = client().request("POST", f"/e/{KEY}", body)
    except (http.client.HTTPException, OSError) as err:
        with lock:
            counters[f"error {type(err).__name__}"] += len(events)
        return
    elapsed = time.perf_counter() - began
    ids = answer.get("ids") if isinstance(answer, dict) else None
    with lock:
        latencies.append(elapsed)
        if status == 200 and isinstance(ids, list) and len(ids) == len(events):
            counters["acknowledged"] += len(events)
            if acked is not None:
                for event_id, event in zip(ids, events):
                    acked[event_id] = event["data"]["n"]
        else:
            counters[f"HTTP {status}"] += len(events)


def check_runs(acked, label, timeout=300.0):
    """Every acknowledged id is stored with one completed run of FUNCTION whose output is n."""

    pending = dict(acked)
    wrong = []
    done = 0
    began = time.monotonic()

    def look(item):
        event_id, n = item
        try:
            status, answer = client().request("GET", f"/v1/events/{event_id}")
        except (http.client.HTTPException, OSError) as err:
            return event_id, "pending", str(err)
        if status == 404:
            return event_id, "bad", "not stored (404)"
        runs = [r for r in (answer or {}).get("data", {}).get("runs", []) if r.get("function_id") == FUNCTION]
        if len(runs) > 1:
            return event_id, "bad", f"{len(runs)} runs"
        if not runs or runs[0].get("status") in ("Queued", "Running"):
            return event_id, "pending", json.dumps(runs)[:200]
        if runs[0].get("status") != "Completed" or runs[0].get("output") != n:
            return event_id, "bad", f"run {runs[0].get('run_id')} {runs[0].get('status')} output {json.dumps(runs[0].get('output'))[:100]}, expected {n}"
        return event_id, "done", None

    last = {}
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        while pending and time.monotonic() - began < timeout:
            for event_id, state, detail in pool.map(look, list(pending.items())):
                if state == "done":
                    done += 1
                    del pending[event_id]
                elif state == "bad":
                    wrong.append(f"{event_id}: {detail}")
                    del pending[event_id]
                else:
                    last[event_id] = detail
            if pending:
                time.sleep(1)
    for event_id in list(pending)[:5]:
        wrong.append(f"{event_id}: no completed run after {timeout:.0f} s ({last.get(event_id)})")
    if len(pending) > 5:
        wrong.append(f"... and {len(pending) - 5} more without a completed run")
    for message in wrong[:10]:
        fail(f"{label}: {message}")
    return done, time.monotonic() - began


def account():
    label = f"accounting ({ACCOUNT_EVENTS} test/burst)"
    say(f"{label}: half one a request, half in batches of 100, 8 requests at a time")
    lock, acked, latencies, counters = threading.Lock(), {}, [], collections.Counter()
    half = ACCOUNT_EVENTS // 2
    events = [{"name": "test/burst", "data": {"n": n}} for n in range(ACCOUNT_EVENTS)]
    requests = [[e] for e in events[:half]] + [events[i:i + 100] for i in range(half, ACCOUNT_EVENTS, 100)]
    began = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda batch: post_events(batch, lock, acked, latencies, counters), requests))
    elapsed = time.perf_counter() - began
    completed, waited = check_runs(acked, label)
    ok = len(acked) == ACCOUNT_EVENTS and completed == len(acked)
    if len(acked) != ACCOUNT_EVENTS:
        fail(f"{label}: {len(acked)} of {ACCOUNT_EVENTS} acknowledged ({dict(counters)})")
    rows.append((label, len(acked), len(acked) / elapsed, percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000,
                 ("ok: " if ok else "FAIL: ") + f"{completed} of {len(acked)} stored with one completed run, output n (all done {waited:.0f} s after sending)"))


# --- soak --------------------------------------------------------------------------


def paced(rate_per_second, seconds, stop, work):
    """Calls work(k) at a steady rate (by the clock, not by the answers)."""

    began = time.monotonic()
    k = 0
    while not stop.is_set():
        due = began + k / rate_per_second
        if due - began >= seconds:
            return
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        work(k)
        k += 1


def soak():
    label = f"soak {SOAK_SECONDS} s at {SOAK_RATE}/s + {RUN_RATE} runs/s"
    say(f"{label}: batches of {SOAK_BATCH} that trigger nothing, test/burst one a request; RSS every second")
    lock, latencies, counters = threading.Lock(), [], collections.Counter()
    run_acked, run_latencies, run_counters = {}, [], collections.Counter()
    stop = threading.Event()
    samples = []  # (seconds, VmRSS, RssAnon)
    before = stored("soak/steady")

    def sample():
        began = time.monotonic()
        while not stop.is_set():
            vm, anon = rss()
            samples.append((time.monotonic() - began, vm, anon))
            stop.wait(1.0 - (time.monotonic() - began) % 1.0)

    def steady(k):
        batch = [{"name": "soak/steady", "data": {"k": k, "i": i}} for i in range(SOAK_BATCH)]
        post_events(batch, lock, None, latencies, counters)

    def runs(k):
        post_events([{"name": "test/burst", "data": {"n": 1_000_000 + k}}], lock, run_acked, run_latencies, run_counters)

    # Two senders share the steady rate, so one slow answer does not stall it.
    requests_per_second = SOAK_RATE / SOAK_BATCH / 2
    threads = [threading.Thread(target=sample, daemon=True)]
    threads += [threading.Thread(target=paced, args=(requests_per_second, SOAK_SECONDS, stop, steady), daemon=True) for _ in range(2)]
    threads += [threading.Thread(target=paced, args=(RUN_RATE, SOAK_SECONDS, stop, runs), daemon=True)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads[1:]:
        t.join()
    elapsed = time.monotonic() - began
    stop.set()
    threads[0].join()
    count = stored("soak/steady") - before
    acknowledged = counters["acknowledged"]
    lost = sum(v for k, v in counters.items() if k != "acknowledged")
    ok = acknowledged <= count <= acknowledged + lost and acknowledged >= 0.98 * SOAK_RATE * SOAK_SECONDS
    check = f"stored {count} of {acknowledged} acknowledged"
    if lost:
        check += f" ({dict(counters)})"
    if acknowledged < 0.98 * SOAK_RATE * SOAK_SECONDS:
        check += f"; the rate was not held ({acknowledged / elapsed:.0f}/s)"
    if not ok:
        fail(f"{label}: {check}")
    rows.append((label, acknowledged, acknowledged / elapsed, percentile(latencies, 50) * 1000, percentile(latencies, 99) * 1000,
                 ("ok: " if ok else "FAIL: ") + check))
    completed, waited = check_runs(run_acked, "soak runs")
    run_ok = completed == len(run_acked) and not [k for k in run_counters if k != "acknowledged"]
    rows.append(("  + test/burst runs alongside", len(run_acked), len(run_acked) / elapsed, percentile(run_latencies, 50) * 1000,
                 percentile(run_latencies, 99) * 1000,
                 ("ok: " if run_ok else "FAIL: ") + f"{completed} of {len(run_acked)} stored with one completed run, output n"))
    if not run_ok and completed == len(run_acked):
        fail(f"soak runs: not every send was acknowledged ({dict(run_counters)})")

    # RSS: the second half's growth above the half-way sample.
    half = [s for s in samples if s[0] >= SOAK_SECONDS / 2]
    start, mid, end = samples[0], half[0], samples[-1]
    peak = max(s[1] for s in samples)
    growth = max(s[1] for s in half) - mid[1]
    anon_growth = max(s[2] for s in half) - mid[2]
    with open(os.path.join(WORK, "rss.csv"), "w") as f:
        f.write("seconds,vmrss_mb,rssanon_mb\n")
        for s in samples:
            f.write(f"{s[0]:.1f},{s[1]:.1f},{s[2]:.1f}\n")
    rss_ok = growth <= RSS_LIMIT_MB
    per_k = growth / max(1, (SOAK_SECONDS / 2) * SOAK_RATE / 1000) * 1024
    summary = (f"RSS MB (VmRSS): soak start {start[1]:.1f}, half-way {mid[1]:.1f}, peak {peak:.1f}, end {end[1]:.1f}; "
               f"growth over the second half {growth:.1f} (anon {anon_growth:.1f}; {per_k:.2f} KB per 1,000 events), bound {RSS_LIMIT_MB:.0f}")
    if not rss_ok:
        fail(summary)
    return summary, rss_ok, len(samples)


def on_term(signum, frame):
    # SystemExit unwinds through subprocess.run, which then kills wrk.
    raise SystemExit(128 + signum)


def main():
    signal.signal(signal.SIGTERM, on_term)
    first_rss = rss()[0]
    run_wrk("wrk single events", "soak/single", 1)
    run_wrk("wrk batches of 100", "soak/batch", 100)
    account()
    after_load, load_peak = status("VmRSS", "VmHWM")
    summary, rss_ok, sampled = soak()
    try:
        os.kill(SERVER, 0)
    except OSError:
        fail("the dev server is gone")

    print()
    print(f"  {'phase':<40} {'events':>9} {'events/s':>10} {'p50 ms':>8} {'p99 ms':>8}  check")
    for label, events, rate, p50, p99, check in rows:
        print(f"  {label:<40} {events:>9} {rate:>10.0f} {p50:>8.2f} {p99:>8.2f}  {check}")
    print(f"  server RSS at start {first_rss:.1f} MB; peak (VmHWM) in the wrk and accounting phases {load_peak:.1f} MB, {after_load:.1f} MB after them; {sampled} samples in the soak (rss.csv)")
    print(f"  {('ok: ' if rss_ok else 'FAIL: ') + summary}")
    print()
    if failures:
        say(f"FAIL: {len(failures)} check(s) failed")
        return 1
    say("PASS")
    return 0


sys.exit(main())
PY

# The test/burst function must be synced before any event is sent.
for _ in $(seq 600); do
    curl -sf "$DEV_URL/v1/functions" | grep -q '"my-python-app-burst"' && break
    sleep 0.1
done
curl -sf "$DEV_URL/v1/functions" | grep -q '"my-python-app-burst"' || { say "the Python app was not synced"; exit 1; }

WORK="$work" DEV_PORT="$DEV_PORT" EVENT_KEY="$EVENT_KEY" SERVER_PID="$server" WRK_DURATION="$WRK_DURATION" \
    CONNECTIONS="$CONNECTIONS" ACCOUNT_EVENTS="$ACCOUNT_EVENTS" SOAK_SECONDS="$SOAK_SECONDS" SOAK_RATE="$SOAK_RATE" \
    RUN_RATE="$RUN_RATE" RSS_GROWTH_LIMIT_MB="$RSS_GROWTH_LIMIT_MB" "$py" "$work/driver.py" &
driver_pid=$!
set +e
wait "$driver_pid"
rc=$?
driver_pid=""
set -e
exit "$rc"
