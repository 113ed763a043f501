#!/usr/bin/env bash
# What the build plugin costs a new user: a fresh package that depends on swift-inngest (by
# path) and applies InngestPlugin, built the way the guide says, then rebuilt after the
# changes a user makes in the first hour. Prints the wall time of each build and whether it
# compiled the generator tool again.
#
#   Benchmarks/plugin-first-build.sh [CHECKOUT [REVISION]]   (default: this checkout, HEAD)
#   WORK=/tmp/plugin-build   where the fresh package is made (emptied first)
#
# The revision is copied (committed files only) into a folder named swift-inngest, so the
# package identity is the one the guide uses whatever the checkout's folder is called.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
source_checkout="$(cd "${1:-$here}" && pwd)"
revision="${2:-HEAD}"
work="${WORK:-/tmp/plugin-build}"
rm -rf "$work"
mkdir -p "$work/swift-inngest" "$work/Hello/Sources/Hello"
git -C "$source_checkout" archive "$revision" | tar -x -C "$work/swift-inngest"
echo "swift-inngest at $(git -C "$source_checkout" rev-parse --short "$revision"), package in $work/Hello"

cd "$work/Hello"
cat >Package.swift <<'SWIFT'
// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Hello",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../swift-inngest")],
    targets: [
        .executableTarget(
            name: "Hello",
            dependencies: [
                .product(name: "Inngest", package: "swift-inngest"),
                .product(name: "InngestEngine", package: "swift-inngest"),
            ],
            plugins: [.plugin(name: "InngestPlugin", package: "swift-inngest")]
        ),
    ]
)
SWIFT
cat >Sources/Hello/Greet.swift <<'SWIFT'
import Inngest

struct Greeting: Codable, Sendable {
    var name: String
}

@InngestFunction(id: "greet", trigger: .event("app/greet"))
func greet(_ ctx: Context<Greeting>) async throws -> String {
    let message = try await ctx.step.run("compose") { "Hello, \(ctx.event.data.name)!" }
    try await ctx.step.sleep("wait-a-bit", "1s")
    return message
}
SWIFT
cat >Sources/Hello/Hello.swift <<'SWIFT'
import Inngest

@main
struct Hello {
    static func main() {
        print("functions:", Functions.all.map(\.id))
    }
}
SWIFT

# A build "recompiled the tool" when swift-syntax's parser was compiled in it.
build() {
    local label="$1"; shift
    local start end
    start=$(date +%s.%N)
    env "$@" swift build >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
    end=$(date +%s.%N)
    local tool="no"
    grep -q "Compiling SwiftParser" "$work/build.log" && tool="yes"
    local crypto="no"
    grep -qi "CCryptoBoringSSL" "$work/build.log" && crypto="yes"
    printf '%-44s %7.1f s   tool compiled: %-3s  BoringSSL compiled: %s\n' "$label" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')" "$tool" "$crypto"
    cp "$work/build.log" "$work/build-$(echo "$label" | tr -c 'a-zA-Z0-9' '-').log"
}

build "first build"
build "second build, nothing changed"
cat >Sources/Hello/Welcome.swift <<'SWIFT'
import Inngest

@InngestFunction(id: "welcome", trigger: .event("app/user.created"))
func welcome(_ ctx: Context<Greeting>) async throws -> String {
    try await ctx.step.invoke("say-hello", function: Functions.greet, data: Greeting(name: ctx.event.data.name))
}
SWIFT
build "after adding a file"
build "with SOME_VAR=1 in the environment" SOME_VAR=1
build "the same again" SOME_VAR=1
rm Sources/Hello/Welcome.swift
build "after removing the file"
swift run Hello 2>/dev/null | tail -1
