#!/usr/bin/env bash
# `inngest-codegen export` checked with the real tools: the Swift interop app's manifest (made
# from Tests/Interop/SwiftApp by `inngest-codegen generate`) is exported to Python and
# TypeScript; mypy --strict must accept a correct use of the Python module and refuse a wrong
# input type, tsc --strict the same for the TypeScript module; the committed module the Python
# interop app imports must equal a fresh export; and the golden exports of the codegen tests
# must type-check and (Python) run.
#
#   EXPORT_BIN_DIR=DIR bash Tests/Export/run.sh     (or: bash Tests/Export/run.sh DIR)
#
# DIR holds a built inngest-codegen (default: `swift build --show-bin-path`); nothing is built
# here. mypy is pinned in Tests/Export/requirements.txt (a venv in Tests/Export/.venv, with the
# interop app's pinned inngest and pydantic); tsc is Debian's node-typescript, installed when
# missing. Without the `inngest` npm package, tsc reads typescript/inngest.d.ts in its place.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

say() { echo "export: $*" >&2; }

bin="${1:-${EXPORT_BIN_DIR:-}}"
if [ -z "$bin" ]; then bin="$(swift build --show-bin-path)"; fi
codegen="$bin/inngest-codegen"
if [ ! -x "$codegen" ]; then
    say "missing $codegen (build it with: swift build --product inngest-codegen)"
    exit 1
fi

source "$root/Tests/Support/python-venv.sh"
python_venv "$here/.venv" "$here/requirements.txt" "$root/Tests/Interop/python/requirements.txt"
py="$venv_python"
if ! command -v tsc >/dev/null; then
    say "installing node-typescript from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq node-typescript >/dev/null
fi
say "$("$py" -m mypy --version), tsc $(tsc --version | awk '{print $2}')"

work="$(mktemp -d "${TMPDIR:-/tmp}/inngest-export.XXXXXX")"
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
pass() {
    passed=$((passed + 1))
    echo "PASS $1"
}
fail() {
    failed=$((failed + 1))
    echo "FAIL $1"
}

# --- the Swift interop app's manifest, exported ------------------------------------------

"$codegen" generate --target-name InngestInteropApp --config "$root/Tests/Interop/inngest.config.json" \
    --templates-dir "$root/Templates" --package-dir "$root" \
    --manifest-output "$work/swift-app.inngest.json" "$root"/Tests/Interop/SwiftApp/*.swift
"$codegen" export "$work/swift-app.inngest.json" --python "$work/swift_app.py" --typescript "$work/swift_app.ts"

committed="$root/Tests/Interop/python/swift_app.py"
if diff -u "$committed" "$work/swift_app.py" >"$work/module.diff"; then
    pass "the Python interop app's swift_app.py is the export of the Swift app's manifest"
else
    cat "$work/module.diff"
    fail "Tests/Interop/python/swift_app.py is not the export of the Swift app's manifest; regenerate it with
    $codegen generate --target-name InngestInteropApp --config Tests/Interop/inngest.config.json --manifest-output /tmp/swift-app.inngest.json Tests/Interop/SwiftApp/*.swift
    $codegen export /tmp/swift-app.inngest.json --python Tests/Interop/python/swift_app.py"
fi

# --- mypy ----------------------------------------------------------------------------------

mypy() (cd "$1" && shift && "$py" -m mypy --strict --no-incremental --cache-dir=/dev/null "$@")

cp "$here/python/uses_swift_app.py" "$here/python/wrong_input.py" "$work/"
if mypy "$work" swift_app.py uses_swift_app.py >"$work/mypy-good.log" 2>&1; then
    pass "mypy --strict accepts the Python module and a correct use of it"
else
    cat "$work/mypy-good.log"
    fail "mypy --strict refused the Python module or a correct use of it"
fi

# expect_errors NAME LOG COUNT LINE...: LOG reports COUNT errors, among them every LINE.
expect_errors() {
    local name="$1" log="$2" count="$3" missing=""
    shift 3
    local line
    for line in "$@"; do
        grep -qF -- "$line" "$log" || missing+="    $line"$'\n'
    done
    if [ -z "$missing" ] && [ "$(grep -c 'error' "$log")" -ge "$count" ]; then
        pass "$name"
    else
        cat "$log"
        fail "$name: expected these errors:"$'\n'"$missing"
    fi
}

mypy "$work" swift_app.py wrong_input.py >"$work/mypy-bad.log" 2>&1 || true
expect_errors "mypy --strict refuses a wrong input type" "$work/mypy-bad.log" 2 \
    'wrong_input.py:9: error: Argument "number" to "ComputeCubeInput" has incompatible type "str"; expected "int"' \
    'wrong_input.py:10: error: Argument 3 to "invoke_compute_cube" has incompatible type "OnPythonEventInput"; expected "ComputeCubeInput"'

mkdir "$work/golden"
cp "$root"/Tests/InngestCodegenTests/Golden/Export/*.py "$here/python/golden_round_trip.py" "$work/golden/"
if mypy "$work/golden" orders.py shop.py >"$work/mypy-golden.log" 2>&1; then
    pass "mypy --strict accepts the golden Python exports"
else
    cat "$work/mypy-golden.log"
    fail "mypy --strict refused a golden Python export"
fi
if (cd "$work/golden" && "$py" -W error golden_round_trip.py) >"$work/round-trip.log" 2>&1; then
    pass "the golden Python export sends and reads values as its types say"
else
    cat "$work/round-trip.log"
    fail "the golden Python export did not send or read values as its types say"
fi

# --- tsc -----------------------------------------------------------------------------------

tsc_check() (cd "$1" && shift && tsc --noEmit --strict --target es2020 --module es2020 --moduleResolution node "$here/typescript/inngest.d.ts" "$@")

cp "$here/typescript/uses-swift-app.ts" "$here/typescript/wrong-input.ts" "$work/"
if tsc_check "$work" swift_app.ts uses-swift-app.ts >"$work/tsc-good.log" 2>&1; then
    pass "tsc --strict accepts the TypeScript module and a correct use of it"
else
    cat "$work/tsc-good.log"
    fail "tsc --strict refused the TypeScript module or a correct use of it"
fi

tsc_check "$work" swift_app.ts wrong-input.ts >"$work/tsc-bad.log" 2>&1 || true
expect_errors "tsc --strict refuses a wrong input type" "$work/tsc-bad.log" 2 \
    "wrong-input.ts(6,71): error TS2322: Type 'string' is not assignable to type 'number'." \
    "wrong-input.ts(7,71): error TS2322: Type '{ name: string; }' is not assignable to type 'ComputeCubeInput'."

cp "$root"/Tests/InngestCodegenTests/Golden/Export/*.ts "$work/golden/"
if tsc_check "$work/golden" orders.ts shop.ts >"$work/tsc-golden.log" 2>&1; then
    pass "tsc --strict accepts the golden TypeScript exports"
else
    cat "$work/tsc-golden.log"
    fail "tsc --strict refused a golden TypeScript export"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
