import Foundation
import HTTPTypes
import Inngest
import InngestDevServer
import InngestEngine
import Testing

/// CEL beyond comparisons — `has()`, the macros, `matches`, timestamps — syncs through
/// `inngest dev` and filters events as Inngest's server does; CEL the server does not accept
/// either is still refused at sync, naming the function.
@Suite struct ExpressionSyncTests {
    @Test func macrosAndHasSyncAndFilterTriggersAndWaits() async throws {
        let trigger =
            "has(event.data.order) && event.data.order.items.exists(i, i.sku.matches('^SKU-[0-9]+$'))"
            + " && timestamp(event.data.order.placed) > timestamp('2020-01-01T00:00:00Z')"
        let function = InngestFunction(.init(id: "orders", trigger: .event("app/order", if: trigger))) {
            (ctx: Context<JSONValue>) -> String in
            let confirmed = try await ctx.step.waitForEvent(
                "confirmed", event: "app/confirmed", timeout: "1d",
                if: "async.data.order == event.data.order.id && async.data.lines.all(l, has(l.ok) && l.ok)")
            return confirmed?.data["note"]?.stringValue ?? "timed out"
        }
        let dev = try await DevHarness()
        try await dev.serve("app", [function])
        #expect(try await dev.engine.syncedApps().first?.functionIDs == ["app-orders"])

        let items: JSONValue = [["sku": "SKU-1"], ["sku": "other"]]
        let misses = [
            try await dev.send("app/order", ["other": 1]),
            try await dev.send("app/order", ["order": ["id": "o", "items": [["sku": "sku-1"]], "placed": "2026-01-01T00:00:00Z"]]),
            try await dev.send("app/order", ["order": ["id": "o", "items": items, "placed": "2019-01-01T00:00:00Z"]]),
        ]
        let hit = try await dev.send("app/order", ["order": ["id": "o-1", "items": items, "placed": "2026-01-01T00:00:00Z"]])
        await dev.engine.settle()
        for miss in misses {
            #expect(try await dev.engine.runs(startedByEvent: miss).isEmpty)
        }
        _ = try await dev.send("app/confirmed", ["order": "o-1", "lines": [["ok": true], ["qty": 1]], "note": "no"])
        await dev.engine.settle()
        #expect(try await dev.run(startedBy: hit).run.status == .waiting)
        _ = try await dev.send("app/confirmed", ["order": "o-1", "lines": [["ok": true]], "note": "yes"])
        #expect(try await dev.run(startedBy: hit).run.output == "yes")
    }

    @Test func expressionsTheServerRefusesAreRefusedAtSync() async throws {
        let dev = try await DevHarness()
        let body =
            #"{"appName":"app","url":"http://x.test","functions":[{"id":"app-f","triggers":[{"event":"a","expression":"event.data.s.split(',').size() > 1"}]}]}"#
        let response = await dev.server.handle(
            HTTPRequestMessage(method: .post, url: DevHarness.devOrigin + "/fn/register", body: Array(body.utf8)))
        #expect(response.status == 400)
        let error = response.json?["error"]?.stringValue ?? ""
        #expect(error.contains("app-f") && error.contains("unsupported method 'split'"), "\(error)")
    }
}
