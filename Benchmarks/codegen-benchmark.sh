#!/usr/bin/env bash
# Times the code generator (`inngest-codegen generate`) on a synthetic target of
# 1,000 @InngestFunction declarations in 200 files, with the debug- and the release-built
# tool, exactly as the build plugin (Plugins/InngestPlugin) runs it:
#
#   cold      empty scan cache, no outputs yet (a clean build)
#   warm      same inputs again (SwiftPM re-ran the command, nothing changed)
#   one-file  one file edited (a step id renamed), then re-generated; median of N edits
#
# Usage: Benchmarks/codegen-benchmark.sh [--files N] [--per-file N] [--repeats N]
#                                        [--configs "debug release"] [--tool PATH] [--keep]
#   --tool PATH  time this inngest-codegen binary instead of building one (e.g. another branch's)
# Environment: SCRATCH_PATH (default: <package>/.build), the `swift build` scratch path.
# Prints a table of wall-clock seconds; exits non-zero if a run fails or the scan
# cache does not behave (cold must scan every file, warm none, one-file exactly one).
set -euo pipefail

FILES=200
PER_FILE=5
REPEATS=5
CONFIGS="debug release"
TOOL=""
KEEP=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --files) FILES=$2; shift 2 ;;
        --per-file) PER_FILE=$2; shift 2 ;;
        --repeats) REPEATS=$2; shift 2 ;;
        --configs) CONFIGS=$2; shift 2 ;;
        --tool) TOOL=$2; CONFIGS=given; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCRATCH=${SCRATCH_PATH:-$ROOT/.build}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/inngest-codegen-bench.XXXXXX")
if [[ $KEEP == 1 ]]; then
    echo "keeping $WORK"
else
    trap 'rm -rf "$WORK"' EXIT
fi

TARGET=BenchApp
APP_ID=bench-app
PACKAGE_DIR=$WORK/Bench
SOURCES=$PACKAGE_DIR/Sources/$TARGET

# MARK: - The synthetic target

# One file: payload types and PER_FILE functions, alternating static methods and global
# functions, typed and string triggers, a cron trigger, steps in loops and branches.
write_source_file() {
    local n=$1 file=$2
    {
        cat <<EOF
import Foundation
import Inngest

public struct OrderPlaced$n: EventPayload {
    public static let eventName = "bench/order-$n.placed"
    public var orderID: String
    public var customerID: String
    public var amountCents: Int
    public var items: [LineItem$n]
    public var coupon: String?

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id", customerID = "customer_id", amountCents = "amount_cents", items, coupon
    }
}

public struct LineItem$n: Codable, Sendable, Hashable {
    public var sku: String
    public var quantity: Int
}

public struct PaymentConfirmed$n: EventPayload {
    public static let eventName = "bench/payment-$n.confirmed"
    public var orderID: String
    public var paidAt: Date
}

public struct Fulfilment$n: Codable, Sendable {
    public enum Status: String, Codable, Sendable {
        case shipped, cancelled, timedOut = "timed-out"
    }
    public var orderID: String
    public var reserved: [String]
    public var totalCents: Int
    public var status: Status
}

EOF
        # Static methods in a namespace (kinds 1, 3, 0), then global functions (kinds 2, 4).
        local j id pass
        for pass in static global; do
            [[ $pass == static ]] && printf '\npublic enum Module%s {' "$n"
            for ((j = 1; j <= PER_FILE; j++)); do
            id="bench-$n-$j"
            case "$pass:$((j % 5))" in
                static:1) cat <<EOF

    @InngestFunction(
        id: "$id",
        name: "Fulfil order ($n/$j)",
        trigger: .event(OrderPlaced$n.self),
        retries: 3,
        cancelOn: [.init(event: "bench/order-$n.cancelled", match: "data.order_id")],
        concurrency: .limit(10, key: "event.data.customer_id"))
    public static func fulfil$j(_ ctx: Context<OrderPlaced$n>) async throws -> Fulfilment$n {
        let order = ctx.event.data
        let total = try await ctx.step.run("price-order-$j") { order.items.reduce(0) { \$0 + \$1.quantity * 100 } }
        var reserved: [String] = []
        for item in order.items {
            reserved.append(try await ctx.step.run("reserve-stock-$j") { item.sku })
        }
        let payment = try await ctx.step.waitForEvent("await-payment-$j", event: PaymentConfirmed$n.self, timeout: "2h", match: "data.order_id")
        guard payment != nil else {
            let released = reserved.count
            try await ctx.step.run("release-stock-$j") { released }
            return Fulfilment$n(orderID: order.orderID, reserved: reserved, totalCents: total, status: .timedOut)
        }
        try await ctx.step.sleep("settle-$j", "30s")
        return Fulfilment$n(orderID: order.orderID, reserved: reserved, totalCents: total, status: .shipped)
    }
EOF
                ;;
                global:2) cat <<EOF

@InngestFunction(id: "$id", trigger: .event("bench/order-$n.placed"), retries: 5, throttle: .init(limit: 100, period: "1m"))
func notify${n}x$j(_ ctx: Context<OrderPlaced$n>) async throws -> [String] {
    let recipients = try await ctx.step.run("load-recipients-$j") { [ctx.event.data.customerID, "ops@example.com"] }
    var sent: [String] = []
    for recipient in recipients {
        sent.append(try await ctx.step.run("send-email-$j") { "sent to \(recipient)" })
    }
    if ctx.event.data.coupon != nil {
        try await ctx.step.run("record-coupon-$j") { ctx.event.data.coupon ?? "" }
    } else {
        try await ctx.step.sleep("cool-down-$j", "5m")
    }
    return sent
}
EOF
                ;;
                static:3) cat <<EOF

    @InngestFunction(id: "$id", trigger: .cron("TZ=Europe/Paris 0 $((n % 24)) * * *"), singleton: .init(mode: .skip))
    static func nightly$j(_ ctx: Context<JSONValue>) async throws -> Int {
        let pending = try await ctx.step.run("count-pending-$j") { $n * $j }
        try await ctx.step.sleep("wait-for-quiet-$j", "10m")
        let archived = try await ctx.step.run("archive-$j") { pending / 2 }
        try await ctx.step.run("report-$j") { "archived \(archived) of \(pending)" }
        return archived
    }
EOF
                ;;
                global:4) cat <<EOF

@InngestFunction(id: "$id", trigger: .event(PaymentConfirmed$n.self), debounce: .init(period: "10s"))
func reconcile${n}x$j(_ ctx: Context<PaymentConfirmed$n>) async throws {
    let ledger = try await ctx.step.run("fetch-ledger-$j") { ["\(ctx.event.data.orderID)": 1] }
    let refund = try await ctx.step.waitForEvent("await-refund-$j", event: "bench/refund-$n.requested", timeout: "1d", if: "async.data.order_id == event.data.orderID")
    if let refund {
        try await ctx.step.run("apply-refund-$j") { refund.id ?? "" }
    }
    try await ctx.step.run("close-ledger-$j") { ledger.count }
}
EOF
                ;;
                static:0) cat <<EOF

    @InngestFunction(id: "$id", trigger: .event("bench/order-$n.cancelled"), priority: .init(run: "event.data.amount_cents > 1000 ? 60 : 0"))
    static func cancel$j(_ ctx: Context<JSONValue>) async throws -> Bool {
        let found = try await ctx.step.run("find-order-$j") { true }
        guard found else { return false }
        try await ctx.step.run("refund-payment-$j") { "refunded" }
        try await ctx.step.sleep("grace-period-$j", "1h")
        try await ctx.step.run("notify-customer-$j") { "notified" }
        return true
    }
EOF
                ;;
            esac
            done
            [[ $pass == static ]] && printf '}\n'
        done
        true
    } >"$file"
}

generate_target() {
    mkdir -p "$SOURCES"
    local n
    for ((n = 1; n <= FILES; n++)); do
        write_source_file "$n" "$SOURCES/$(printf 'Module%03d.swift' "$n")"
    done
    cat >"$SOURCES/inngest.config.json" <<EOF
{
  "appId": "$APP_ID",
  "accessLevel": "public"
}
EOF
}

# MARK: - Running the tool as the plugin does

SOURCE_FILES=()

# The plugin's arguments (see Plugins/InngestPlugin/InngestPlugin.swift): outputs and the
# scan cache in its work directory, the package's Templates/, the config, every Swift file.
run_generator() {
    local tool=$1 plugin_work=$2 log=$3
    "$tool" generate \
        --target-name "$TARGET" \
        --templates-dir "$ROOT/Templates" \
        --swift-output "$plugin_work/$TARGET+Inngest.swift" \
        --manifest-output "$plugin_work/$APP_ID.inngest.json" \
        --cache-dir "$plugin_work/scan-cache" \
        --package-dir "$PACKAGE_DIR" \
        --config "$SOURCES/inngest.config.json" \
        --verbose \
        "${SOURCE_FILES[@]}" 2>"$log"
}

now_ns() { date +%s%N; }

# Runs the generator once; prints the elapsed seconds. Fails unless the tool exited 0 with
# no error diagnostic and scanned exactly the expected number of files.
timed_run() {
    local tool=$1 plugin_work=$2 expect_scanned=$3 log=$WORK/last-run.log start end status=0
    start=$(now_ns)
    run_generator "$tool" "$plugin_work" "$log" || status=$?
    end=$(now_ns)
    if [[ $status != 0 ]] || grep -q ': error: ' "$log"; then
        echo "generator failed (exit $status):" >&2
        head -20 "$log" >&2
        exit 1
    fi
    if ! grep -q "inngest-codegen: $expect_scanned scanned," "$log"; then
        echo "expected $expect_scanned file(s) scanned, got: $(grep 'inngest-codegen:' "$log")" >&2
        exit 1
    fi
    awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }'
}

median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Renames one step id in one file, as a developer editing a function would.
edit_one_file() {
    local round=$1 n file
    n=$(( (round * 37) % FILES + 1 ))
    file=$SOURCES/$(printf 'Module%03d.swift' "$n")
    sed -i "s/\"price-order-1\"/\"price-order-1-r$round\"/; s/\"price-order-1-r$((round - 1))\"/\"price-order-1-r$round\"/" "$file"
}

# MARK: - Main

echo "Generating $((FILES * PER_FILE)) functions in $FILES files under $SOURCES" >&2
generate_target
mapfile -t SOURCE_FILES < <(find "$SOURCES" -name '*.swift' | sort)

declare -A COLD WARM CHANGE CHANGE_ALL
for config in $CONFIGS; do
    if [[ $config == given ]]; then
        tool=$TOOL
    else
        echo "Building inngest-codegen ($config)" >&2
        swift build --package-path "$ROOT" --scratch-path "$SCRATCH" -c "$config" --product inngest-codegen >&2
        tool=$(swift build --package-path "$ROOT" --scratch-path "$SCRATCH" -c "$config" --show-bin-path)/inngest-codegen
    fi

    plugin_work=$WORK/plugin-work-$config
    rm -rf "$plugin_work"
    mkdir -p "$plugin_work"
    # Restore pristine sources so both tools see the same inputs.
    generate_target

    COLD[$config]=$(timed_run "$tool" "$plugin_work" "$FILES")
    count=$(grep -c '"wireId" : "bench-app-bench-' "$plugin_work/$APP_ID.inngest.json" || true)
    if [[ $count != $((FILES * PER_FILE)) ]]; then
        echo "expected $((FILES * PER_FILE)) functions in the manifest, found $count" >&2
        exit 1
    fi
    WARM[$config]=$(timed_run "$tool" "$plugin_work" 0)

    times=()
    for ((round = 1; round <= REPEATS; round++)); do
        edit_one_file "$round"
        times+=("$(timed_run "$tool" "$plugin_work" 1)")
    done
    CHANGE[$config]=$(median "${times[@]}")
    CHANGE_ALL[$config]="${times[*]}"
    echo "$config: cold ${COLD[$config]} s, warm ${WARM[$config]} s, one-file ${times[*]} s" >&2
done

echo
echo "inngest-codegen generate, $((FILES * PER_FILE)) functions in $FILES files, $(nproc) cores (wall-clock seconds)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| tool build | cold (empty cache) | warm (no change) | one-file change (median of $REPEATS) |"
echo "| --- | --- | --- | --- |"
for config in $CONFIGS; do
    echo "| $config | ${COLD[$config]} | ${WARM[$config]} | ${CHANGE[$config]} (${CHANGE_ALL[$config]// /, }) |"
done
