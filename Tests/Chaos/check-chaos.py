#!/usr/bin/env python3
"""Checks what engine-chaos.sh left: the engine's SQLite file, the workers' step log and the
events the workers acknowledged. Prints the figures; exits 1 if a property does not hold.

    check-chaos.py <database> <step log> <accepted file> <killed launches>

<killed launches>: the 1-based numbers of the worker launches that were SIGKILLed, comma
separated (the others ended on their own).

    check-chaos.py --damaged <database> <accepted file>

After a WAL was damaged on purpose (disk-faults.sh), commits were lost, so the step log no
longer matches the store: checks the runs, their steps and outputs, and that the events in
the accepted file (those that should have survived) are there.

The accepted file holds the workers' `accepted <internal id> <n>` lines. The functions are
in Tests/InngestCrashWorker/Chaos.swift: keep the expected outputs here in step with them.
"""

import json
import sqlite3
import sys
from collections import defaultdict

MAIN_STEPS = {"s1", "s2", "nap", "s3", "square", "s4", "signal", "s5", "s6", "s7"}
CHILD_STEPS = {"c1", "c2"}


def expected_main(n):
    output = {"n": n, "steps": [n * 100 + i for i in range(1, 8)], "child": n * n + 1}
    if n % 3 != 0:
        output["token"] = n * 7
    return output


def main():
    damaged = sys.argv[1] == "--damaged"
    if damaged:
        database, step_log, accepted_file, killed = sys.argv[2], None, sys.argv[3], set()
    else:
        database, step_log, accepted_file = sys.argv[1], sys.argv[2], sys.argv[3]
        killed = {int(k) for k in sys.argv[4].split(",") if k}
    problems = []

    def problem(message, examples=()):
        examples = list(examples)
        problems.append(message + (": " + ", ".join(map(str, examples[:5])) if examples else ""))

    # Acknowledged events: `send` had returned, so each must have its run.
    accepted = {}
    with open(accepted_file) as lines:
        for line in lines:
            _, event_id, n = line.split()
            accepted[event_id] = int(n)

    # The step log, in order, cut into launches. A body that began in a launch that was killed
    # and whose result the handler had not seen by then (not yet durable, or durable in the
    # instant before the kill) was in flight at that kill.
    segments = 0
    begins = defaultdict(list)  # (run, step) -> launches it began in
    ran = {}  # (run, step) -> uuid of its last finished execution
    saw = {}  # (run, step) -> (uuid, launch) of the first time the handler saw it
    saw_other = []
    begun_after_seen = []
    in_flight = 0
    began_here, seen_here = set(), set()

    def close_segment():
        nonlocal in_flight
        if segments in killed:
            in_flight += len(began_here - seen_here)

    with open(step_log or "/dev/null") as lines:
        for line in lines:
            fields = line.split()
            if fields[0] == "launch":
                if segments > 0:
                    close_segment()
                segments += 1
                began_here, seen_here = set(), set()
                continue
            if len(fields) != 4 or fields[3] not in ("begin", "ran", "saw"):
                problem("malformed step log line", [line.strip()])
                continue
            key, uuid, what = (fields[0], fields[1]), fields[2], fields[3]
            if what == "begin":
                if key in saw:
                    begun_after_seen.append(key)
                begins[key].append(segments)
                began_here.add(key)
            elif what == "ran":
                ran[key] = uuid
            elif what == "saw":
                seen_here.add(key)
                if key not in saw:
                    saw[key] = (uuid, segments)
                elif saw[key][0] != uuid:
                    saw_other.append(key)
    close_segment()
    launches = segments
    executions = sum(len(v) for v in begins.values())
    reexecuted = sum(1 for v in begins.values() if len(v) > 1)
    extra = sum(len(v) - 1 for v in begins.values())

    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    runs = db.execute("SELECT id, function_id, status, event_id, output, parent FROM runs").fetchall()
    steps = defaultdict(list)
    for run_id, user_id, kind, status, memo in db.execute("SELECT run_id, user_id, kind, status, memo FROM steps"):
        steps[run_id].append((user_id, kind, status, memo))
    events = dict(db.execute("SELECT id, body FROM events WHERE name = 'chaos/go'").fetchall())
    signals = db.execute("SELECT COUNT(*) FROM events WHERE name = 'chaos/signal'").fetchone()[0]
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]

    main_runs = [r for r in runs if r[1] == "chaos-main"]
    child_runs = [r for r in runs if r[1] == "chaos-child"]
    runs_by_event = defaultdict(list)
    for r in main_runs:
        runs_by_event[r[3]].append(r)

    # 100 % of runs completed, each with the output its input determines.
    not_completed = [(r[0], r[1], r[2]) for r in runs if r[2] != "completed"]
    if not_completed:
        problem(f"{len(not_completed)} runs not completed", not_completed)
    wrong = []
    for r in main_runs:
        n = json.loads(events[r[3]])["data"]["n"] if r[3] in events else None
        if n is None or r[4] is None or json.loads(r[4]) != expected_main(n):
            wrong.append((r[0], n, r[4]))
    # An invoked run's input is its parent's n.
    child_inputs = {r[0]: json.loads(events[r[3]])["data"]["n"] for r in main_runs if r[3] in events}
    for r in child_runs:
        parent = (r[5] or "").split(".")[0]
        n = child_inputs.get(parent)
        if n is None or r[4] is None or json.loads(r[4]) != n * n + 1:
            wrong.append((r[0], f"child of {parent}", r[4]))
    if wrong:
        problem(f"{len(wrong)} runs with a wrong output", wrong)
    if len(child_runs) != len(main_runs):
        problem(f"{len(main_runs)} main runs but {len(child_runs)} invoked runs")

    # No acknowledged event lost: stored, and started exactly one run.
    lost = [i for i in accepted if i not in events]
    if lost:
        problem(f"{len(lost)} acknowledged events lost", lost)
    runless = [i for i in events if len(runs_by_event[i]) != 1]
    if runless:
        problem(f"{len(runless)} events without exactly one run", runless)
    unacknowledged = len(set(events) - set(accepted))

    # No step recorded twice: each run has each of its steps once, finished, and every
    # `step.run` result stored is the one its last execution returned and the handler saw.
    recorded_twice, bad_steps, not_last = [], [], []
    for r in runs:
        wanted = MAIN_STEPS if r[1] == "chaos-main" else CHILD_STEPS
        ids = [s[0] for s in steps[r[0]]]
        if len(ids) != len(set(ids)):
            recorded_twice.append(r[0])
        if set(ids) != wanted or any(s[2] != "completed" for s in steps[r[0]]):
            bad_steps.append((r[0], sorted(ids)))
        for user_id, kind, _, memo in steps[r[0]]:
            if kind != "run":
                continue
            stored = json.loads(memo)["data"]["uuid"]
            key = (r[0], user_id)
            if not damaged and (ran.get(key) != stored or (key in saw and saw[key][0] != stored)):
                not_last.append(key)
    recorded = sum(len(v) for v in steps.values())
    if recorded_twice:
        problem(f"{len(recorded_twice)} runs with a step recorded twice", recorded_twice)
    if bad_steps:
        problem(f"{len(bad_steps)} runs whose steps are not exactly their 10 (main) or 2 (invoked), all completed", bad_steps)
    if not_last:
        problem(f"{len(not_last)} stored step results that are not what the last execution returned", not_last)
    if begun_after_seen:
        problem(f"{len(begun_after_seen)} step bodies ran again after their result was durable", begun_after_seen)
    if saw_other:
        problem(f"{len(saw_other)} steps whose handler saw two different results", saw_other)
    if extra > in_flight:
        problem(f"{extra} re-executions but only {in_flight} bodies in flight at the kills")
    if not damaged and (not killed or max(killed) >= launches):
        problem(f"{launches} launches in the step log; the last must have ended on its own after the kills {sorted(killed)}")
    if integrity != "ok":
        problem(f"integrity_check: {integrity}")

    print(f"  runs: {len(main_runs)} main + {len(child_runs)} invoked, "
          f"{len(main_runs) + len(child_runs) - len(not_completed)} completed, {len(wrong)} with a wrong output")
    if damaged:
        print(f"  events: {len(accepted)} expected to survive, {len(lost)} missing; {len(events)} stored")
        print(f"  steps: {recorded} recorded, {len(recorded_twice)} recorded twice")
    else:
        print(f"  events: {len(accepted)} acknowledged, {len(lost)} lost, "
              f"{unacknowledged} stored without an acknowledgement (sent when a kill came), {signals} chaos/signal")
        print(f"  steps: {recorded} recorded, {len(recorded_twice)} recorded twice; "
              f"{executions} step bodies executed over {launches} launches")
        print(f"  re-executed bodies: {reexecuted} steps ran more than once ({extra} extra executions); "
              f"bodies in flight at the {len(killed)} kills: {in_flight}")
    print(f"  integrity_check: {integrity}")
    if problems:
        for p in problems:
            print(f"FAIL: {p}")
        return 1
    print("  all properties hold")
    return 0


if __name__ == "__main__":
    sys.exit(main())
