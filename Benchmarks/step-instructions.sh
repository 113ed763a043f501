#!/usr/bin/env bash
# Instructions per durable step in the embedded engine, counted by callgrind, against the
# committed baseline (Benchmarks/step-instructions.baseline); fails on a rise of more than
# 10 %. Instruction counts do not depend on the machine's load, so CI can hold the per-step
# path to a figure where wall time could not.
#
#   Benchmarks/step-instructions.sh [BIN_DIR]     BIN_DIR holds a release inngest-benchmarks
#   STEP_INSTRUCTIONS_UPDATE=1 Benchmarks/step-instructions.sh   writes the baseline
#
# Each count is `inngest-benchmarks step-path RUNS STEPS` under callgrind, once with STEPS
# and once with none; the difference over RUNS x STEPS is the path of one step (the body,
# its commit through group commit, the replay bookkeeping), without start-up and the runs'
# own cost. Each is the median of three counts: the threads' interleaving varies the
# group-commit batches a little.
set -euo pipefail
cd "$(dirname "$0")/.."

bin_dir="${1:-$(swift build -c release --show-bin-path)}"
runs=20 steps=50 limit_percent=110
baseline_file=Benchmarks/step-instructions.baseline
command -v valgrind >/dev/null || { echo "step-instructions: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }

# valgrind 3.19 cannot read the DWARF of a Swift 6.3 release build: count a copy without it.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
strip --strip-debug -o "$work/inngest-benchmarks" "$bin_dir/inngest-benchmarks"

count_once() {
    local log
    log=$(SWIFT_BACKTRACE=enable=no valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$work/inngest-benchmarks" step-path "$runs" "$1" 2>&1) || { echo "$log" >&2; return 1; }
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' <<<"$log"
}
median_of_three() {
    local a b c
    a=$(count_once "$1") b=$(count_once "$1") c=$(count_once "$1")
    printf '%s\n' "$a" "$b" "$c" | sort -n | sed -n 2p
}

without=$(median_of_three 0)
with=$(median_of_three "$steps")
per_step=$(((with - without) / (runs * steps)))
echo "step-instructions: $per_step instructions per durable step ($runs runs x $steps steps: $with; without steps: $without)"

if [ "${STEP_INSTRUCTIONS_UPDATE:-}" = 1 ]; then
    echo "$per_step" >"$baseline_file"
    echo "step-instructions: baseline written to $baseline_file"
    exit 0
fi
baseline=$(tr -dc '0-9' <"$baseline_file")
echo "step-instructions: baseline $baseline; ratio $(awk -v a="$per_step" -v b="$baseline" 'BEGIN { printf "%.3f", a / b }')"
if ((per_step * 100 > baseline * limit_percent)); then
    echo "step-instructions: more than ${limit_percent}% of the baseline: the per-step path got slower" >&2
    exit 1
fi
