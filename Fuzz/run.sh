#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, with AddressSanitizer) of the parsers input reaches. They
# are in InngestCore, which has no dependency, and the wire models of Inngest, which need only
# InngestCore: each target is those sources and one entry point, compiled as one module.
#   expression        CEL conditions and keys     cron          cron schedules
#   time-string       time strings                json          the JSON reader and writers
#   event-body        the event API's body        register-payload  an app's /fn/register body
#   call-payload      a call from the server to an app
#   signature-header  X-Inngest-Signature, with its time window at any clock
#
#   Fuzz/run.sh [SECONDS] [TARGET...]     (default: 20 s each, every target)
#
# Each target starts from its seed corpus in Fuzz/Corpus/<target> (new inputs go to
# .build/fuzz/corpus, not into the repository) and runs for SECONDS. A crash, a hang (over
# 10 s for one input), a sanitizer report or a broken property stops it: the input is kept in
# .build/fuzz/artifacts/<target>/ and the script exits 1. Prints executions/s and coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
shift || true
all=(expression cron time-string json event-body register-payload call-payload signature-header)
wire=(Sources/Inngest/Wire/CallRequest.swift Sources/Inngest/Wire/CaseInsensitiveMembers.swift
    Sources/Inngest/Wire/RegisterRequest.swift Sources/Inngest/Wire/RegisteredFunction.swift
    Sources/Inngest/Wire/AppRegistration.swift Sources/Inngest/Serve/SDKIdentity.swift)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
out=.build/fuzz
mkdir -p "$out"
# Swift's crash backtracer would pause on every crash libFuzzer provokes while minimising.
export SWIFT_BACKTRACE=enable=no

source_of() {
    case "$1" in
        expression) echo Expression.swift ;; cron) echo Cron.swift ;; time-string) echo TimeString.swift ;;
        json) echo JSON.swift ;; event-body) echo EventBody.swift ;;
        register-payload) echo RegisterPayload.swift ;; call-payload) echo CallPayload.swift ;;
        signature-header) echo SignatureHeaderTarget.swift ;;
        *) echo "unknown target $1 (one of: ${all[*]})" >&2; exit 2 ;;
    esac
}

status=0
printf '%-12s %10s %10s %8s %8s %s\n' target executions "execs/s" coverage features result
for target in "${targets[@]}"; do
    file=$(source_of "$target")
    binary="$out/$target"
    # The target's file is compiled into InngestCore's module, so it calls package API directly.
    swiftc -sanitize=fuzzer,address -O -g -parse-as-library -swift-version 6 -module-name InngestCore -package-name swift_inngest \
        $(find Sources/InngestCore -name '*.swift') "${wire[@]}" Fuzz/Targets/FuzzInput.swift "Fuzz/Targets/$file" \
        -o "$binary" 2>"$out/$target.build.log" || { cat "$out/$target.build.log" >&2; exit 1; }
    mkdir -p "$out/corpus/$target" "$out/artifacts/$target"
    log="$out/$target.log"
    result=ok
    "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/artifacts/$target/" "$out/corpus/$target" "Fuzz/Corpus/$target" >"$log" 2>&1 || result=FAILED
    executions=$(awk '/stat::number_of_executed_units/ {print $NF}' "$log")
    rate=$(awk '/stat::average_exec_per_sec/ {print $NF}' "$log")
    coverage=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    features=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    printf '%-12s %10s %10s %8s %8s %s\n' "$target" "${executions:-?}" "${rate:-?}" "${coverage:-?}" "${features:-?}" "$result"
    if [ "$result" != ok ]; then
        status=1
        grep -E "Fatal error|ERROR:|SUMMARY|property broken|Test unit written" "$log" | head -8 | sed 's/^/    /' >&2
    fi
done
exit $status
