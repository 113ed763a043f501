"""Step manifests: every committed *.inngest.json must be valid under
Schemas/inngest-manifest.schema.json (checked with jsonschema) and accepted by our
ManifestReader; random mutations of them must be accepted or rejected by both alike.

ManifestReader checks more than a schema can (cron and CEL syntax, time strings, unique
function ids); a mutation that only those checks reject is allowlisted when the reader's
message names such a check."""

import copy
import json
import pathlib
import re

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "Schemas" / "inngest-manifest.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def committed_manifests():
    found = []
    for top in ("Tests", "Examples", "Docs"):
        for path in sorted((ROOT / top).rglob("*.inngest.json")):
            parts = set(path.relative_to(ROOT).parts)
            if not any(part.startswith(".build") or part == ".venv" for part in parts):
                found.append(path)
    return found


# --- mutations ------------------------------------------------------------------------------
# Each takes the manifest (a dict, mutated in place) and rng, and returns a label, or None when
# it does not apply to this manifest.

def _functions(m):
    return m.get("functions") if isinstance(m.get("functions"), list) else []


def _pick_function(m, rng):
    functions = [f for f in _functions(m) if isinstance(f, dict)]
    return rng.choice(functions) if functions else None


def _members(f, key):
    # A list member of a function, or nothing when an earlier mutation made it something else.
    value = f.get(key) if isinstance(f, dict) else None
    return value if isinstance(value, list) else []


def _pick_step(m, rng):
    steps = [s for f in _functions(m) for s in _members(f, "steps") if isinstance(s, dict)]
    return rng.choice(steps) if steps else None


def _pick_trigger(m, rng):
    triggers = [t for f in _functions(m) for t in _members(f, "triggers") if isinstance(t, dict)]
    return rng.choice(triggers) if triggers else None


ODD_VALUES = [None, True, 0, -1, 1.5, "", " ", "x y", "a\u00a0b", "\u200b", "ok", [], {}, ["x"], {"k": 1}, 21, 3, "3"]


def mutate_top(m, rng):
    key = rng.choice(["appId", "functions", "events", "formatVersion", "$schema", "extra"])
    if rng.random() < 0.3 and key in m:
        del m[key]
        return "drop " + key
    m[key] = copy.deepcopy(rng.choice(ODD_VALUES + [2, 1]))
    return "set %s=%s" % (key, json.dumps(m[key], ensure_ascii=False))


def mutate_function(m, rng):
    f = _pick_function(m, rng)
    if f is None:
        return None
    key = rng.choice(["id", "wireId", "name", "triggers", "options", "input", "output", "steps", "complete", "source", "extra"])
    if rng.random() < 0.3 and key in f:
        del f[key]
        return "function: drop " + key
    if key == "source":
        f[key] = rng.choice([{"file": "a.swift", "line": rng.choice([0, 1, -3, 1.5, "2"])}, {"file": 3, "line": 1},
                             {"file": "a.swift"}, {"file": "a.swift", "line": 2, "column": 1}])
    else:
        f[key] = copy.deepcopy(rng.choice(ODD_VALUES))
    return "function: set %s=%s" % (key, json.dumps(f[key], ensure_ascii=False))


def mutate_duplicate_function(m, rng):
    f = _pick_function(m, rng)
    if f is None:
        return None
    m["functions"].append(copy.deepcopy(f))
    return "function: duplicated (same id)"


def mutate_step(m, rng):
    s = _pick_step(m, rng)
    if s is None:
        return None
    key = rng.choice(["id", "wireId", "kind", "file", "line", "inLoop", "extra"])
    if rng.random() < 0.3 and key in s:
        del s[key]
        return "step: drop " + key
    choices = {
        "wireId": ["A" * 40, "a" * 39, "a" * 41, "0123456789abcdef0123456789abcdef01234567", "g" * 40, 7],
        "kind": ["run", "sleep", "Run", "parallel", "", 1],
        "line": [0, 1, 2, -1, 1.5, 2.0, "4", None],
    }.get(key, ODD_VALUES)
    s[key] = copy.deepcopy(rng.choice(choices))
    return "step: set %s=%s" % (key, json.dumps(s[key], ensure_ascii=False))


def mutate_trigger(m, rng):
    t = _pick_trigger(m, rng)
    if t is None:
        f = _pick_function(m, rng)
        if f is None:
            return None
        f["triggers"] = [t := {"event": "a/b"}]
    key = rng.choice(["event", "cron", "expression", "jitter", "extra"])
    if rng.random() < 0.3 and key in t:
        del t[key]
        return "trigger: drop " + key
    choices = {
        "cron": ["0 * * * *", "61 * * * *", "TZ=Europe/Berlin 0 9 * * MON", "@daily", "", 5],
        "expression": ["event.data.x > 1", "event.data.x >", "has(event.data.x)", "", 3],
        "jitter": ["10s", "5 minutes", "", 2],
        "event": ["a/b", "", 3],
    }.get(key, ODD_VALUES)
    t[key] = copy.deepcopy(rng.choice(choices))
    return "trigger: set %s=%s" % (key, json.dumps(t[key], ensure_ascii=False))


def mutate_options(m, rng):
    f = _pick_function(m, rng)
    if f is None:
        return None
    options = f.setdefault("options", {})
    if not isinstance(options, dict):
        return None
    key, values = rng.choice([
        ("retries", [0, 20, 21, -1, 2.5, "3"]),
        ("concurrency", [[{"limit": 2}], [{"key": "x"}], {"limit": 1}, []]),
        ("throttle", [{"limit": 1, "period": "1m"}, {"limit": 1}]),
        ("debounce", [{"period": "5s"}, {}]),
        ("idempotency", ["event.data.id", 3]),
        ("priority", [{"run": "1"}, {}]),
        ("unresolved", [["x"], [1], "x"]),
        ("madeUp", [1]),
    ])
    options[key] = copy.deepcopy(rng.choice(values))
    return "options: set %s=%s" % (key, json.dumps(options[key], ensure_ascii=False))


def mutate_events(m, rng):
    events = m.setdefault("events", {})
    if not isinstance(events, dict):
        return None
    name = rng.choice(["a/b", "x"])
    events[name] = copy.deepcopy(rng.choice([{}, True, False, {"type": "object"}, 3, "schema", None, []]))
    return "events: set %s=%s" % (name, json.dumps(events[name]))


def shorten(m, rng):
    """Drops members the short form may leave out: both must still accept."""
    dropped = []
    for f in _functions(m):
        for key in ("wireId", "name", "triggers", "options", "input", "output", "steps", "complete", "source"):
            if isinstance(f, dict) and key in f and rng.random() < 0.5:
                del f[key]
                dropped.append(key)
    for key in ("formatVersion", "events", "$schema"):
        if key in m and rng.random() < 0.5:
            del m[key]
            dropped.append(key)
    return "short form: dropped " + ",".join(dropped)


MUTATIONS = [mutate_top, mutate_function, mutate_function, mutate_duplicate_function, mutate_step, mutate_step,
             mutate_trigger, mutate_trigger, mutate_options, mutate_events, shorten]


def generate(rng, count):
    bases = [(path, json.loads(path.read_text())) for path in committed_manifests()]
    cases = [{"kind": "manifest", "text": path.read_text(), "origin": str(path.relative_to(ROOT)), "committed": True}
             for path, _ in bases]
    while len(cases) < max(count, len(bases)):
        path, base = rng.choice(bases)
        manifest = copy.deepcopy(base)
        labels = []
        for _ in range(rng.choice([1, 1, 1, 2])):
            label = rng.choice(MUTATIONS)(manifest, rng)
            if label:
                labels.append(label)
        if not labels:
            continue
        cases.append({"kind": "manifest", "text": json.dumps(manifest, indent=rng.choice([None, 2]), ensure_ascii=False),
                      "origin": "%s; %s" % (path.relative_to(ROOT), "; ".join(labels)), "committed": False})
    return cases


def brief(case):
    """A mutated manifest is long; its origin names the file and the mutations applied."""
    if case["committed"]:
        return {"origin": case["origin"]}
    return {"origin": case["origin"], "text": case["text"][:160] + ("…" if len(case["text"]) > 160 else "")}


def reference(case):
    errors = sorted(VALIDATOR.iter_errors(json.loads(case["text"])), key=lambda e: list(e.absolute_path))
    return {"accepted": not errors,
            "problems": ["%s: %s" % ("/".join(map(str, e.absolute_path)), e.message[:200]) for e in errors[:3]]}


# Checks of the reader that no JSON Schema can express, by the words of their messages.
SEMANTIC = re.compile(r"(cron: |expression: |jitter: |is already used by )")
REASONS = {
    "reader-semantic-check": "ManifestReader also checks cron and CEL syntax, jitter time strings and unique function ids, which the schema cannot express; allowed only when every reader problem is such a check",
}


def _written_problem(ours):
    """Why the schema rejects what ManifestCoding writes for an accepted manifest, or None."""
    try:
        errors = list(VALIDATOR.iter_errors(json.loads(ours["written"])))
    except ValueError as error:
        return "not JSON: %s" % error
    return "%s: %s" % ("/".join(map(str, errors[0].absolute_path)), errors[0].message[:200]) if errors else None


def compare(case, ours, theirs):
    if case["committed"] and not (ours["accepted"] and theirs["accepted"]):
        return ("fail", "committed manifest %s: reader %s, schema %s" % (case["origin"], ours, theirs))
    if ours["accepted"] and theirs["accepted"]:
        # What the generator writes for an accepted manifest (defaults filled in) must be
        # schema-valid too.
        problem = _written_problem(ours)
        if problem:
            return ("fail", "%s: ManifestCoding wrote a manifest the schema rejects: %s" % (case["origin"], problem))
        return "agree"
    if ours["accepted"] == theirs["accepted"]:
        return "agree"
    if not ours["accepted"] and theirs["accepted"] and all(SEMANTIC.search(p) for p in ours["problems"]):
        return ("allowed", "reader-semantic-check")
    return ("fail", "%s: reader %s, schema %s" % (
        case["origin"], "accepts" if ours["accepted"] else "rejects %s" % ours["problems"][:3],
        "accepts" if theirs["accepted"] else "rejects %s" % theirs["problems"]))
