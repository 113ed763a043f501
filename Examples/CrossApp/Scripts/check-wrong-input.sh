#!/usr/bin/env bash
# Shows that app B's reference to app A's function is typed: a call with the wrong input
# type must not compile. Type-checks a snippet against the AppB module of a finished
# `swift build` (run from Examples/CrossApp).
set -euo pipefail
cd "$(dirname "$0")/.."
modules="$(swift build --show-bin-path)/Modules"
snippet="$(mktemp -d)/WrongInput.swift"
cat > "$snippet" <<'SWIFT'
import Inngest
@testable import AppB

func wrongInput(_ ctx: Context<JSONValue>) async throws {
    // compute-cube takes AppA.CubeRequested, not the Python app's input type.
    _ = try await ctx.step.invoke("cube", function: AppA.computeCube, data: MyPythonApp.SquareInput(number: 3))
}
SWIFT
if output=$(swiftc -typecheck -swift-version 6 -I "$modules" "$snippet" 2>&1); then
    echo "FAIL: a wrong input type compiled"; exit 1
fi
expected="cannot convert value of type 'MyPythonApp.SquareInput' to expected argument type 'AppA.CubeRequested'"
if grep -q "$expected" <<<"$output"; then
    echo "ok: wrong input type rejected: $expected"
else
    echo "FAIL: unexpected compiler output:"; echo "$output"; exit 1
fi
