"""Runs the differential families: generates cases, has the Swift driver and the reference
implementation answer each, and reports agreements, allowlisted differences and failures.

    differential.py --driver PATH [--cases N] [--seed S] [--family NAME ...]

Exit status 1 when any family has an unexplained difference (or a reference disagrees with
itself, such as a committed manifest the schema rejects)."""

import argparse
import json
import os
import random
import subprocess
import sys
import time

import cel_family
import cron_family
import jcs_family
import manifest_family

FAMILIES = {"cel": cel_family, "cron": cron_family, "jcs": jcs_family, "manifest": manifest_family}


def run_driver(driver, cases):
    """Our answers, one per case, from one driver process."""
    payload = "".join(json.dumps({k: v for k, v in case.items() if k != "features"}, ensure_ascii=False) + "\n"
                      for case in cases)
    process = subprocess.run([driver], input=payload.encode("utf-8"), capture_output=True)
    if process.returncode != 0:
        sys.exit("driver failed (status %d): %s" % (process.returncode, process.stderr.decode(errors="replace")))
    # split("\n"), not splitlines(): answers may hold U+2028 and other characters that
    # splitlines() also breaks at.
    answers = [json.loads(line) for line in process.stdout.decode("utf-8").split("\n") if line]
    if len(answers) != len(cases):
        sys.exit("driver answered %d of %d cases" % (len(answers), len(cases)))
    return answers


def run_family(name, module, driver, count, seed, shown, failures_dir):
    # One generator per family, seeded from the run's seed and the family's name, so a family's
    # cases do not change when another family's generator does.
    rng = random.Random("%d/%s" % (seed, name))
    started = time.monotonic()
    cases = module.generate(rng, count)
    ours = run_driver(driver, cases)
    agreed, allowed, failures = 0, {}, []
    for case, our in zip(cases, ours):
        verdict = module.compare(case, our, module.reference(case))
        if verdict == "agree":
            agreed += 1
        elif verdict[0] == "allowed":
            allowed[verdict[1]] = allowed.get(verdict[1], 0) + 1
        else:
            failures.append((case, verdict[1]))
    elapsed = time.monotonic() - started
    print("%-9s %6d cases  %6d agree  %5d allowlisted  %4d FAILED  (%.1f s)"
          % (name, len(cases), agreed, sum(allowed.values()), len(failures), elapsed))
    # A case may need several known differences at once (rule names joined by +).
    for rule, n in sorted(allowed.items()):
        print("    allowlisted %5d  %s" % (n, rule))
    for part in sorted({part for rule in allowed for part in rule.split("+")}):
        print("        %s: %s" % (part, module.REASONS[part]))
    if failures and failures_dir:
        # Every failing case in full, one JSON line each, to replay or minimise by hand.
        os.makedirs(failures_dir, exist_ok=True)
        path = os.path.join(failures_dir, "%s-failures.jsonl" % name)
        with open(path, "w", encoding="utf-8") as out:
            for case, why in failures:
                out.write(json.dumps(dict(case, why=why), ensure_ascii=False) + "\n")
        print("    all %d failing cases: %s" % (len(failures), path))
    for case, why in failures[:shown]:
        display = module.brief(case) if hasattr(module, "brief") else case
        brief = {k: v for k, v in display.items() if k != "kind"}
        print("    FAILED case: %s" % json.dumps(brief, ensure_ascii=False))
        print("           why: %s" % why)
    if len(failures) > shown:
        print("    … and %d more failures" % (len(failures) - shown))
    return not failures


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--driver", required=True)
    parser.add_argument("--cases", type=int, default=2000, help="cases per family")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--family", action="append", choices=sorted(FAMILIES))
    parser.add_argument("--show", type=int, default=3, help="failing cases shown per family")
    parser.add_argument("--failures", metavar="DIR", help="write every failing case to DIR/<family>-failures.jsonl")
    args = parser.parse_args()
    print("differential: seed %d, %d cases per family (rerun with --seed %d)" % (args.seed, args.cases, args.seed))
    ok = True
    for name in args.family or list(FAMILIES):
        ok &= run_family(name, FAMILIES[name], args.driver, args.cases, args.seed, args.show, args.failures)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
