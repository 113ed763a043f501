#!/usr/bin/env bash
# Interop suite: `inngest dev` drives the Python SDK app (python/app.py) and the
# Swift app (InngestInteropApp); check.py makes them call each other.
#
#   bash Tests/Interop/run.sh [CHECK ...]     (check names: python3 Tests/Interop/check.py --list)
#
# Environment (all optional):
#   DEV_PORT, PY_PORT, SWIFT_PORT   ports on 127.0.0.1 (18288, 13939, 13940)
#   EVENT_KEY                       the dev server's event key (interop-key)
#   INTEROP_PYTHON                  python (>= 3.10) that creates the venv (python3)
#   INTEROP_SKIP_BUILD=1            use the binaries already in `swift build --show-bin-path`
#   INTEROP_BIN_DIR                 take `inngest` and `InngestInteropApp` from here (no build)
#   INTEROP_KEEP_LOGS=1             keep the log directory when every check passes
#   CHECK_TIMEOUT, SYNC_TIMEOUT     passed on to check.py
#
# Exit code: check.py's (or 1 when setup fails). The three processes are stopped
# on exit; when anything failed, the last 50 lines of each log are printed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

DEV_PORT="${DEV_PORT:-18288}"
PY_PORT="${PY_PORT:-13939}"
SWIFT_PORT="${SWIFT_PORT:-13940}"
EVENT_KEY="${EVENT_KEY:-interop-key}"
DEV_URL="http://127.0.0.1:$DEV_PORT"
PY_URL="http://127.0.0.1:$PY_PORT"
SWIFT_URL="http://127.0.0.1:$SWIFT_PORT"

say() { echo "interop: $*" >&2; }

# --- Python virtualenv --------------------------------------------------------

source "$root/Tests/Support/python-venv.sh"
SUITE_PYTHON="${INTEROP_PYTHON:-${SUITE_PYTHON:-python3}}" python_venv "$here/python/.venv" "$here/python/requirements.txt"
py="$venv_python"

# --- Swift products -----------------------------------------------------------

if [ -n "${INTEROP_BIN_DIR:-}" ]; then
    bin="$INTEROP_BIN_DIR"
else
    if [ "${INTEROP_SKIP_BUILD:-0}" != 1 ]; then
        # The same build as `swift test` (which CI runs first), so nothing is rebuilt: a
        # `--product` build uses other flags and would compile every dependency again.
        say "swift build --build-tests"
        swift build --build-tests
    fi
    bin="$(swift build --show-bin-path)"
fi
for exe in inngest InngestInteropApp; do
    if [ ! -x "$bin/$exe" ]; then
        say "missing $bin/$exe"
        exit 1
    fi
done

# --- processes ----------------------------------------------------------------

for port in "$DEV_PORT" "$PY_PORT" "$SWIFT_PORT"; do
    if ! "$py" - "$port" <<'EOF'; then
import socket, sys
s = socket.socket()
# Like the servers, ignore sockets of closed connections (TIME_WAIT).
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
EOF
        say "port $port on 127.0.0.1 is already in use (set DEV_PORT / PY_PORT / SWIFT_PORT)"
        exit 1
    fi
done

logs="$(mktemp -d "${TMPDIR:-/tmp}/inngest-interop.XXXXXX")"
names=()
pids=()

check_pid=""

stop_all() {
    local rc=$?
    set +e
    local i
    if [ -n "$check_pid" ]; then
        kill -TERM "$check_pid" 2>/dev/null
        wait "$check_pid" 2>/dev/null
    fi
    for i in "${!pids[@]}"; do
        kill -TERM "${pids[$i]}" 2>/dev/null
    done
    for i in "${!pids[@]}"; do
        local n=0
        while kill -0 "${pids[$i]}" 2>/dev/null && [ "$n" -lt 50 ]; do
            sleep 0.1
            n=$((n + 1))
        done
        if kill -0 "${pids[$i]}" 2>/dev/null; then
            say "${names[$i]} did not stop on SIGTERM; sending SIGKILL"
            kill -KILL "${pids[$i]}" 2>/dev/null
        fi
        wait "${pids[$i]}" 2>/dev/null
    done
    if [ "$rc" -ne 0 ]; then
        for i in "${!names[@]}"; do
            echo "----- last 50 lines of ${names[$i]} ($logs/${names[$i]}.log) -----"
            tail -n 50 "$logs/${names[$i]}.log"
        done
        say "logs kept in $logs"
    elif [ "${INTEROP_KEEP_LOGS:-0}" = 1 ]; then
        say "logs kept in $logs"
    else
        rm -rf "$logs"
    fi
    exit "$rc"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start NAME COMMAND...: runs COMMAND in the background, output to $logs/NAME.log
start() {
    local name="$1"
    shift
    "$@" >"$logs/$name.log" 2>&1 &
    names+=("$name")
    pids+=("$!")
    say "started $name (pid $!)"
}

# wait_http NAME URL [SECONDS]: until GET URL answers 2xx, while NAME's process lives
wait_http() {
    local name="$1" url="$2" limit="${3:-60}"
    local pid="" i
    for i in "${!names[@]}"; do
        if [ "${names[$i]}" = "$name" ]; then pid="${pids[$i]}"; fi
    done
    local deadline=$((SECONDS + limit))
    while [ "$SECONDS" -lt "$deadline" ]; do
        if ! kill -0 "$pid" 2>/dev/null; then
            say "$name exited before $url answered"
            return 1
        fi
        if "$py" - "$url" <<'EOF' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()
EOF
            say "$name is up ($url)"
            return 0
        fi
        sleep 0.5
    done
    say "$name: no 2xx from $url within ${limit}s"
    return 1
}

# Both apps talk to the dev server only. The Python app is in dev mode
# (is_production=False, no signing key); INNGEST_BASE_URL gives both of its
# origins. Both send events with the dev server's event key.
start python-app env \
    PY_PORT="$PY_PORT" \
    INTEROP_MODE=dev \
    INNGEST_BASE_URL="$DEV_URL" \
    INNGEST_EVENT_KEY="$EVENT_KEY" \
    PYTHONUNBUFFERED=1 \
    "$py" "$here/python/app.py"
start swift-app env \
    PORT="$SWIFT_PORT" \
    INNGEST_DEV="$DEV_URL" \
    INNGEST_EVENT_KEY="$EVENT_KEY" \
    "$bin/InngestInteropApp"
wait_http python-app "$PY_URL/healthz"
wait_http swift-app "$SWIFT_URL/api/inngest"

start inngest-dev "$bin/inngest" dev \
    --port "$DEV_PORT" \
    --in-memory \
    --event-key "$EVENT_KEY" \
    -u "$PY_URL/api/inngest" \
    -u "$SWIFT_URL/api/inngest"
wait_http inngest-dev "$DEV_URL/dev"
# Started without --host, it must listen on loopback only, not on every interface.
listening="$(ss -Hltn "sport = :$DEV_PORT" | awk '{print $4}' | sort -u | tr '\n' ' ')"
if [ "$listening" != "127.0.0.1:$DEV_PORT " ]; then
    say "inngest dev listens on '$listening', not only on 127.0.0.1:$DEV_PORT (its default --host)"
    exit 1
fi
say "inngest dev listens on 127.0.0.1:$DEV_PORT only (its default --host)"

# --- checks -------------------------------------------------------------------

# In the background so that a signal to this script is handled at once.
DEV_URL="$DEV_URL" PY_URL="$PY_URL" EVENT_KEY="$EVENT_KEY" "$py" "$here/check.py" "$@" &
check_pid=$!
set +e
wait "$check_pid"
rc=$?
check_pid=""
set -e
exit "$rc"
