import Inngest
import Testing

@testable import InngestCodegen

/// One test per diagnostic: its message and the position it points at.
@Suite struct DiagnosticsTests {
    private func only(_ source: String, configuration: CodegenConfiguration = CodegenConfiguration()) throws -> CodegenDiagnostic {
        let diagnostics = Analysis.diagnostics(source, configuration: configuration)
        try #require(diagnostics.count == 1, "\(diagnostics)")
        return diagnostics[0]
    }

    @Test func duplicateFunctionIDsAcrossFiles() throws {
        let first = """
            @InngestFunction(id: "same", trigger: .event("a/b"))
            func one(_ ctx: Context<JSONValue>) async throws {}
            """
        let second = """
            import Inngest

            @InngestFunction(id: "same", trigger: .event("a/c"))
            func two(_ ctx: Context<JSONValue>) async throws {}
            """
        let diagnostics = Analysis.run(["A.swift": first, "B.swift": second]).diagnostics
        #expect(
            diagnostics.map(\.description) == [
                "B.swift:3:22: error: duplicate function id \"same\": 'one' at A.swift:2 already uses it"
            ])
    }

    @Test func nonLiteralStepIDWarnsAndMarksTheManifestIncomplete() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                let name = "x"
                try await ctx.step.run("step-\\(name)") { 1 }
            }
            """
        let diagnostic = try only(source)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.message == "step id is not a string literal: the step is left out of the manifest, and its id must be the same in every run")
        #expect(diagnostic.position == Analysis.position(of: "\"step-", in: source))
        let function = try #require(Analysis.run(["App.swift": source]).manifest.functions.first)
        #expect(function.steps.isEmpty)
        #expect(function.complete == false)
    }

    @Test func sameStepIDTwiceOutsideALoop() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                try await ctx.step.run("save") { 1 }
                try await ctx.step.sleep("save", "1s")
            }
            """
        let diagnostic = try only(source)
        #expect(diagnostic.severity == .warning)
        #expect(diagnostic.message == "step id \"save\" is already used at line 3; this call gets the repeat id \"save:1\" — give each step its own id")
        #expect(diagnostic.position == Analysis.position(of: "\"save\"", occurrence: 2, in: source))
        // The manifest numbers the repeat as the runtime does, across step kinds.
        let steps = try #require(Analysis.run(["App.swift": source]).manifest.functions.first?.steps)
        #expect(steps.map(\.wireID) == [StepIdentity(userID: "save", index: 0).hashedID, StepIdentity(userID: "save", index: 1).hashedID])
    }

    @Test func sameStepIDInALoopOrInExclusiveBranchesIsFine() {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                for _ in 0..<3 { try await ctx.step.run("each") { 1 } }
                [1, 2].forEach { _ in Task { try await ctx.step.run("mapped") { 1 } } }
                if Bool.random() {
                    try await ctx.step.run("either") { 1 }
                } else {
                    try await ctx.step.run("either") { 2 }
                }
            }
            """
        let target = Analysis.run(["App.swift": source])
        #expect(target.diagnostics.isEmpty)
        let steps = target.manifest.functions.first?.steps ?? []
        #expect(steps.map(\.inLoop) == [true, true, false, false])
        #expect(steps[2].wireID == steps[3].wireID)
    }

    @Test func stepInsideAnotherStep() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                try await ctx.step.run("outer") {
                    try await ctx.step.run("inner") { 1 }
                }
            }
            """
        let diagnostic = try only(source)
        #expect(diagnostic.description == "App.swift:4:32: error: step \"inner\" is inside the body of step \"outer\"; steps cannot be nested")
    }

    @Test func unknownEventNameWhenACatalogExists() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("shop/order.placd"))
            func f(_ ctx: Context<JSONValue>) async throws {
                _ = try await ctx.step.waitForEvent("paid", event: "shop/order.paid", timeout: "1h")
            }
            """
        let catalog = CodegenConfiguration(events: ["shop/order.placed": ["type": "object"], "shop/order.paid": [:]])
        let diagnostic = try only(source, configuration: catalog)
        #expect(diagnostic.message == "unknown event \"shop/order.placd\": it is not in the event catalog of inngest.config.json")
        #expect(diagnostic.position == Analysis.position(of: "\"shop/order.placd\"", in: source))
        // Without a catalog, any name goes.
        #expect(Analysis.diagnostics(source).isEmpty)
    }

    @Test func badCronLiteral() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .cron("61 * * * *"))
            func f(_ ctx: Context<JSONValue>) async throws {}
            """
        let diagnostic = try only(source)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message.hasPrefix("trigger.cron: "))
        #expect(diagnostic.position == Analysis.position(of: "\"61", in: source))
    }

    @Test func badTimeStringLiteral() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"),
                             debounce: .init(period: "5 fortnights"))
            func f(_ ctx: Context<JSONValue>) async throws {}
            """
        let diagnostic = try only(source)
        #expect(diagnostic.message.hasPrefix("debounce.period: "))
        #expect(diagnostic.position == Analysis.position(of: "\"5 fortnights\"", in: source))
    }

    @Test func optionsOutsideInngestLimits() {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"), retries: 50,
                             concurrency: [.limit(0), .limit(2, key: "event.data.id")],
                             throttle: Throttle(limit: 1, period: "30d"),
                             batchEvents: .init(maxSize: 100, timeout: "5s"), cancelOn: [.init(event: "a/c", timeout: .days(400))])
            func f(_ ctx: Context<JSONValue>) async throws {}
            """
        let diagnostics = Analysis.diagnostics(source)
        #expect(
            diagnostics.map(\.message) == [
                "retries: 50 is outside 0...20",
                "concurrency[0].limit: 0 is outside 1...1000000",
                "throttle.period: 30d is outside 1s...1w",
                "batchEvents: cannot be combined with cancelOn",
                "cancelOn[0].timeout: 57w1d is outside 0s...52w2d",
            ])
        #expect(
            diagnostics.map(\.position) == [
                Analysis.position(of: "50", in: source),
                Analysis.position(of: "0)", in: source),
                Analysis.position(of: "\"30d\"", in: source),
                Analysis.position(of: ".init(maxSize", in: source),
                Analysis.position(of: ".days(400)", in: source),
            ])
    }

    @Test func handlerSignaturesTheRuntimeCannotCall() {
        let source = """
            enum Jobs {
                @InngestFunction(id: "instance", trigger: .event("a/b"))
                func instance(_ ctx: Context<JSONValue>) async throws {}
            }
            @InngestFunction(id: "two", trigger: .event("a/b"))
            func two(_ ctx: Context<JSONValue>, _ extra: Int) async throws {}
            @InngestFunction(id: "hidden", trigger: .event("a/b"))
            private func hidden(_ ctx: Context<JSONValue>) async throws {}
            @InngestFunction(id: "untyped", trigger: .event("a/b"))
            func untyped(_ data: [String: String]) {}
            """
        let target = Analysis.run(["App.swift": source])
        #expect(
            target.diagnostics.map(\.description) == [
                "App.swift:3:10: error: 'instance' is an instance method; @InngestFunction applies to global functions and static methods",
                "App.swift:6:6: error: 'two' must take exactly one parameter of type Context<Payload>, e.g. (_ ctx: Context<MyEvent>)",
                "App.swift:8:14: error: 'hidden' is private; the generated registry cannot call it, make it internal or wider",
                "App.swift:10:6: error: 'untyped' must take exactly one parameter of type Context<Payload>, e.g. (_ ctx: Context<MyEvent>)",
            ])
        #expect(target.registrable.isEmpty)
    }

    @Test func functionIDMustBeALiteral() throws {
        let source = """
            let name = "x"
            @InngestFunction(id: name, trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {}
            """
        let diagnostic = try only(source)
        #expect(diagnostic.description == "App.swift:2:22: error: the function id must be a string literal")
    }

    @Test func escapingContextMarksTheStepListIncomplete() throws {
        let source = """
            func helper(_ ctx: Context<JSONValue>) async throws {}
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                let step = ctx.step
                try await step.run("aliased") { 1 }
                try await helper(ctx)
            }
            """
        let function = try #require(Analysis.run(["App.swift": source]).manifest.functions.first)
        #expect(function.steps.map(\.id) == ["aliased"])
        #expect(function.complete == false)
    }

    // MARK: Literal arguments of step calls

    @Test func aBadTimeStringInAStepCallFailsTheBuildAtTheArgument() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                try await ctx.step.run("welcome-email") { 1 }
                _ = try await ctx.step.waitForEvent("wait-activation", event: "a/activated", timeout: "24 hourz")
            }
            """
        let diagnostic = try only(source)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.message == #"step "wait-activation": invalid time string "24 hourz": unknown unit "hourz" (use ns, us, ms, s, m, h, d, w or their long names)"#)
        #expect(diagnostic.position == Analysis.position(of: "\"24 hourz\"", in: source))
    }

    @Test func sleepsAndTimeoutsOverTheLimitFailTheBuild() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                try await ctx.step.sleep("nap", "400d")
                try await ctx.step.sleep("ok", "366d")
                try await ctx.step.sleep("swift-duration", for: .seconds(1))
                _ = try await ctx.step.waitForEvent("w", event: "a/c", timeout: .days(367))
                let other = FunctionReference<JSONValue, JSONValue>(id: "g")
                _ = try await ctx.step.invoke("call", function: other, data: [:], timeout: "1y")
                _ = try await ctx.step.invoke("call-2", function: other, data: [:], timeout: nil)
            }
            """
        let diagnostics = Analysis.diagnostics(source)
        #expect(
            diagnostics.map(\.description) == [
                "App.swift:3:37: error: step \"nap\": sleep 400d exceeds the limit of 366d",
                "App.swift:6:69: error: step \"w\": timeout 52w3d exceeds the limit of 366d",
                #"App.swift:8:80: error: step "call": invalid time string "1y": unknown unit "y" (use ns, us, ms, s, m, h, d, w or their long names)"#,
            ])
    }

    @Test func aWaitsMatchPathAndIfExpressionAreParsedAtBuildTime() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                _ = try await ctx.step.waitForEvent("by-match", event: "a/c", timeout: "1h", match: "data.user id")
                _ = try await ctx.step.waitForEvent("by-if", event: "a/c", timeout: "1h", if: "async.data.total >")
                _ = try await ctx.step.waitForEvent("fine", event: "a/c", timeout: "1h", match: "data.user_id", if: "async.data.total > 10")
            }
            """
        let diagnostics = Analysis.diagnostics(source)
        try #require(diagnostics.count == 2, "\(diagnostics)")
        #expect(diagnostics[0].message.hasPrefix(#"step "by-match": match "data.user id" is not a field path of the events ("#))
        #expect(diagnostics[0].position == Analysis.position(of: "\"data.user id\"", in: source))
        #expect(diagnostics[1].message.hasPrefix(#"step "by-if": if: "#))
        #expect(diagnostics[1].position == Analysis.position(of: "\"async.data.total >\"", in: source))
        #expect(diagnostics.allSatisfy { $0.severity == .error })
    }

    @Test func literalDatesOutOfRangeFailAndFarDatesWarn() throws {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                try await ctx.step.sleepUntil("never", Date(timeIntervalSince1970: 1e300))
                try await ctx.step.sleepUntil("far", Date(timeIntervalSince1970: 99_999_999_999))
                try await ctx.step.sleepUntil("past", Date(timeIntervalSince1970: 0))
            }
            """
        let diagnostics = Analysis.diagnostics(source)
        #expect(
            diagnostics.map(\.description) == [
                "App.swift:3:72: error: step \"never\": the date 1e300 (seconds since 1970) is out of range: it cannot be stored in milliseconds",
                "App.swift:4:70: warning: step \"far\": the date 99_999_999_999 is more than 366 days after this build; a sleep can last at most 366 days, so the step fails unless the run reaches it later",
            ])
    }

    @Test func nonLiteralArgumentsAreLeftToTheRuntime() {
        let source = """
            @InngestFunction(id: "f", trigger: .event("a/b"))
            func f(_ ctx: Context<JSONValue>) async throws {
                let wait: InngestDuration = "2h"
                let path = "data.id"
                try await ctx.step.sleep("variable", wait)
                _ = try await ctx.step.waitForEvent("w", event: "a/c", timeout: wait, match: path)
            }
            """
        #expect(Analysis.diagnostics(source).isEmpty)
    }
}
