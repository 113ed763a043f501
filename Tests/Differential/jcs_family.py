"""RFC 8785 canonical JSON: random JSON text, read by our JSONText and canonicalized by
JSONCanonicalization, against the rfc8785 package on the same text (read by Python's json).

The text is written with the variety a sender may use (whitespace, \\u escapes, \\/,
exponents, trailing zeros, integers past 2^53 and 2^63) so that reading and writing are both
exercised; the canonical bytes must match exactly."""

import json
import re
import math
import struct

import rfc8785

# Keys and strings draw on code points whose UTF-16 order differs from their code point
# order (U+E000..U+FFFF sort after astral characters in UTF-16), plus controls and escapes.
SPECIAL = ["\u0000", "\u001f", "\u007f", "\u0080", "\u00e9", "\u2028", "\u2029", "\ue000", "\uff61",
           "\ufeff", "\U0001f600", "\U00010000", "\U0010ffff", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t"]


def random_string(rng, max_length=6):
    out = []
    for _ in range(rng.randint(0, max_length)):
        r = rng.random()
        if r < 0.5:
            out.append(rng.choice("abcxyzABC019 _-"))
        elif r < 0.8:
            out.append(rng.choice(SPECIAL))
        else:
            # Any scalar value (no surrogates, which are not characters).
            cp = rng.choice([rng.randint(0x20, 0xD7FF), rng.randint(0xE000, 0xFFFF), rng.randint(0x10000, 0x10FFFF)])
            out.append(chr(cp))
    return "".join(out)


def random_double(rng):
    r = rng.random()
    if r < 0.3:
        # Any finite bit pattern: subnormals, huge and tiny exponents, 17-digit mantissas.
        while True:
            value = struct.unpack("<d", struct.pack("<Q", rng.getrandbits(64)))[0]
            if math.isfinite(value):
                return value
    if r < 0.5:
        return rng.choice([0.0, -0.0, 0.1, 1e21, 1e-7, 1e-6, 123e20, 9.999999999999999e20, 5e-324,
                           1.7976931348623157e308, 2.0**53, 2.0**53 + 2, 0.000001, 1e300, -1e-300, 4.35, 0.3])
    return rng.uniform(-1e6, 1e6) * 10.0 ** rng.randint(-25, 25)


def number_text(rng, value):
    """A JSON number for value, in one of the ways a sender might write it."""
    if isinstance(value, int):
        if rng.random() < 0.1 and value != 0:
            return "%dE%d" % (value, 0) if rng.random() < 0.5 else "%d.000" % value  # a double that is integral
        return str(value)
    text = repr(value)
    if text in ("0.0", "-0.0") and rng.random() < 0.5:
        return text[:-2] if rng.random() < 0.5 else text + "e-5"
    r = rng.random()
    if r < 0.2:
        return "%.17g" % value  # 17 significant digits: reads back to the same double
    if r < 0.3:
        return "%.25e" % value  # more digits than a double holds, must round correctly
    if r < 0.4 and "e" in text:
        return text.replace("e", rng.choice(["E", "e"])).replace("E+", "E")
    return text


def string_text(rng, text):
    out = ['"']
    for ch in text:
        cp = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "/" and rng.random() < 0.5:
            out.append("\\/")
        elif cp < 0x20 or rng.random() < 0.15:
            if cp > 0xFFFF:
                # A surrogate pair, as JSON spells astral characters in escapes.
                cp -= 0x10000
                out.append("\\u%04x\\u%04X" % (0xD800 + (cp >> 10), 0xDC00 + (cp & 0x3FF)))
            else:
                out.append(("\\u%04x" if rng.random() < 0.5 else "\\u%04X") % cp)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def space(rng):
    return rng.choice(["", "", "", " ", "\n", "\t ", "\r\n  "])


def value_text(rng, depth):
    r = rng.random()
    if depth > 0 and r < 0.2:
        items = [value_text(rng, depth - 1) for _ in range(rng.randint(0, 4))]
        return "[" + space(rng) + ("," + space(rng)).join(items) + space(rng) + "]"
    if depth > 0 and r < 0.45:
        keys = {random_string(rng, 4) for _ in range(rng.randint(0, 5))}
        members = [string_text(rng, k) + space(rng) + ":" + space(rng) + value_text(rng, depth - 1) for k in keys]
        return "{" + space(rng) + ("," + space(rng)).join(members) + space(rng) + "}"
    if r < 0.6:
        return string_text(rng, random_string(rng))
    if r < 0.75:
        return number_text(rng, random_double(rng))
    if r < 0.9:
        magnitude = rng.choice([10, 2**31, 2**53 - 1, 2**53, 2**53 + 1, 2**63 - 1, 2**63, 10**25])
        return number_text(rng, rng.randint(-magnitude, magnitude) if rng.random() < 0.7 else rng.choice([-1, 1]) * magnitude)
    return rng.choice(["true", "false", "null"])


def generate(rng, count):
    cases = []
    for i in range(count):
        text = space(rng) + value_text(rng, rng.randint(0, 4)) + space(rng)
        if i % 50 == 0:
            # Out of a double's range: both sides must refuse it.
            text = rng.choice(["1e400", "-1E309", "[1, 2e999]"])
        elif i % 50 == 25:
            # A lone surrogate escape: not a character (see the allowlist).
            lone = rng.choice(["\\ud800", "\\uDBFF", "\\udc00", "\\uDFFF\\ud800"])
            text = '{"k": "a%sb", %s: 1}' % (lone, string_text(rng, random_string(rng)))
        cases.append({"kind": "jcs", "text": text})
    return cases


def _as_number(text):
    # JCS numbers are IEEE doubles (RFC 8785 section 3.2.2.3): an integer past 2^53 is the
    # nearest double. rfc8785 refuses such ints instead of rounding them, so they are given to
    # it as the doubles they denote; ints it can take are passed unchanged.
    value = int(text)
    return value if abs(value) <= 2**53 - 1 else float(value)


def reference(case):
    try:
        value = json.loads(case["text"], parse_int=_as_number)
        return {"canonical": rfc8785.dumps(value).decode("utf-8")}
    except Exception as error:  # infinite numbers (FloatDomainError) and the like
        return {"error": "%s: %s" % (type(error).__name__, error)}


LONE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _lone_surrogates_replaced(case, ours):
    """Whether rfc8785 agrees once every surrogate escape not in a pair is U+FFFD."""
    # Python's json keeps a lone surrogate as a str code point; UTF-16 with "replace" turns
    # exactly those into U+FFFD.
    fixed = json.dumps(json.loads(case["text"], parse_int=_as_number), ensure_ascii=False)
    fixed = fixed.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    try:
        again = {"canonical": rfc8785.dumps(json.loads(fixed, parse_int=_as_number)).decode("utf-8")}
    except Exception:
        return False
    return again.get("canonical") == ours.get("canonical")


REASONS = {
    "lone-surrogate": "a \\u escape of a lone surrogate reads as U+FFFD in ours, as in Go's encoding/json (the server); rfc8785 rejects such non-I-JSON input; checked by giving rfc8785 the text with U+FFFD in its place",
}


def compare(case, ours, theirs):
    if "error" in ours and "error" in theirs:
        return "agree"
    if ours.get("canonical") is not None and ours.get("canonical") == theirs.get("canonical"):
        return "agree"
    if LONE_SURROGATE.search(case["text"]) and "error" in theirs and _lone_surrogates_replaced(case, ours):
        return ("allowed", "lone-surrogate")
    return ("fail", "ours %s, rfc8785 %s" % (json.dumps(ours, ensure_ascii=True), json.dumps(theirs, ensure_ascii=True)))
