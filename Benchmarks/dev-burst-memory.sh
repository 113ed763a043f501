#!/usr/bin/env bash
# Memory of `inngest dev` under a burst: 10,000 test/burst events (100 batches of 100) that
# each start a one-step run of the interop suite's Python app (official SDK); the server's
# resident memory is sampled every 0.2 s until every run completed. Compare builds by giving
# several binaries; each gets a fresh database and app.
#
#     Benchmarks/dev-burst-memory.sh [INNGEST_BINARY...]   (default: the release build)
#
# Prints, per binary: the time until the last run completed, the peak resident memory and
# what is left after the burst.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/Tests/Support/python-venv.sh"
python_venv "$root/Tests/Interop/python/.venv" "$root/Tests/Interop/python/requirements.txt"
[ $# -gt 0 ] || set -- "$(cd "$root" && swift build -c release --product inngest >&2 && swift build -c release --show-bin-path)/inngest"
dev_port=18499
app_port=14239
for binary in "$@"; do
    work=$(mktemp -d)
    env PY_PORT=$app_port INTEROP_MODE=dev INNGEST_BASE_URL=http://127.0.0.1:$dev_port INNGEST_EVENT_KEY=k INTEROP_LOG_LEVEL=WARNING \
        "$venv_python" "$root/Tests/Interop/python/app.py" >"$work/app.log" 2>&1 &
    app=$!
    "$binary" dev --port $dev_port --database "$work/dev.sqlite" --event-key k --quiet -u http://127.0.0.1:$app_port/api/inngest >"$work/dev.log" 2>&1 &
    dev=$!
    for _ in $(seq 150); do curl -sf http://127.0.0.1:$dev_port/dev | grep -q burst && break; sleep 0.2; done
    "$venv_python" - "$dev" "$work/dev.sqlite" "$binary" <<'PY'
import json, sqlite3, sys, time, urllib.request
pid, database, binary = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def rss(field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field):
            return int(line.split()[1]) // 1024
start = time.monotonic()
for batch in range(100):
    body = json.dumps([{"name": "test/burst", "data": {"n": batch * 100 + i}} for i in range(100)]).encode()
    request = urllib.request.Request("http://127.0.0.1:18499/e/k", data=body, method="POST", headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
peak, connection = 0, sqlite3.connect(f"file:{database}?mode=ro", uri=True)
while True:
    peak = max(peak, rss("VmRSS:"))
    if connection.execute("SELECT COUNT(*) FROM runs WHERE status = 'completed'").fetchone()[0] >= 10_000:
        break
    time.sleep(0.2)
print(f"{binary}: 10,000 runs completed in {time.monotonic() - start:.1f} s; peak RSS {max(peak, rss('VmHWM:'))} MB, after {rss('VmRSS:')} MB")
PY
    kill $dev $app 2>/dev/null || true
    wait $dev $app 2>/dev/null || true
    rm -rf "$work"
done
