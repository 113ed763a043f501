#!/usr/bin/env bash
# The peer benchmark: the same workloads on the embedded engine, a served Swift app and a served
# Python app driven by `inngest dev`, DBOS (SQLite, PostgreSQL) and Temporal (activities, local
# activities), side by side in one table. See peers.py for the workloads and what is measured.
#
#   bash Benchmarks/Peers/run.sh                 the full side-by-side run (about 30 minutes)
#   bash Benchmarks/Peers/run.sh --quick         small sizes, a smoke check of a few minutes
#   bash Benchmarks/Peers/run.sh --only engine,dbos-sqlite --workloads steps10,latency
#   bash Benchmarks/Peers/run.sh served-swift 100 100     one system, one workload
#   bash Benchmarks/Peers/run.sh served-swift latency 500
#   bash Benchmarks/Peers/run.sh served-swift parked 10000
#   bash Benchmarks/Peers/run.sh served-swift 100 100 --dev-arg=--some-flag --app-env KEY=VALUE --label " (checkpoint)"
#
# Installs what is missing: PostgreSQL (apt-get, as root), a venv in Benchmarks/Peers/.venv with
# requirements.txt (every package pinned), and release builds of inngest, inngest-benchmarks and
# InngestPeerBenchmarkApp in a scratch path of their own.
#
# Environment (all optional):
#   PEERS_BIN_DIR      take the three Swift executables from here (no build)
#   PEERS_SCRATCH      the build's scratch path (default .build-peers at the repository's root)
#   PEERS_PYTHON       python (>= 3.10) that creates the venv (python3)
#   PEERS_PG_BIN       PostgreSQL's bin directory (default: the newest /usr/lib/postgresql/*/bin)
#   PEERS_DEV_ARGS, PEERS_APP_ENV, PEERS_LABEL   see peers.py
#   PEERS_DEV_PORT, PEERS_SWIFT_PORT, PEERS_PYTHON_PORT, PEERS_UDP_PORT, PEERS_TEMPORAL_PORT,
#   PEERS_POSTGRES_PORT                          ports on 127.0.0.1
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

say() { echo "peers: $*" >&2; }

# --- system packages ------------------------------------------------------------------------

need_apt=()
if [ -z "${PEERS_PG_BIN:-}" ] && ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null && ! command -v postgres >/dev/null; then
    need_apt+=(postgresql)
fi
if ! "${PEERS_PYTHON:-python3}" -c 'import ensurepip, venv' 2>/dev/null; then
    need_apt+=(python3-venv)
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        say "missing ${need_apt[*]}: install them (apt-get install ${need_apt[*]})"
        exit 1
    fi
    say "apt-get install ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# --- Python virtualenv ----------------------------------------------------------------------

source "$root/Tests/Support/python-venv.sh"
SUITE_PYTHON="${PEERS_PYTHON:-python3}" python_venv "$here/.venv" "$here/requirements.txt"
py="$venv_python"

# --- Swift products ---------------------------------------------------------------------------

products=(inngest inngest-benchmarks InngestPeerBenchmarkApp)
if [ -n "${PEERS_BIN_DIR:-}" ]; then
    bin="$PEERS_BIN_DIR"
else
    scratch="${PEERS_SCRATCH:-$root/.build-peers}"
    for product in "${products[@]}"; do
        say "swift build -c release --product $product (scratch path $scratch)"
        swift build -c release --scratch-path "$scratch" --product "$product" >&2
    done
    bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
fi
for product in "${products[@]}"; do
    if [ ! -x "$bin/$product" ]; then
        say "missing $bin/$product"
        exit 1
    fi
done

exec "$py" "$here/peers.py" --bin-dir "$bin" --python "$py" "$@"
