"""CEL expressions: random well-typed expressions of our subset over random events, evaluated
by our CELExpression and by cel-python.

The generator builds typed trees (int, double, string, bool, list) from the event's fields,
whose types it knows, so nearly every case is well typed in strict CEL and any difference is a
finding. A few cases deliberately use what Inngest (cel-go with heterogeneous equality, JSON
payloads) does differently from strict CEL; the generator tags them with a feature, and only a
tagged case can match an allowlist rule (ALLOWLIST below)."""

import math
import re

import celpy
from celpy import celtypes

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

# Characters for string values: ASCII, escapes, Latin-1, a combining mark and astral scalars, so
# that size() (code points) and byte-wise prefix tests see more than ASCII.
ALPHABET = list("abcXYZ019 _-?`") + ["é", "ß", "\u0301", "😀", "中", "\\", "'", '"', "\n", "\t", "\r", "\a", "\v", "\f", "\b"]
# CEL's one-letter escapes (langdef, "Escape sequences"), besides \n and \t handled below.
SHORT_ESCAPES = {"\r": "\\r", "\a": "\\a", "\v": "\\v", "\f": "\\f", "\b": "\\b", "?": "\\?", "`": "\\`"}


class Node:
    """An expression with its precedence (higher binds tighter) and the features it uses."""

    def __init__(self, text, prec, features=()):
        self.text, self.prec, self.features = text, prec, set(features)


PREC = {"?:": 0, "||": 1, "&&": 2, "rel": 3, "add": 4, "mul": 5, "unary": 6, "atom": 7}


def wrap(node, minimum, rng, force=False):
    """The text of node as an operand that needs at least precedence minimum; sometimes adds
    redundant parentheses so that both parsers see both forms."""
    if force or node.prec < minimum or rng.random() < 0.08:
        return "(" + node.text + ")"
    return node.text


def binary(left, op, right, prec, rng, features=()):
    # Left-associative: the right operand needs strictly tighter binding.
    text = wrap(left, prec, rng) + " " + op + " " + wrap(right, prec + 1, rng)
    return Node(text, prec, left.features | right.features | set(features))


def cel_string_literal(rng, text):
    # Raw and triple-quoted forms where the text allows them (a raw string has no escapes).
    if rng.random() < 0.1 and not any(ch in text or ord(ch) < 0x20 for ch in "\\'\n"):
        return rng.choice(["r", "R"]) + "'" + text + "'"
    if rng.random() < 0.1 and '"' not in text and "\\" not in text:
        return '"""' + text + '"""'
    quote = rng.choice(["'", '"'])
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == quote:
            out.append("\\" + quote)
        elif ch == "\n":
            out.append(rng.choice(["\\n", "\\x0a", "\\012", "\\u000A"]))
        elif ch == "\t":
            out.append(rng.choice(["\\t", "\\x09", "\\X09", "\\u0009", "\\011"]))
        elif ch in SHORT_ESCAPES and (ord(ch) < 0x20 or rng.random() < 0.5):
            out.append(SHORT_ESCAPES[ch])
        elif ord(ch) > 0xFFFF and rng.random() < 0.3:
            out.append("\\U%08x" % ord(ch))
        elif ord(ch) > 0x7F and ord(ch) <= 0xFFFF and rng.random() < 0.3:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return quote + "".join(out) + quote


class Generator:
    def __init__(self, rng):
        self.rng = rng

    # --- event payloads -------------------------------------------------------------------

    def random_int(self):
        r = self.rng.random()
        if r < 0.1:
            return self.rng.choice([INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1, 2**62, -(2**62)])
        if r < 0.2:
            return self.rng.randint(-(2**40), 2**40)
        return self.rng.randint(-20, 20)

    def random_double(self):
        r = self.rng.random()
        if r < 0.1:
            return self.rng.choice([0.0, -0.0, 0.5, 1e308, -1e308, 5e-324, 1.5e300])
        if r < 0.4:
            return float(self.rng.randint(-10, 10))
        return round(self.rng.uniform(-100, 100), self.rng.randint(0, 6))

    def random_string(self):
        n = self.rng.choice([0, 1, 2, 3, 5, 8])
        return "".join(self.rng.choice(ALPHABET) for _ in range(n))

    def event(self):
        rng = self.rng
        data = {}
        self.fields = {"int": [], "double": [], "string": [], "bool": [], "ilist": [], "slist": []}
        for i in range(rng.randint(1, 3)):
            data["i%d" % i] = self.random_int()
            self.fields["int"].append("i%d" % i)
        for i in range(rng.randint(1, 2)):
            data["d%d" % i] = self.random_double()
            self.fields["double"].append("d%d" % i)
        for i in range(rng.randint(1, 3)):
            data["s%d" % i] = self.random_string()
            self.fields["string"].append("s%d" % i)
        data["b0"] = rng.random() < 0.5
        self.fields["bool"].append("b0")
        data["li"] = [rng.randint(-5, 5) for _ in range(rng.randint(0, 4))]
        self.fields["ilist"].append("li")
        data["ls"] = [self.random_string() for _ in range(rng.randint(0, 3))]
        self.fields["slist"].append("ls")
        data["m"] = {self.random_string(): rng.randint(-5, 5) for _ in range(rng.randint(0, 3))}
        data["n"] = {"x": self.random_int(), "t": self.random_string()}
        self.data = data
        return {"name": "test/event", "data": data}

    # --- expressions ----------------------------------------------------------------------

    def field(self, kind):
        rng = self.rng
        name = rng.choice(self.fields[kind])
        if rng.random() < 0.2:
            return Node("event.data[%s]" % cel_string_literal(rng, name), PREC["atom"])
        return Node("event.data." + name, PREC["atom"])

    def gen(self, kind, depth):
        return getattr(self, "gen_" + kind)(depth)

    def gen_int(self, depth):
        rng = self.rng
        choice = rng.randrange(12 if depth > 0 else 3)
        if choice == 0:
            value = self.random_int()
            if value < 0:
                return Node(str(value), PREC["unary"])
            if rng.random() < 0.2:
                # CEL's hex literals are 0x only (langdef INT_LIT); 0X now and then checks that.
                return Node(hex(value).replace("0x", "0X" if rng.random() < 0.1 else "0x"), PREC["atom"])
            return Node(str(value), PREC["atom"])
        if choice == 1:
            return self.field("int")
        if choice == 2:
            return Node("event.data.n.x", PREC["atom"])
        if choice <= 6:
            op = rng.choice(["+", "-", "*", "/", "%"])
            prec = PREC["add"] if op in "+-" else PREC["mul"]
            return binary(self.gen_int(depth - 1), op, self.gen_int(depth - 1), prec, rng)
        if choice == 7:
            inner = self.gen_int(depth - 1)
            return Node("-" + wrap(inner, PREC["unary"], rng, force=True), PREC["unary"], inner.features)
        if choice == 8:
            target = rng.choice(["string", "ilist", "slist", "map"])
            arg = self.gen_string(depth - 1) if target == "string" else self.collection(target)
            if rng.random() < 0.5:
                return Node("size(" + arg.text + ")", PREC["atom"], arg.features)
            return Node(wrap(arg, PREC["atom"], rng) + ".size()", PREC["atom"], arg.features)
        if choice == 9 and self.data["li"]:
            index = rng.randrange(len(self.data["li"]))
            return Node("event.data.li[%d]" % index, PREC["atom"])
        if choice == 9 and self.data["m"]:
            key = rng.choice(sorted(self.data["m"]))
            return Node("event.data.m[%s]" % cel_string_literal(rng, key), PREC["atom"])
        if choice == 10:
            return self.conditional("int", depth)
        return self.gen_int(depth - 1)

    def gen_double(self, depth):
        rng = self.rng
        choice = rng.randrange(7 if depth > 0 else 2)
        if choice == 0:
            value = self.random_double()
            text = repr(value)
            if "e" not in text and "." not in text:
                text += ".0"
            if rng.random() < 0.2 and abs(value) >= 1 and value == int(value):
                text = "%de0" % int(value)
            return Node(text, PREC["unary"] if text.startswith("-") else PREC["atom"])
        if choice == 1:
            return self.field("double")
        if choice <= 4:
            # No % on doubles: CEL has no such overload (ours allows it; see the allowlist).
            op = rng.choice(["+", "-", "*", "/"])
            prec = PREC["add"] if op in "+-" else PREC["mul"]
            return binary(self.gen_double(depth - 1), op, self.gen_double(depth - 1), prec, rng)
        if choice == 5:
            inner = self.gen_double(depth - 1)
            return Node("-" + wrap(inner, PREC["unary"], rng, force=True), PREC["unary"], inner.features)
        return self.conditional("double", depth) if rng.random() < 0.7 else self.mixed_numeric(depth)

    def gen_string(self, depth):
        rng = self.rng
        choice = rng.randrange(6 if depth > 0 else 2)
        if choice == 0:
            literal = cel_string_literal(rng, self.random_string())
            multiline = literal.startswith('"""') and "\n" in literal
            return Node(literal, PREC["atom"], {"multiline_literal"} if multiline else ())
        if choice == 1:
            return self.field("string") if rng.random() < 0.8 else Node("event.data.n.t", PREC["atom"])
        if choice <= 3:
            return binary(self.gen_string(depth - 1), "+", self.gen_string(depth - 1), PREC["add"], rng)
        if choice == 4 and self.data["ls"]:
            return Node("event.data.ls[%d]" % rng.randrange(len(self.data["ls"])), PREC["atom"])
        if choice == 4:
            return self.conditional("string", depth)
        # Inngest's own functions, given to cel-python as custom functions (ASCII case mapping
        # is all both agree on by definition; the alphabet's other letters check the rest).
        function = rng.choice(["lowercase", "uppercase"])
        inner = self.gen_string(depth - 1)
        return Node(function + "(" + inner.text + ")", PREC["atom"], inner.features | {"case_function"})

    def collection(self, kind):
        rng = self.rng
        if kind == "ilist":
            if rng.random() < 0.7:
                return self.field("ilist")
            items = [str(rng.randint(-5, 5)) for _ in range(rng.randint(0, 3))]
            # CEL allows a trailing comma in list and map literals (cel-go's grammar).
            trailing = "," if items and rng.random() < 0.2 else ""
            return Node("[" + ", ".join(items) + trailing + "]", PREC["atom"], {"trailing_comma"} if trailing else ())
        if kind == "slist":
            return self.field("slist")
        if rng.random() < 0.3:
            # A map literal; keys are distinct (a repeated literal key is an error in both).
            keys = {self.random_string() for _ in range(rng.randint(0, 3))}
            entries = ", ".join("%s: %d" % (cel_string_literal(rng, k), rng.randint(-5, 5)) for k in keys)
            trailing = "," if keys and rng.random() < 0.2 else ""
            return Node("{" + entries + trailing + "}", PREC["atom"], {"trailing_comma"} if trailing else ())
        return Node("event.data.m", PREC["atom"])

    def gen_list(self, depth):
        """A list of ints (the only element type whose lists the generator concatenates)."""
        rng = self.rng
        if depth > 0 and rng.random() < 0.3:
            return binary(self.collection("ilist"), "+", self.collection("ilist"), PREC["add"], rng)
        return self.collection("ilist")

    def conditional(self, kind, depth):
        rng = self.rng
        cond = self.gen_bool(depth - 1)
        then, otherwise = self.gen(kind, depth - 1), self.gen(kind, depth - 1)
        # The condition binds tighter than ?:, the branches are full expressions except that
        # the "then" branch cannot itself be a bare conditional for readability of cases.
        text = wrap(cond, PREC["||"], rng) + " ? " + wrap(then, PREC["||"], rng) + " : " + wrap(otherwise, PREC["?:"], rng)
        return Node(text, PREC["?:"], cond.features | then.features | otherwise.features)

    def mixed_numeric(self, depth):
        """An int and a double in one arithmetic operation: cel-go and ours promote, strict CEL
        has no such overload."""
        rng = self.rng
        left, right = self.gen_int(0), self.gen_double(0)
        if rng.random() < 0.5:
            left, right = right, left
        op = rng.choice(["+", "-", "*"])
        return binary(left, op, right, PREC["add"] if op in "+-" else PREC["mul"], rng, {"mixed_numeric"})

    def gen_bool(self, depth):
        rng = self.rng
        choice = rng.randrange(12 if depth > 0 else 2)
        if choice == 0:
            return Node(rng.choice(["true", "false"]), PREC["atom"])
        if choice == 1:
            return self.field("bool")
        if choice <= 4:
            kind = rng.choice(["int", "int", "double", "string", "string", "bool"])
            op = rng.choice(["==", "!=", "<", "<=", ">", ">="])
            return binary(self.gen(kind, depth - 1), op, self.gen(kind, depth - 1), PREC["rel"], rng)
        if choice == 5:
            op = rng.choice(["&&", "||"])
            return binary(self.gen_bool(depth - 1), op, self.gen_bool(depth - 1), PREC[op], rng)
        if choice == 6:
            inner = self.gen_bool(depth - 1)
            return Node("!" + wrap(inner, PREC["unary"], rng), PREC["unary"], inner.features)
        if choice == 7:
            member, collection = rng.choice([("int", "ilist"), ("string", "slist"), ("string", "map")])
            left = self.gen(member, depth - 1)
            right = self.collection(collection)
            return binary(left, "in", right, PREC["rel"], rng)
        if choice == 8:
            method = rng.choice(["startsWith", "endsWith", "contains"])
            receiver, argument = self.gen_string(depth - 1), self.gen_string(depth - 1)
            return Node(wrap(receiver, PREC["atom"], rng) + "." + method + "(" + argument.text + ")",
                        PREC["atom"], receiver.features | argument.features)
        if choice == 9:
            # Lists of one element type; an int list against a string list is a cross-type probe.
            kinds = ["ilist", "ilist"] if rng.random() < 0.5 else ["slist", "slist"]
            if rng.random() < 0.15:
                kinds = ["ilist", "slist"]
            features = {"cross_type"} if kinds[0] != kinds[1] else set()
            left = self.collection(kinds[0]) if kinds[0] == "slist" else self.gen_list(depth - 1)
            return binary(left, rng.choice(["==", "!="]), self.collection(kinds[1]), PREC["rel"], rng, features)
        if choice == 10:
            return self.conditional("bool", depth)
        return self.probe(depth)

    def probe(self, depth):
        """Small comparisons where Inngest's semantics knowingly leave strict CEL."""
        rng = self.rng
        which = rng.randrange(4)
        if which == 0:
            missing = rng.choice(["event.data.missing", "event.data.n.nope", "event.data.missing.deeper",
                                  "event.data.li[99]", "event.data.m['absent-key']", "async.data.x"])
            other = rng.choice(["null", "1", "'x'"])
            return Node(missing + " " + rng.choice(["==", "!="]) + " " + other, PREC["rel"], {"missing_field"})
        if which == 1:
            kinds = rng.sample(["int", "string", "bool"], 2)
            op = rng.choice(["==", "!="])
            return binary(self.gen(kinds[0], 0), op, self.gen(kinds[1], 0), PREC["rel"], rng, {"cross_type"})
        if which == 2:
            left, right = self.gen_int(0), self.gen_double(0)
            op = rng.choice(["==", "!=", "<", "<=", ">", ">="])
            return binary(left, op, right, PREC["rel"], rng, {"mixed_numeric"})
        operand = self.gen_int(0)
        op = rng.choice(["&&", "||"])
        return binary(self.gen_bool(0), op, operand, PREC[op], rng, {"non_bool_logic"})


def generate(rng, count):
    cases = []
    for _ in range(count):
        generator = Generator(rng)
        event = generator.event()
        kind = rng.choice(["bool", "bool", "bool", "int", "double", "string", "list"])
        node = generator.gen(kind, rng.randint(1, 4))
        cases.append({"kind": "cel", "expr": node.text, "vars": {"event": event},
                      "features": sorted(node.features)})
    return cases


def _strict_bool_equality(method):
    # cel-python 0.5 bug: BoolType subclasses int without its own ==, so `true == 1` is true
    # there; CEL has no bool == int overload. Patched to raise like its other types, so that
    # the case falls under the heterogeneous-equality rule instead of passing unexplained.
    def compare(self, other):
        if not isinstance(other, (celtypes.BoolType, bool)):
            raise TypeError("no such overload: BoolType %s %s" % (method.__name__, type(other)))
        return method(bool(self), bool(other))
    return compare


celtypes.BoolType.__eq__ = _strict_bool_equality(bool.__eq__)
celtypes.BoolType.__ne__ = _strict_bool_equality(bool.__ne__)
celtypes.BoolType.__hash__ = int.__hash__


def brief(case):
    """The case as shown on failure: only the event fields the expression names (a name
    appearing anywhere in the text is kept, so the shown case still reproduces)."""
    data = case["vars"]["event"]["data"]
    kept = {key: value for key, value in data.items() if key in case["expr"]}
    return dict(case, vars={"event": dict(case["vars"]["event"], data=kept)})


# --- reference ------------------------------------------------------------------------------

ENVIRONMENT = celpy.Environment()

# cel-python 0.5 bug: StringType + StringType is str.__add__, a plain Python str without the
# CEL string methods, so `('a' + b).contains(c)` fails there with "no attribute 'contains'".
# Patched so that the methods on concatenations are compared rather than skipped.
celtypes.StringType.__add__ = lambda self, other: celtypes.StringType(str.__add__(self, other))


def _case_function(mapping):
    def apply(value):
        if not isinstance(value, str):
            raise TypeError("expects a string")
        return celtypes.StringType(mapping(value))
    return apply


# Inngest's own functions, which the server adds to CEL; cel-python lacks them.
FUNCTIONS = {"lowercase": _case_function(str.lower), "uppercase": _case_function(str.upper)}


def to_plain(value):
    """cel-python's value as JSON-like Python, keeping int and float apart."""
    if isinstance(value, celtypes.BoolType) or isinstance(value, bool):
        return bool(value)
    if isinstance(value, celtypes.IntType) or (isinstance(value, int)):
        return int(value)
    if isinstance(value, (celtypes.DoubleType, float)):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if value is None:
        return None
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    raise TypeError("unexpected CEL value %r" % (value,))


def _describe(error):
    # The arguments name the Python exception behind a CEL error (KeyError for a missing key),
    # which the allowlist rules look at.
    return " ".join(str(arg) for arg in error.args)


def reference(case):
    try:
        program = ENVIRONMENT.program(ENVIRONMENT.compile(case["expr"]), functions=FUNCTIONS)
        activation = {name: celpy.json_to_cel(value) for name, value in case["vars"].items()}
        result = program.evaluate(activation)
        if isinstance(result, celpy.CELEvalError):
            return {"error": "evaluation", "message": _describe(result)}
        return {"value": to_plain(result)}
    except celpy.CELParseError as error:
        return {"error": "syntax", "message": str(error).splitlines()[0]}
    except celpy.CELEvalError as error:
        return {"error": "evaluation", "message": _describe(error)}
    except Exception as error:  # cel-python raises plain Python errors for some type faults
        return {"error": "evaluation", "message": "%s: %s" % (type(error).__name__, error)}


def same(a, b):
    """Equality that keeps bool, int and float apart and tells -0.0 from 0.0."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


# --- comparison -----------------------------------------------------------------------------

def _is_value(result):
    return "value" in result


def _their_message(theirs):
    return theirs.get("message", "")


# Each rule: (name, feature the case must carry, predicate on (case, ours, theirs), reason).
ALLOWLIST = [
    ("missing-field-is-null", "missing_field",
     lambda c, o, t: _is_value(o) and re.search(r"KeyError|IndexError|undeclared reference|CELEvalError", _their_message(t)),
     "Inngest reads a missing field, key, index or variable as null (server behaviour for filters); strict CEL raises no_such_field"),
    ("heterogeneous-equality", "cross_type",
     lambda c, o, t: _is_value(o) and "no matching overload" in _their_message(t),
     "cel-go (the Inngest server) has heterogeneous equality: == across types is false (CEL spec since 2021); cel-python 0.5 still raises no_matching_overload"),
    ("mixed-numeric", "mixed_numeric",
     lambda c, o, t: _is_value(o) and re.search(r"no matching overload|no such overload", _their_message(t)),
     "int/double comparison is defined across numeric types in the CEL spec (and cel-go) and ours also promotes arithmetic on JSON numbers; cel-python raises no_matching_overload"),
    ("non-bool-in-logic", "non_bool_logic",
     lambda c, o, t: _is_value(o),
     "ours treats a non-bool operand of && / || as false (documented filter truthiness); the CEL spec errors, and cel-python returns the raw operand (e.g. `false || 1` is 1), itself off-spec"),
]


# cel-python's lexer bugs. Each rewrite turns an expression into one that means the same by the
# CEL spec but avoids the bug; when one applies, cel-python is asked again on the rewritten text.
def _escape_multiline(expr):
    return re.sub(r'"""(.*?)"""', lambda m: '"""' + m.group(1).replace("\n", "\\n") + '"""', expr, flags=re.S)


def _plain_escapes(expr):
    # Left to right, so that an escaped backslash is never read as the start of an escape.
    def one(m):
        ch = m.group(1)
        return ch if ch in "?`" else ("\\x" if ch == "X" else m.group(0))
    return re.sub(r"\\(.)", one, expr, flags=re.S)


def _drop_trailing_commas(expr):
    return re.sub(r",(\s*[\]}])", r"\1", expr)


WORKAROUNDS = [
    ("cel-python-multiline-literal", _escape_multiline,
     "cel-python 0.5 drops raw newlines inside triple-quoted string literals, which the CEL spec keeps "
     "(langdef: triple-quoted strings may contain newlines); compared again with the newlines escaped"),
    ("cel-python-escape", _plain_escapes,
     "cel-python 0.5 keeps the escapes \\?, \\` and \\X.. as written though the CEL spec lists them "
     "(langdef, escape sequences); compared again with ?, ` and \\x.."),
    ("cel-python-trailing-comma", _drop_trailing_commas,
     "cel-python 0.5 rejects a trailing comma in a list or map literal, which CEL's grammar (cel-go) "
     "allows; compared again without it"),
]


def _verdict(case, ours, theirs):
    """None when ours and theirs agree, else the name of the semantic rule that explains the
    difference, else 'fail'."""
    if "error" in ours and "error" in theirs:
        return None
    if _is_value(ours) and _is_value(theirs) and same(ours["value"], theirs["value"]):
        return None
    # Ours refuses results that JSON cannot carry (inf, NaN); cel-python computes them.
    if "error" in ours and _is_value(theirs) and (
            (isinstance(theirs["value"], float) and not math.isfinite(theirs["value"]))
            or re.match(r"double overflow|division by zero|modulus by zero", ours.get("message", ""))):
        return "non-finite-double"
    features = set(case.get("features", ()))
    for name, feature, predicate, _reason in ALLOWLIST:
        if (feature is None or feature in features) and predicate(case, ours, theirs):
            return name
    return "fail"


def compare(case, ours, theirs):
    """'agree', ('allowed', rule names joined by +) or ('fail', why)."""
    verdict = _verdict(case, ours, theirs)
    if verdict is None:
        return "agree"
    used, expr = [], case["expr"]
    for name, rewrite, _reason in WORKAROUNDS:
        rewritten = rewrite(expr)
        if rewritten != expr:
            used.append(name)
            expr = rewritten
    if used:
        case, theirs = dict(case, expr=expr), reference(dict(case, expr=expr))
        verdict = _verdict(case, ours, theirs)
        if verdict is None:
            return ("allowed", "+".join(used))
    if verdict != "fail":
        return ("allowed", "+".join(used + [verdict]))
    return ("fail", "ours %s, cel-python %s" % (ours, theirs))


REASONS = {name: reason for name, _f, _p, reason in ALLOWLIST}
REASONS.update({name: reason for name, _r, reason in WORKAROUNDS})
REASONS["non-finite-double"] = ("ours makes a double result of inf/NaN an evaluation error (JSON cannot carry it); "
                                "the CEL spec and cel-python yield IEEE inf/NaN")
