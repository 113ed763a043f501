#!/usr/bin/env bash
# Runs the example against the stand-in collector (a venv with its pinned requirements is made
# once, under .venv) and checks the trace it exported. Run from anywhere; builds first.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/.."
venv="$here/.venv"
if ! "$venv/bin/python" -c 'import opentelemetry.proto' 2>/dev/null; then
    python3 -m venv --clear "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$here/requirements.txt"
fi
swift build
port=4318
"$venv/bin/python" "$here/collector.py" "$port" &
collector=$!
trap 'kill $collector 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break
    sleep 0.1
done
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$port" timeout 300 "$(swift build --show-bin-path)/Observability"
kill -TERM "$collector"
wait "$collector"
