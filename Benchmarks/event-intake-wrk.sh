#!/usr/bin/env bash
# Event intake of the release-built `inngest dev` under wrk (Debian's `wrk`): 8 connections,
# each posting its next request after the previous answer, for single events and batches of
# 100 that trigger nothing. The server keeps its state in a SQLite file (WAL, synchronous=FULL).
# Prints wrk's figures and the server's own CPU time per event (from /proc).
#
#   Benchmarks/event-intake-wrk.sh [INNGEST_BINARY]     (default: builds it with -c release)
#   DURATION=10s CONNECTIONS=8 PORT=18299
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
bin="${1:-}"
if [ -z "$bin" ]; then
    swift build -c release --product inngest >&2
    bin="$(swift build -c release --show-bin-path)/inngest"
fi
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-8}"
PORT="${PORT:-18299}"
work="$(mktemp -d)"
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" dev --port "$PORT" --database "$work/dev.sqlite" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
    sleep 0.1
done

single='{"name":"bench/nothing","data":{"i":1,"user":"u-1"}}'
batch="[$(for i in $(seq 100); do printf '{"name":"bench/nothing","data":{"i":%d}}' "$i"; if [ "$i" -lt 100 ]; then printf ','; fi; done)]"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }

run() {
    local label="$1" body="$2" per_request="$3"
    cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[$body]==]
LUA
    local before after requests
    before=$(cpu_ticks)
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s "$work/post.lua" "http://127.0.0.1:$PORT/e/bench-key" >"$work/wrk.txt"
    after=$(cpu_ticks)
    requests=$(awk '/requests in/ {print $1}' "$work/wrk.txt")
    local ticks_per_second; ticks_per_second=$(getconf CLK_TCK)
    echo "== $label"
    grep -E "Latency |50%|99%|Requests/sec|requests in|Non-2xx" "$work/wrk.txt" | sed 's/^/   /'
    awk -v r="$requests" -v n="$per_request" -v t=$((after - before)) -v hz="$ticks_per_second" -v d="${DURATION%s}" 'BEGIN {
        printf "   %.0f events/s; server CPU %.1f µs per event\n", r * n / d, t / hz / (r * n) * 1e6 }'
}

run "single events, trigger nothing" "$single" 1
run "batches of 100, trigger nothing" "$batch" 100
