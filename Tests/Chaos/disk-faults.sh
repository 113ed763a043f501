#!/usr/bin/env bash
# Faults below the embedded engine: the file system fills up, turns read-only, and the WAL
# is torn or corrupted after a crash. Each case checks that the engine process does not crash
# (exit status, no trap on stderr), that `send` fails fast with a clear error instead of
# hanging, that what was acknowledged before stays, and that the engine recovers.
#
#     sudo Tests/Chaos/disk-faults.sh
#
# Needs root (tmpfs and loop mounts). Environment: CHAOS_BIN_DIR (where InngestCrashWorker
# is; default the debug bin path), CHAOS_KEEP=1 keeps the files, CHAOS_NO_SKIP=1 makes a case
# this machine cannot run (no loop device, no ext4 error trigger) a failure, as CI wants.
# Exits non-zero on a failure.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin_dir="${CHAOS_BIN_DIR:-$(cd "$root" && swift build --show-bin-path)}"
worker="$bin_dir/InngestCrashWorker"
[[ -x "$worker" ]] || { echo "no worker at $worker: swift build --product InngestCrashWorker" >&2; exit 2; }
[[ $(id -u) == 0 ]] || { echo "disk-faults.sh mounts file systems: run it as root" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/disk-faults.XXXXXX")"
mounts=()
failures=0
wpid=""
cleanup() {
    if [[ -n "$wpid" ]] && kill -0 "$wpid" 2>/dev/null; then kill -9 "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null; fi
    local i
    for (( i = ${#mounts[@]} - 1; i >= 0; i-- )); do
        umount "${mounts[i]}" 2>/dev/null || umount -l "${mounts[i]}" 2>/dev/null || true
    done
    if [[ "${CHAOS_KEEP:-0}" == 1 || $failures != 0 ]]; then echo "files kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() { echo "  FAIL: $*"; failures=$(( failures + 1 )); }
ok() { echo "  ok: $*"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
section() { echo; echo "== $*"; section_start=$(now_ms); }
section_end() { local t=$(( $(now_ms) - section_start )); printf '  (%d.%03d s)\n' $(( t / 1000 )) $(( t % 1000 )); }

# --- The worker (InngestCrashWorker faults), driven line by line through a coprocess.

start_worker() { # <database> <name>
    name="$2"
    coproc WORKER { exec "$worker" faults "$1" "$work/$name-steps.log" 2> "$work/$name.err"; }
    wpid=$WORKER_PID
    exec {to_worker}>&"${WORKER[1]}" {from_worker}<&"${WORKER[0]}"
}
tell() { echo "$1" >&"$to_worker"; }
# Reads answer lines until one matches <regex>, for at most <seconds>; the lines are in
# `reply`, the last in `last`. A worker that does not answer in time is a hang.
listen() { # <seconds> <regex>
    local deadline=$(( $(now_ms) + $1 * 1000 )) line left
    reply=(); last=""
    while true; do
        left=$(( (deadline - $(now_ms)) / 1000 + 1 ))
        if (( $(now_ms) >= deadline )) || ! IFS= read -r -t "$left" -u "$from_worker" line; then
            fail "no answer matching /$2/ within $1 s (a hang, or the worker died: $(worker_state))"
            return 1
        fi
        echo "$line" >> "$work/$name.out"
        reply+=("$line"); last="$line"
        [[ "$line" =~ $2 ]] && return 0
    done
}
ask() { tell "$1"; listen "$2" "$3"; }
worker_state() { if kill -0 "$wpid" 2>/dev/null; then echo "running"; else echo "exited"; fi; }
lines_matching() { local l n=0; for l in "${reply[@]}"; do [[ "$l" =~ $1 ]] && n=$(( n + 1 )); done; echo $n; }
crash_markers='Fatal error|Trap|Illegal instruction|Segmentation fault|Aborted|Assertion failed|Bus error'
# Quits the worker: it must exit 0 and have written no crash report.
stop_worker() {
    tell "quit"
    local status=0
    wait "$wpid" 2>/dev/null || status=$?
    exec {to_worker}>&- {from_worker}<&-
    wpid=""
    if (( status == 0 )); then ok "the worker exited 0"; else fail "the worker exited with status $status"; fi
    if grep -Eq "$crash_markers" "$work/$name.err"; then fail "crash report on stderr: $(grep -Em1 "$crash_markers" "$work/$name.err")"; fi
}
alive() { if kill -0 "$wpid" 2>/dev/null; then ok "the process is still running"; else fail "the process died"; fi; }
# Checks the `error send <n> <ms> <why>` lines of the reply: the reason must name the fault
# (<regex>) and no send may have taken more than 10 s.
check_send_errors() { # <regex>
    local l slowest=0 unclear=0 ms why first=""
    for l in "${reply[@]}"; do
        [[ "$l" == "error send "* ]] || continue
        read -r _ _ _ ms why <<< "$l"
        (( ms > slowest )) && slowest=$ms
        [[ -z "$first" ]] && first="$why"
        [[ "$why" =~ $1 ]] || unclear=$(( unclear + 1 ))
    done
    echo "  first error: $first"
    if (( unclear == 0 )); then ok "every failed send named the fault (/$1/)"; else fail "$unclear failed sends with an unclear error"; fi
    if (( slowest <= 10000 )); then ok "slowest failed send: $slowest ms (no hang)"; else fail "a failed send took $slowest ms"; fi
}
# Expects `check <accepted> <stored> <completed>` with every accepted event stored (and,
# with `all`, every run completed with its n).
expect_check() { # [all]
    ask "check" 120 '^check ' || return
    read -r _ accepted_count stored completed <<< "$last"
    echo "  acknowledged $accepted_count, stored $stored, completed $completed"
    if (( stored == accepted_count )); then ok "no acknowledged event lost"; else fail "$(( accepted_count - stored )) acknowledged events missing"; fi
    if [[ "${1:-}" == all ]]; then
        if (( completed == accepted_count )); then ok "every run completed with its output"; else fail "$(( accepted_count - completed )) runs not completed"; fi
    fi
}
sql() { python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$@"; }

echo "disk faults: worker $worker, files in $work"
total_start=$(now_ms)

# --- 1. Disk full: a 4 MiB tmpfs fills up under a running engine, then grows to 64 MiB.
section "disk full (tmpfs of 4 MiB, then remounted with 64 MiB)"
dir="$work/full"; mkdir -p "$dir"
mount -t tmpfs -o size=4m tmpfs "$dir" && mounts+=("$dir")
start_worker "$dir/engine.sqlite" full
ask "open 10" 20 '^(opened|open-failed)$' && [[ "$last" == opened ]] || fail "the engine did not open"
ask "send 20 0 512" 60 '^sent ' && [[ "$last" == "sent 20 0" ]] || fail "20 sends before the disk filled: $last"
ask "wait 30" 40 '^(done|pending)' && [[ "$last" == done ]] || fail "the first 20 runs did not finish: $last"
# 64 KiB events (and the same in each of their three step results) until 3 sends in a row fail.
if ask "fill 20 65536 2000" 600 '^filled '; then
    read -r _ good bad _ <<< "$last"
    echo "  filled: $good more events accepted, then $bad sends failed; $(df -k "$dir" | awk 'NR==2 {print $3 " KiB used of " $2}')"
    (( bad > 0 )) || fail "no send failed: the disk never filled"
    check_send_errors 'disk is full|SQLITE_FULL|No space'
fi
alive
ask "health" 20 '^health ' && echo "  $last"
expect_check
mount -o remount,size=64m "$dir"
echo "  remounted with 64 MiB"
ask "send 10 100000 512" 60 '^sent ' && [[ "$last" == "sent 10 0" ]] && ok "new events accepted after space was freed" || fail "after freeing space: $last"
ask "wait 180" 200 '^(done|pending)' && [[ "$last" == done ]] && ok "every run finished in the same process" || fail "runs did not finish after space was freed: $last"
expect_check all
ask "health" 20 '^health ' && echo "  $last"
stop_worker
integrity=$(sql "$dir/engine.sqlite" "PRAGMA integrity_check")
unfinished=$(sql "$dir/engine.sqlite" "SELECT COUNT(*) FROM runs WHERE status != 'completed'")
[[ "$integrity" == ok && "$unfinished" == 0 ]] && ok "the file: integrity_check ok, every run completed" || fail "the file: integrity_check $integrity, $unfinished runs not completed"
section_end

# --- 2. Read-only.
section "read-only mount (tmpfs): the engine starts on it, then it turns read-write"
dir="$work/ro"; mkdir -p "$dir"
mount -t tmpfs -o size=64m tmpfs "$dir" && mounts+=("$dir")
start_worker "$dir/engine.sqlite" ro-1
ask "open 10" 20 '^(opened|open-failed)$' && [[ "$last" == opened ]] || fail "the engine did not open"
ask "send 10 0 512" 60 '^sent ' && [[ "$last" == "sent 10 0" ]] || fail "10 sends: $last"
ask "wait 30" 40 '^(done|pending)' && [[ "$last" == done ]] || fail "the runs did not finish: $last"
# A read-only remount under a running engine: Linux refuses it (EBUSY) while any file on the
# mount is open for writing, which the engine's database always is.
if mount -o remount,ro "$dir" 2>/dev/null; then
    fail "the kernel remounted read-only under the running engine (not expected: the cases below assume it refuses)"
    mount -o remount,rw "$dir"
else
    ok "remount,ro under the running engine: the kernel refuses (mount point busy), so the engine cannot see it"
fi
stop_worker
mount -o remount,ro "$dir" && echo "  remounted read-only"
start_worker "$dir/engine.sqlite" ro-2
tell "open 60"
if listen 20 '^(error open|opened|open-failed)'; then
    if [[ "$last" == "error open "* && "$last" =~ [Rr]ead-only|readonly|EROFS ]]; then ok "opening fails with a clear error: ${last#error open }"
    else fail "opening on a read-only mount: $last"; fi
fi
sleep 1
alive
mount -o remount,rw "$dir" && echo "  remounted read-write"
listen 20 '^(opened|open-failed)$' && [[ "$last" == opened ]] && ok "the same process opened the engine once the mount was writable" || fail "no recovery: $last"
ask "send 10 10 512" 60 '^sent ' && [[ "$last" == "sent 10 0" ]] && ok "new events accepted" || fail "sends after recovery: $last"
ask "wait 60" 70 '^(done|pending)' && [[ "$last" == done ]] && ok "every run finished" || fail "runs after recovery: $last"
expect_check all
stop_worker
total=$(sql "$dir/engine.sqlite" "SELECT COUNT(*) FROM runs WHERE status = 'completed'")
[[ "$total" == 20 ]] && ok "the file: 20 runs completed (10 before, 10 after)" || fail "the file: $total runs completed, expected 20"
section_end

# --- 2b. The file system turns read-only under a running engine: ext4 with errors=remount-ro
# and an error injected through sysfs, as after an I/O error on a real disk.
section "read-only under a running engine (ext4 on a loop device, errors=remount-ro, error injected)"
if ! command -v mkfs.ext4 >/dev/null || ! command -v e2fsck >/dev/null || ! losetup -f >/dev/null 2>&1; then
    echo "  SKIP: needs mkfs.ext4, e2fsck and a free loop device"
    [[ "${CHAOS_NO_SKIP:-0}" == 1 ]] && failures=$((failures + 1))
else
    dir="$work/ext4"; mkdir -p "$dir"
    image="$work/ext4.img"
    truncate -s 64M "$image" && mkfs.ext4 -q "$image"
    mount -o loop,errors=remount-ro "$image" "$dir" && mounts+=("$dir")
    device=$(basename "$(findmnt -n -o SOURCE "$dir")")
fi
if [[ -n "${device:-}" && ! -w "/sys/fs/ext4/$device/trigger_fs_error" ]]; then
    echo "  SKIP: this kernel has no /sys/fs/ext4/$device/trigger_fs_error"
    [[ "${CHAOS_NO_SKIP:-0}" == 1 ]] && failures=$((failures + 1))
    umount "$dir" && unset 'mounts[-1]'
elif [[ -n "${device:-}" ]]; then
    start_worker "$dir/engine.sqlite" ext4-1
    ask "open 10" 20 '^(opened|open-failed)$' && [[ "$last" == opened ]] || fail "the engine did not open"
    # Each run sleeps 2 s after its first step: they are all in flight when the file system
    # turns read-only, and their next writes fail.
    ask "send 40 0 4096 2" 60 '^sent ' && [[ "$last" == "sent 40 0" ]] || fail "40 sends: $last"
    grep '^accepted' "$work/ext4-1.out" | awk '{print $2}' > "$work/ext4-accepted"
    echo 1 > "/sys/fs/ext4/$device/trigger_fs_error"
    findmnt -n -o OPTIONS "$dir" | grep -q '\bro\b\|emergency_ro' && echo "  the file system is now read-only ($(findmnt -n -o OPTIONS "$dir"))"
    if ask "send 5 1000 512" 60 '^sent '; then
        read -r _ good bad <<< "$last"
        (( bad == 5 )) && ok "5 sends on the read-only file system: all failed" || fail "sends on a read-only file system: $good accepted"
        check_send_errors '[Rr]ead-only|readonly|I/O error|disk is full|unable to open'
    fi
    if ask "wait 4" 20 '^(done|pending)'; then
        [[ "$last" == pending* ]] && ok "runs stay unfinished, not failed: $last (their writes fail; they are tried again)" || fail "runs: $last"
    fi
    ask "health" 20 '^health ' && echo "  $last"
    alive
    stop_worker
    umount "$dir" && unset 'mounts[-1]'
    e2fsck -fy "$image" >/dev/null 2>&1; fsck_status=$?
    (( fsck_status <= 1 )) && ok "e2fsck: clean or fixed (status $fsck_status)" || fail "e2fsck status $fsck_status"
    mount -o loop "$image" "$dir" && mounts+=("$dir")
    start_worker "$dir/engine.sqlite" ext4-2
    ask "open 10" 20 '^(opened|open-failed)$' && [[ "$last" == opened ]] && ok "a new process opens the file once it is writable again" || fail "reopening: $last"
    ask "wait 60" 70 '^(done|pending)' && [[ "$last" == done ]] && ok "every run finished" || fail "runs after reopening: $last"
    stop_worker
    missing=0
    while read -r id; do
        [[ $(sql "$dir/engine.sqlite" "SELECT COUNT(*) FROM runs WHERE event_id = '$id' AND status = 'completed'") == 1 ]] || missing=$(( missing + 1 ))
    done < "$work/ext4-accepted"
    echo "  acknowledged before the error: $(wc -l < "$work/ext4-accepted"), without a completed run now: $missing"
    (( missing == 0 )) && ok "no acknowledged event lost" || fail "$missing acknowledged events lost"
    integrity=$(sql "$dir/engine.sqlite" "PRAGMA integrity_check")
    [[ "$integrity" == ok ]] && ok "integrity_check ok" || fail "integrity_check: $integrity"
fi
section_end

# --- 3. The WAL after a SIGKILL: torn at its end, or corrupted inside.
# A chaos worker (see engine-chaos.sh) is killed while it sends; the WAL is damaged; a new
# worker must open the file and finish every run the surviving commits hold.
wal_case() { # <tear|corrupt>
    local mode="$1" attempt dir accepted kept full status
    for attempt in 1 2 3 4 5 6 7 8; do
        dir="$work/wal-$mode-$attempt"; mkdir -p "$dir"
        "$worker" chaos "$dir/engine.sqlite" "$dir/steps.log" 150 0 > "$dir/launch-1.out" 2> "$dir/launch-1.err" &
        local pid=$! target=$(( 30 + RANDOM % 90 )) t0=$(now_ms)
        while kill -0 "$pid" 2>/dev/null && (( $(grep -c '^accepted' "$dir/launch-1.out") < target && $(now_ms) - t0 < 20000 )); do sleep 0.01; done
        kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
        grep '^accepted' "$dir/launch-1.out" > "$dir/accepted-all"
        mkdir -p "$dir/before"; cp "$dir"/engine.sqlite* "$dir/before/"
        python3 "$here/wal.py" "$mode" "$dir/engine.sqlite" > "$dir/wal.txt"; status=$?
        if (( status == 3 )); then echo "  attempt $attempt: $(cat "$dir/wal.txt"); again"; continue; fi
        (( status == 0 )) || { fail "wal.py $mode: $(cat "$dir/wal.txt")"; return; }
        echo "  killed after $(wc -l < "$dir/accepted-all") acknowledged sends; $(tail -1 "$dir/wal.txt")"
        kept=$(awk '/^frames/ {print $2}' "$dir/wal.txt")
        # The events of the commits that survive the damage, and of all of them.
        python3 "$here/wal.py" events "$dir/before/engine.sqlite" "$kept" | sort > "$dir/kept-ids"
        python3 "$here/wal.py" events "$dir/before/engine.sqlite" | sort > "$dir/all-ids"
        awk '{print $2}' "$dir/accepted-all" | sort > "$dir/acked-ids"
        grep -Ff "$dir/kept-ids" "$dir/accepted-all" > "$dir/accepted-kept" || true
        local acked=$(wc -l < "$dir/acked-ids") acked_kept=$(wc -l < "$dir/accepted-kept")
        local acked_dropped=$(comm -12 "$dir/acked-ids" <(comm -23 "$dir/all-ids" "$dir/kept-ids") | wc -l)
        echo "  events: $(wc -l < "$dir/all-ids") committed before the damage, $(wc -l < "$dir/kept-ids") in the commits recovery keeps;"
        echo "  acknowledged: $acked, of which $acked_kept before the damaged frame and $acked_dropped after it"
        # A new process on the damaged file: it must open, serve and finish.
        local launch_start=$(now_ms)
        timeout 300 "$worker" chaos "$dir/engine.sqlite" "$dir/steps.log" 0 100000 > "$dir/launch-2.out" 2> "$dir/launch-2.err"; status=$?
        if (( status == 0 )) && grep -q '^done$' "$dir/launch-2.out"; then
            ok "a new engine opened the damaged file and finished every run ($(( $(now_ms) - launch_start )) ms)"
        else
            fail "the engine on the damaged file: status $status, $(tail -3 "$dir/launch-2.err")"
        fi
        grep -Eq "$crash_markers" "$dir/launch-2.err" && fail "crash report: $(grep -Em1 "$crash_markers" "$dir/launch-2.err")"
        if python3 "$here/check-chaos.py" --damaged "$dir/engine.sqlite" "$dir/accepted-kept"; then
            ok "every acknowledged event of the surviving commits is there with its completed run"
        else
            fail "check-chaos.py --damaged"
        fi
        local survived=$(python3 "$here/wal.py" events "$dir/engine.sqlite" | sort | comm -12 - "$dir/acked-ids" | wc -l)
        echo "  acknowledged events now in the store: $survived of $acked ($(( acked - survived )) lost with the damaged commits)"
        local report copies
        report=$(cat "$dir/launch-2.out" "$dir/launch-2.err" | grep -c "write-ahead log was damaged")
        copies=$(find "$dir" -maxdepth 1 -name 'engine.sqlite-wal.damaged-*' | wc -l)
        if [[ "$mode" == tear ]]; then
            (( report == 0 && copies == 0 )) && ok "a torn tail is not reported as damage" || fail "a torn tail was reported as damage"
            echo "  (a real torn write hits only a commit whose fsync had not returned, so nothing acknowledged;"
            echo "   the cut here is made after the fact, in a commit that may have been acknowledged)"
        else
            (( report == 1 && copies == 1 )) && ok "the engine said what recovery dropped and kept a copy of the log: $(cat "$dir/launch-2.out" "$dir/launch-2.err" | grep -m1 -o 'SQLite kept.*transactions among them')" \
                || fail "the damage was not reported ($report reports, $copies copies of the log)"
            echo "  (SQLite replays the WAL up to the first frame whose checksum fails and drops the rest,"
            echo "   acknowledged or not; the engine reports it before recovery and keeps the log for salvage)"
        fi
        return
    done
    fail "no kill left a WAL that could be damaged faithfully in 8 attempts"
}

section "torn WAL: the last frame cut in half after a SIGKILL"
wal_case tear
section_end
section "corrupted WAL: bytes flipped in a committed frame before the last commit"
wal_case corrupt
section_end

t=$(( $(now_ms) - total_start ))
echo
printf 'wall time: %d.%03d s\n' $(( t / 1000 )) $(( t % 1000 ))
if (( failures > 0 )); then echo "disk faults: $failures FAILED"; exit 1; fi
echo "disk faults: passed"
