#!/usr/bin/env bash
# Chaos at scale for the embedded engine: R runs of 10 steps each (step.run, a real 1-2 s
# sleep, an invoke, a waitForEvent that is answered or times out) in one worker process
# (InngestCrashWorker chaos) that is SIGKILLed K times at random moments and restarted on the
# same SQLite file; then it is let finish and check-chaos.py checks the file and the step log:
# every run completed with the output its input determines, no acknowledged event lost, no
# step recorded twice, and step bodies re-executed no more than were in flight at the kills.
#
#     Tests/Chaos/engine-chaos.sh                 # CI size: 200 runs, 8 kills
#     CHAOS_RUNS=1000 CHAOS_KILLS=20 Tests/Chaos/engine-chaos.sh   # full size
#
# Environment: CHAOS_BIN_DIR (where InngestCrashWorker is; default the debug bin path),
# CHAOS_SEED (repeats the kill decisions), CHAOS_DEADLINE (seconds; default 900),
# CHAOS_KEEP=1 keeps the files. Exits non-zero if a property is violated.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${CHAOS_RUNS:-200}"
kills="${CHAOS_KILLS:-8}"
deadline="${CHAOS_DEADLINE:-900}"
seed="${CHAOS_SEED:-$(( $(date +%s%N) % 32768 ))}"
bin_dir="${CHAOS_BIN_DIR:-$(cd "$root" && swift build --show-bin-path)}"
worker="$bin_dir/InngestCrashWorker"
[[ -x "$worker" ]] || { echo "no worker at $worker: swift build --product InngestCrashWorker" >&2; exit 2; }

RANDOM=$seed
work="$(mktemp -d "${TMPDIR:-/tmp}/engine-chaos.XXXXXX")"
database="$work/engine.sqlite"
steps="$work/steps.log"
accepted="$work/accepted"
pid=""
cleanup() {
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
    if [[ "${CHAOS_KEEP:-0}" == 1 || "${failed:-1}" == 1 ]]; then echo "files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
touch "$steps" "$accepted"

# Lines the step log gets per run (begin, ran and saw for 7 + 2 bodies), to spread the kills.
expected_lines=$(( runs * 27 ))
random_between() { echo $(( $1 + (RANDOM * 32768 + RANDOM) % ($2 - $1 + 1) )); }
lines_of() { wc -l < "$1" | tr -d ' '; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

echo "engine chaos: $runs runs x 10 steps, $kills SIGKILLs, seed $seed, worker $worker"
echo "checks: every run completed with the output its input determines; no acknowledged event lost;"
echo "        no step recorded twice; step bodies re-executed <= bodies in flight at the kills"
start_ms=$(now_ms)
killed=0
launch=0
next_n=0
kill_notes=()
killed_launches=""
failed=1
while true; do
    (( $(now_ms) - start_ms < deadline * 1000 )) || { echo "FAIL: not finished within ${deadline}s ($killed kills, $launch launches; files in $work)"; exit 1; }
    acked=$(lines_of "$accepted")
    remaining=$(( runs - acked ))
    launch=$(( launch + 1 ))
    out="$work/launch-$launch.out"
    "$worker" chaos "$database" "$steps" "$remaining" "$next_n" > "$out" 2> "$work/launch-$launch.err" &
    pid=$!
    next_n=$(( next_n + remaining ))

    # Where to kill this one: while it sends (after some acknowledgements), a random time after
    # launch (recovery, sleeps, waits), or after the step log grew by a random amount spread
    # over the work left.
    trigger=""
    if (( killed < kills )); then
        left=$(( kills - killed ))
        logged=$(lines_of "$steps")
        span=$(( (expected_lines - logged) * 2 / (left + 1) ))
        (( span > 20 )) || span=20
        if (( remaining > 0 )) && (( killed == 0 || RANDOM % 3 == 0 )); then
            trigger="accepted $(random_between 1 "$remaining")"
        elif (( RANDOM % 4 == 0 )); then
            trigger="time $(random_between 0 1500)"
        else
            trigger="logged $(( logged + $(random_between 1 "$span") ))"
        fi
    fi
    launched_ms=$(now_ms)
    kill_at=""
    while kill -0 "$pid" 2>/dev/null; do
        if (( $(now_ms) - start_ms > deadline * 1000 )); then
            echo "FAIL: not finished within ${deadline}s ($killed kills, launch $launch; files in $work)"
            tail -5 "$out"; exit 1
        fi
        if [[ -n "$trigger" ]]; then
            read -r kind value <<< "$trigger"
            elapsed=$(( $(now_ms) - launched_ms ))
            case "$kind" in
                accepted) (( $(grep -c '^accepted' "$out" || true) >= value || elapsed > 4000 )) && kill_at="after $(grep -c '^accepted' "$out" || true) sends" ;;
                time) (( elapsed >= value )) && kill_at="${elapsed} ms after launch" ;;
                logged) (( $(lines_of "$steps") >= value || elapsed > 6000 )) && kill_at="at step log line $(lines_of "$steps")" ;;
            esac
            if [[ -n "$kill_at" ]]; then
                kill -9 "$pid" 2>/dev/null || true
                break
            fi
        fi
        sleep 0.02
    done
    status=0
    # (2>/dev/null: no "Killed" job notice from bash)
    wait "$pid" 2>/dev/null || status=$?
    pid=""
    grep '^accepted' "$out" >> "$accepted" || true
    if [[ -n "$kill_at" && $status == 137 ]]; then
        killed=$(( killed + 1 ))
        kill_notes+=("launch $launch: $kill_at")
        killed_launches="$killed_launches${killed_launches:+,}$launch"
        continue
    fi
    if (( status != 0 )) || ! grep -q '^done$' "$out"; then
        echo "FAIL: worker launch $launch exited $status without finishing"
        tail -20 "$work/launch-$launch.err"; exit 1
    fi
    (( killed < kills )) || break
    # It finished before every kill was made: another wave of a tenth of the runs.
    runs=$(( runs + (runs + 9) / 10 ))
    expected_lines=$(( runs * 27 ))
done
wall_ms=$(( $(now_ms) - start_ms ))

echo "killed $killed times over $launch launches:"
printf '  %s\n' "${kill_notes[@]}"
echo "checking $database"
if python3 "$here/check-chaos.py" "$database" "$steps" "$accepted" "$killed_launches"; then failed=0; fi
printf 'wall time: %d.%03d s\n' $(( wall_ms / 1000 )) $(( wall_ms % 1000 ))
(( failed == 0 )) || { echo "engine chaos: FAILED"; exit 1; }
echo "engine chaos: passed"
