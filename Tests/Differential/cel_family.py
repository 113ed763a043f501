"""CEL expressions: random well-typed expressions of our subset over random events, evaluated
by our CELExpression and by cel-python.

Besides operators and literals the generator writes has(), the macros (all, exists, exists_one,
map, filter) with their variables in scope, matches() with RE2 patterns (cel-python uses the re2
module, so both sides run RE2 syntax), the conversions, and timestamps and durations with their
arithmetic, comparisons and getters. EXPLICIT_CASES adds fixed cases for every function.

The generator builds typed trees (int, double, string, bool, list) from the event's fields,
whose types it knows, so nearly every case is well typed in strict CEL and any difference is a
finding. A few cases deliberately use what Inngest (cel-go with heterogeneous equality, JSON
payloads) does differently from strict CEL; the generator tags them with a feature, and only a
tagged case can match an allowlist rule (ALLOWLIST below)."""

import datetime
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

    def random_timestamp_text(self):
        rng = self.rng
        moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=rng.randint(-2**31, 2**32))
        text = moment.strftime("%Y-%m-%dT%H:%M:%S")
        if rng.random() < 0.3:
            # At most microseconds: cel-python's timestamps are Python datetimes, which drop
            # nanoseconds (ours keep them, as cel-go does; the unit tests cover that).
            text += "." + "".join(rng.choice("0123456789") for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.6:
            return text + "Z"
        return text + "%s%02d:%02d" % (rng.choice("+-"), rng.randint(0, 14), rng.choice([0, 30, 45]))

    def random_duration_text(self):
        rng = self.rng
        parts = []
        # No "ns": cel-python's durations are Python timedeltas, in microseconds.
        for unit in rng.sample(["h", "m", "s", "ms", "us"], rng.randint(1, 3)):
            number = str(rng.randint(0, 500))
            if unit in ("s", "h") and rng.random() < 0.3:
                number += "." + str(rng.randint(0, 999))
            parts.append(number + unit)
        return rng.choice(["", "", "-"]) + "".join(parts)

    def event(self):
        rng = self.rng
        self.locals = {}
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
        data["t0"] = self.random_timestamp_text()
        data["du"] = self.random_duration_text()
        self.fields["tstr"] = ["t0"]
        self.fields["dstr"] = ["du"]
        self.data = data
        return {"name": "test/event", "data": data}

    # --- expressions ----------------------------------------------------------------------

    def field(self, kind):
        rng = self.rng
        if self.locals.get(kind) and rng.random() < 0.7:
            # A macro's variable in scope, of this kind.
            return Node(rng.choice(self.locals[kind]), PREC["atom"])
        name = rng.choice(self.fields[kind])
        if rng.random() < 0.2:
            return Node("event.data[%s]" % cel_string_literal(rng, name), PREC["atom"])
        return Node("event.data." + name, PREC["atom"])

    def gen(self, kind, depth):
        return getattr(self, "gen_" + kind)(depth)

    def gen_int(self, depth):
        rng = self.rng
        choice = rng.randrange(14 if depth > 0 else 3)
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
        if choice == 11:
            return self.gen_int(depth - 1)
        return self.int_from_new_functions(depth)

    def int_from_new_functions(self, depth):
        """Getters, conversions and sizes of macro results."""
        rng = self.rng
        which = rng.randrange(5)
        if which == 0:
            getter = rng.choice(["getFullYear", "getMonth", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear",
                                 "getHours", "getMinutes", "getSeconds", "getMilliseconds"])
            zone = ""
            if rng.random() < 0.4:
                zone = cel_string_literal(rng, rng.choice(["UTC", "+05:30", "-08:00", "Europe/Paris", "America/New_York",
                                                           "Asia/Kolkata", "Australia/Lord_Howe"]))
            receiver = self.gen_timestamp(depth - 1)
            return Node(wrap(receiver, PREC["atom"], rng) + "." + getter + "(" + zone + ")", PREC["atom"],
                        receiver.features)
        if which == 1:
            getter = rng.choice(["getHours", "getMinutes", "getSeconds", "getMilliseconds"])
            receiver = self.gen_duration(depth - 1)
            return Node(wrap(receiver, PREC["atom"], rng) + "." + getter + "()", PREC["atom"], receiver.features)
        if which == 2:
            inner = self.gen_timestamp(depth - 1)
            return Node("int(" + inner.text + ")", PREC["atom"], inner.features | {"int_of_timestamp"})
        if which == 3:
            if rng.random() < 0.5:
                inner = self.gen_double(depth - 1)
                return Node("int(" + inner.text + ")", PREC["atom"], inner.features)
            return Node("int(%s)" % cel_string_literal(rng, str(self.random_int())), PREC["atom"])
        inner = self.gen_list(depth - 1)
        return Node("size(" + inner.text + ")", PREC["atom"], inner.features)

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
        if rng.random() < 0.3:
            source = rng.choice([self.gen_int, self.gen_timestamp, self.gen_duration])(depth - 1)
            return Node("string(" + source.text + ")", PREC["atom"], source.features)
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
        if depth > 0 and rng.random() < 0.3:
            return self.list_macro(depth)
        return self.collection("ilist")

    def bound(self, kind, build):
        """Runs build(name) with a fresh macro variable of kind in scope."""
        taken = {n for names in self.locals.values() for n in names}
        name = self.rng.choice([n for n in ["x", "y", "v", "item", "k"] if n not in taken] or ["z"])
        self.locals.setdefault(kind, []).append(name)
        try:
            return build(name)
        finally:
            self.locals[kind].remove(name)

    def list_macro(self, depth):
        """l.map(x, int), l.map(x, bool, int) or l.filter(x, bool) over a list of ints."""
        rng = self.rng
        source = self.gen_list(depth - 1)
        macro = rng.choice(["map", "map", "filter", "map3"])

        def build(name):
            if macro == "filter":
                body = self.gen_bool(depth - 1)
                text = wrap(source, PREC["atom"], rng) + ".filter(" + name + ", " + body.text + ")"
                return Node(text, PREC["atom"], source.features | body.features)
            transform = self.gen_int(depth - 1)
            if macro == "map":
                return Node(wrap(source, PREC["atom"], rng) + ".map(" + name + ", " + transform.text + ")",
                            PREC["atom"], source.features | transform.features)
            test = self.gen_bool(depth - 1)
            return Node(wrap(source, PREC["atom"], rng) + ".map(" + name + ", " + test.text + ", " + transform.text + ")",
                        PREC["atom"], source.features | test.features | transform.features)
        return self.bound("int", build)

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
        choice = rng.randrange(16 if depth > 0 else 2)
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
        if choice == 11:
            return self.probe(depth)
        return self.bool_from_new_functions(depth)

    def bool_from_new_functions(self, depth):
        rng = self.rng
        which = rng.randrange(6)
        if which == 0:
            return self.has_test()
        if which <= 2:
            return self.bool_macro(depth)
        if which == 3:
            return self.regex_match(depth)
        kind = rng.choice(["timestamp", "duration"])
        op = rng.choice(["==", "!=", "<", "<=", ">", ">="])
        return binary(self.gen(kind, depth - 1), op, self.gen(kind, depth - 1), PREC["rel"], rng)

    def has_test(self):
        rng = self.rng
        path = rng.choice(["event.data.%s" % rng.choice(sorted(self.data)), "event.data.missing", "event.data.n.x",
                           "event.data.n.nope", "event.name", "event.nope", "event.data.m.%s" % rng.choice(["a", "b", "c"]),
                           "event.data.missing.deeper", "{'a': 1, 'b': null}.%s" % rng.choice("abc")])
        # has() below a missing field is false in both (cel-python 0.5 and ours), though the
        # CEL spec would make it an error; has() of a field of a number is an error in both.
        return Node("has(" + path + ")", PREC["atom"])

    def bool_macro(self, depth):
        rng = self.rng
        macro = rng.choice(["all", "exists", "exists_one"])
        kind, range_kind = rng.choice([("int", "ilist"), ("string", "slist"), ("string", "map")])
        source = self.gen_list(depth - 1) if range_kind == "ilist" else self.collection(range_kind)

        def build(name):
            body = self.gen_bool(depth - 1)
            return Node(wrap(source, PREC["atom"], rng) + "." + macro + "(" + name + ", " + body.text + ")",
                        PREC["atom"], source.features | body.features)
        return self.bound(kind, build)

    def regex(self, depth=2):
        """A small RE2 pattern over the generator's alphabet."""
        rng = self.rng
        pieces = []
        for _ in range(rng.randint(1, 4)):
            which = rng.randrange(9)
            if which <= 2:
                piece = re.escape(rng.choice(ALPHABET[:14] + ["é", "中", "😀"]))
            elif which == 3:
                piece = rng.choice(["[a-c]", "[^a-c]", "[0-9X]", "[\\d_]", "[é-ß]"])
            elif which == 4:
                piece = rng.choice(["\\d", "\\w", "\\s", "\\W", ".", "\\S"])
            elif which == 5 and depth > 0:
                piece = "(" + self.regex(depth - 1) + "|" + self.regex(depth - 1) + ")"
            elif which == 6 and depth > 0:
                piece = "(?:" + self.regex(depth - 1) + ")"
            else:
                piece = rng.choice(["a", "b", "c", "X"])
            if rng.random() < 0.3:
                piece += rng.choice(["*", "+", "?", "{1,2}", "{2}", "*?", "{0,}"])
            pieces.append(piece)
        pattern = "".join(pieces)
        if rng.random() < 0.2:
            pattern = "^" + pattern
        if rng.random() < 0.2:
            pattern += "$"
        if rng.random() < 0.1:
            pattern = "(?i)" + pattern
        return pattern

    def regex_match(self, depth):
        rng = self.rng
        text = self.gen_string(depth - 1)
        pattern = cel_string_literal(rng, self.regex())
        if rng.random() < 0.3:
            return Node("matches(" + text.text + ", " + pattern + ")", PREC["atom"], text.features)
        return Node(wrap(text, PREC["atom"], rng) + ".matches(" + pattern + ")", PREC["atom"], text.features)

    def gen_timestamp(self, depth):
        rng = self.rng
        choice = rng.randrange(5 if depth > 0 else 2)
        if choice == 0:
            return Node("timestamp(%s)" % cel_string_literal(rng, self.random_timestamp_text()), PREC["atom"])
        if choice == 1:
            return Node("timestamp(" + self.field("tstr").text + ")", PREC["atom"])
        if choice <= 3:
            op = rng.choice(["+", "-"])
            return binary(self.gen_timestamp(depth - 1), op, self.gen_duration(depth - 1), PREC["add"], rng)
        return self.conditional("timestamp", depth)

    def gen_duration(self, depth):
        rng = self.rng
        choice = rng.randrange(6 if depth > 0 else 2)
        if choice == 0:
            return Node("duration(%s)" % cel_string_literal(rng, self.random_duration_text()), PREC["atom"])
        if choice == 1:
            return Node("duration(" + self.field("dstr").text + ")", PREC["atom"])
        if choice == 2:
            return binary(self.gen_timestamp(depth - 1), "-", self.gen_timestamp(depth - 1), PREC["add"], rng)
        if choice <= 4:
            op = rng.choice(["+", "-"])
            return binary(self.gen_duration(depth - 1), op, self.gen_duration(depth - 1), PREC["add"], rng)
        return self.conditional("duration", depth)

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
        kind = rng.choice(["bool", "bool", "bool", "int", "double", "string", "list", "timestamp", "duration"])
        node = generator.gen(kind, rng.randint(1, 4))
        cases.append(_with_reference_text({"kind": "cel", "expr": node.text, "vars": {"event": event},
                                           "features": sorted(node.features)}))
    return explicit_cases() + cases


def _skip_string(text, i):
    """The index after the CEL string literal starting at text[i] (a quote, or r/R before one)."""
    raw = text[i] in "rR"
    if raw:
        i += 1
    quote = text[i:i + 3] if text[i:i + 3] in ("'\'\'", '"""') else text[i]
    i += len(quote)
    while not text.startswith(quote, i):
        i += 2 if (text[i] == "\\" and not raw) else 1
    return i + len(quote)


def _split_call(text, start):
    """From the index after an opening '(': the top-level arguments and the index after ')'."""
    args, depth, i, begin = [], 0, start, start
    while True:
        ch = text[i]
        if ch in "'\"" or (ch in "rR" and i + 1 < len(text) and text[i + 1] in "'\"" and not text[i - 1].isalnum()):
            i = _skip_string(text, i)
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                args.append(text[begin:i])
                return args, i + 1
            depth -= 1
        elif ch == "," and depth == 0:
            args.append(text[begin:i])
            begin = i + 1
        i += 1


def three_argument_maps_as_filter(text):
    """text with every `.map(x, p, t)` written as `.filter(x, p).map(x, t)`, which the CEL spec
    defines it to be; cel-python 0.5 lacks the three-argument form."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch in "'\"" or (ch in "rR" and i + 1 < len(text) and text[i + 1] in "'\"" and (i == 0 or not text[i - 1].isalnum())):
            end = _skip_string(text, i)
            out.append(text[i:end])
            i = end
        elif text.startswith(".map(", i):
            args, end = _split_call(text, i + 5)
            args = [three_argument_maps_as_filter(arg) for arg in args]
            if len(args) == 3:
                out.append(".filter(%s,%s).map(%s,%s)" % (args[0], args[1], args[0], args[2]))
            else:
                out.append(".map(" + ",".join(args) + ")")
            i = end
        else:
            out.append(ch)
            i += 1
    return "".join(out)


# Fixed cases: every function and macro at least once, with the edge cases that matter, over one
# event. (Inngest's now(), now_plus(), now_minus() and date() have no cel-python counterpart and
# read the clock; the unit tests cover them.)
EXPLICIT_EVENT = {"name": "test/explicit", "data": {
    "items": [3, 1, 4, 1, 5], "words": ["alpha", "beta", "gamma"], "tags": {"a": 1, "b": 2}, "plan": "pro",
    "email": "ada@example.com", "nothing": None, "user": {"name": "Ada", "id": 7}, "when": "2026-03-04T05:06:07.089Z",
    "wait": "90m", "ratio": 2.75, "count": "42", "zero": 0}}

EXPLICIT = [
    # has()
    "has(event.data.plan)", "has(event.data.missing)", "has(event.data.nothing)", "has(event.data.user.id)",
    "has(event.data.user.email)", "has(event.data.missing.deeper)", "has({'a': 1}.a)",
    "!has(event.data.missing) && has(event.data.tags.b)",
    # macros
    "event.data.items.all(x, x > 0)", "event.data.items.all(x, x > 1)", "[].all(x, false)",
    "event.data.items.exists(x, x == 4)", "event.data.items.exists(x, x == 9)", "[].exists(x, true)",
    "event.data.items.exists_one(x, x == 4)", "event.data.items.exists_one(x, x == 1)",
    "event.data.items.map(x, x * 10)", "event.data.items.map(x, x > 2, x * 10)", "event.data.items.filter(x, x % 2 == 1)",
    "event.data.words.map(w, size(w))", "event.data.words.filter(w, w.startsWith('a') || w.endsWith('a'))",
    "event.data.tags.all(k, k in ['a', 'b'])", "event.data.tags.exists(k, event.data.tags[k] == 2)",
    "event.data.tags.exists_one(k, k == 'a')", "[[1, 2], [3]].map(l, l.map(x, x + 1))",
    "[1, 2].all(x, [3, 4].exists(y, y > x))", "[[1], [2, 3]].map(x, x.map(x, x * 2))",
    "[0, 1].all(x, 10 / x > 20)", "[0, 1].exists(x, 10 / x == 10)", "[1, 0].exists_one(x, 10 / x > 20)",
    "[1, 0].map(x, 10 / x)", "[1, 0].filter(x, 10 / x > 1)",
    "event.data.items.filter(x, x > 1).map(x, x * x).exists(y, y == 25)",
    # strings and matches
    "event.data.email.matches('^[^@]+@example\\\\.com$')", "matches(event.data.plan, '^(pro|enterprise)$')",
    "event.data.words.exists(w, w.matches('^g'))", "'ABC'.matches('(?i)^abc$')", "'a\\nb'.matches('^b')",
    "'a\\nb'.matches('(?m)^b')", "'x'.matches('(')", "'aaa'.matches('a{2,3}')", "'😀'.matches('^.$')",
    "'cat concat'.matches('\\\\bcat\\\\b')", "'tab\\there'.matches('\\\\s')",
    "event.data.email.contains('@')", "event.data.email.startsWith('ada')", "event.data.email.endsWith('.org')",
    "size(event.data.email)", "event.data.words.size()", "lowercase('MiXeD')", "uppercase('MiXeD')",
    # conversions
    "int('42')", "int(event.data.count) + 1", "int(2.9)", "int(-2.9)", "int('x')", "int(1e19)",
    "double('2.5')", "double(3)", "double(event.data.ratio)", "string(42)", "string(-7)", "string('s')",
    "bool('true')", "bool('false')", "dyn(event.data.items)", "dyn(1) + 1",
    # timestamps and durations
    "timestamp('2026-01-02T03:04:05Z')", "timestamp('2026-01-02T03:04:05.25+02:00')", "timestamp(event.data.when)",
    "timestamp('2026-02-29T00:00:00Z')", "timestamp('not a time')",
    "duration('1h30m')", "duration('-1.5s')", "duration('250ms')", "duration('0s')", "duration('1x')",
    "duration(event.data.wait)", "timestamp(event.data.when) + duration(event.data.wait)",
    "duration('1s') + timestamp('2026-01-01T00:00:00Z')", "timestamp('2026-03-01T00:00:00Z') - duration('24h')",
    "timestamp('2024-03-01T00:00:00Z') - timestamp('2024-02-28T00:00:00Z')", "duration('1h') + duration('30m')",
    "duration('1h') - duration('90m')", "timestamp('9999-12-31T23:59:59Z') + duration('1s')",
    "timestamp('2026-01-01T01:00:00+01:00') == timestamp('2026-01-01T00:00:00Z')",
    "timestamp('2026-01-01T00:00:00Z') < timestamp('2026-01-01T00:00:01Z')", "duration('60s') == duration('1m')",
    "duration('1s') > duration('999ms')", "timestamp(event.data.when) > timestamp('2026-01-01T00:00:00Z')",
    "timestamp(event.data.when).getFullYear()", "timestamp(event.data.when).getMonth()",
    "timestamp(event.data.when).getDate()", "timestamp(event.data.when).getDayOfMonth()",
    "timestamp(event.data.when).getDayOfWeek()", "timestamp(event.data.when).getDayOfYear()",
    "timestamp(event.data.when).getHours()", "timestamp(event.data.when).getMinutes()",
    "timestamp(event.data.when).getSeconds()", "timestamp(event.data.when).getMilliseconds()",
    "timestamp('2026-03-04T20:00:00Z').getHours('Asia/Kolkata')", "timestamp('2026-03-04T20:00:00Z').getDate('+05:30')",
    "timestamp('2026-03-04T02:00:00Z').getDayOfWeek('-08:00')", "timestamp('2026-07-01T12:00:00Z').getHours('Europe/Paris')",
    "timestamp('1500-03-01T00:00:00Z').getDayOfWeek()", "timestamp('2024-12-31T00:00:00Z').getDayOfYear()",
    "duration('90m').getHours()", "duration('90m').getMinutes()", "duration('-1.5s').getSeconds()",
    "duration('1.5s').getMilliseconds()", "int(timestamp('2026-01-01T00:00:00Z'))",
    "string(timestamp('2026-01-01T00:00:00.5Z'))", "string(duration('1m'))",
]

# Cases where cel-python knowingly differs; tagged so that only they can match the rules.
EXPLICIT_TAGGED = [
    ("string(true)", ["bool_string"]), ("string(false)", ["bool_string"]),
    ("bool('F')", ["cel_python_gap"]), ("bool('1')", ["cel_python_gap"]), ("timestamp(0)", ["cel_python_gap"]),
    ("duration('0')", ["cel_python_gap"]), ("has(event.data.plan.size)", ["has_non_map"]),
    ("event.data.plan.all(c, true)", ["macro_over_string"]),
]


def explicit_cases():
    cases = [(expr, []) for expr in EXPLICIT] + EXPLICIT_TAGGED
    return [_with_reference_text({"kind": "cel", "expr": expr, "vars": {"event": EXPLICIT_EVENT}, "features": features})
            for expr, features in cases]


def _with_reference_text(case):
    rewritten = three_argument_maps_as_filter(case["expr"])
    if rewritten != case["expr"]:
        case["reference_expr"] = rewritten
    return case


def _strict_bool_equality(method):
    # cel-python 0.5 bug: BoolType subclasses int without its own ==, so `true == 1` is true
    # there; CEL has no bool == int overload. Patched to raise like its other types, so that
    # the case falls under the heterogeneous-equality rule instead of passing unexplained.
    def compare(self, other):
        if not isinstance(other, (celtypes.BoolType, bool)):
            raise TypeError("no such overload: BoolType %s %s" % (method.__name__, type(other)))
        return method(bool(self), bool(other))
    return compare


def _utc_text(self):
    utc = self.astimezone(datetime.timezone.utc)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S").rjust(19, "0")
    if utc.microsecond:
        text += "." + ("%06d" % utc.microsecond).rstrip("0")
    return text + "Z"


def _duration_result(operation):
    def apply(self, *other):
        result = operation(self, *other)
        return celtypes.DurationType(result) if type(result) is datetime.timedelta else result
    return apply


# cel-python 0.5 bugs with durations and timestamps, patched so that the rest is compared:
# duration - duration and -duration give a plain timedelta without CEL's methods (getters,
# string()); string() of a duration drops the fraction ("1.5s" becomes "1s"); string() of a
# timestamp drops the fraction. Ours (like cel-go for durations) keeps them; for timestamps ours
# writes UTC where cel-go keeps the parsed offset, which the docs list as a known difference.
celtypes.DurationType.__sub__ = _duration_result(datetime.timedelta.__sub__)
celtypes.DurationType.__neg__ = _duration_result(datetime.timedelta.__neg__)
celtypes.DurationType.__str__ = lambda self: _seconds_text(
    (self.days * 86_400 + self.seconds) * 1_000_000 + self.microseconds)
celtypes.TimestampType.__str__ = _utc_text

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


def _seconds_text(microseconds):
    """A duration as cel-go writes it: seconds with the decimals needed, then "s"."""
    sign = "-" if microseconds < 0 else ""
    whole, fraction = divmod(abs(microseconds), 1_000_000)
    text = sign + str(whole)
    if fraction:
        text += "." + ("%06d" % fraction).rstrip("0")
    return text + "s"


def to_plain(value):
    """cel-python's value as JSON-like Python, keeping int and float apart; timestamps and
    durations in the JSON text cel-go (and ours) give them."""
    if isinstance(value, datetime.datetime):
        return _utc_text(value)
    if isinstance(value, datetime.timedelta):
        return _seconds_text((value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds)
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
        text = case.get("reference_expr", case["expr"])
        program = ENVIRONMENT.program(ENVIRONMENT.compile(text), functions=FUNCTIONS)
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
    ("cel-python-bool-string", "bool_string",
     lambda c, o, t: _is_value(o) and _is_value(t) and str(t["value"]).lower() == o["value"],
     "cel-python 0.5 writes string(true) as 'True' (Python's str); the CEL spec and cel-go write 'true'"),
    ("cel-python-conversion-gap", "cel_python_gap",
     lambda c, o, t: _is_value(o) and re.search(r"no such overload|invalid literal|Cannot create|Invalid duration", _their_message(t)),
     "cel-go has timestamp(int) (Unix seconds), bool() of Go's ParseBool spellings ('t', 'F', '1') and duration('0') "
     "(Go's ParseDuration); cel-python 0.5 lacks them"),
    ("duration-range", None,
     lambda c, o, t: _is_value(t) and re.search(r"duration out of range|duration '.*' is out of range", o.get("message", "")),
     "cel-go's durations are Go time.Duration, int64 nanoseconds (about ±292 years), and ours too; cel-python allows the "
     "protobuf range of ±10,000 years"),
    ("int-of-timestamp-floors", "int_of_timestamp",
     lambda c, o, t: _is_value(o) and _is_value(t) and isinstance(o["value"], int) and isinstance(t["value"], int),
     "int(timestamp) is Go's Time.Unix() in cel-go and ours, which floors; cel-python truncates toward zero, one second "
     "apart for instants before 1970 with a fraction of a second"),
    ("has-on-non-map", "has_non_map",
     lambda c, o, t: "has() needs a map" in o.get("message", "") and _is_value(t),
     "has() of a field of a string is an error in the CEL spec (no such field) and ours; cel-python 0.5 returns false"),
    ("macro-over-string", "macro_over_string",
     lambda c, o, t: "needs a list or a map" in o.get("message", "") and _is_value(t),
     "a macro over a string is an error in the CEL spec (lists and maps only) and ours; cel-python 0.5 iterates characters"),
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
    used, expr = [], case.get("reference_expr", case["expr"])
    for name, rewrite, _reason in WORKAROUNDS:
        rewritten = rewrite(expr)
        if rewritten != expr:
            used.append(name)
            expr = rewritten
    if used:
        case = dict(case, reference_expr=expr)
        theirs = reference(case)
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
