import Testing

@testable import Inngest
@testable import InngestCore

@Suite struct ConfigurationValidationTests {
    func fields(_ configuration: FunctionConfiguration) -> [String] { configuration.issues.map(\.field) }
    func base(_ change: (inout FunctionConfiguration) -> Void) -> FunctionConfiguration {
        var configuration = FunctionConfiguration(id: "f", trigger: .event("app/a"))
        change(&configuration)
        return configuration
    }

    @Test func aPlainFunctionIsValid() throws {
        try FunctionConfiguration(id: "f", trigger: .event("app/a")).validate()
        try FunctionConfiguration(id: "invoke-only").validate()
    }

    @Test func triggerAndTriggersCombine() {
        let configuration = FunctionConfiguration(id: "f", trigger: .event("a"), triggers: [.cron("0 9 * * 1")])
        #expect(configuration.triggers == [.event("a"), .cron("0 9 * * 1")])
    }

    @Test func retriesAtTheLimits() {
        #expect(fields(base { $0.retries = 0 }).isEmpty)
        #expect(fields(base { $0.retries = 20 }).isEmpty)
        #expect(fields(base { $0.retries = 21 }) == ["retries"])
        #expect(fields(base { $0.retries = -1 }) == ["retries"])
        #expect(base { $0.retries = 21 }.issues.first?.message == "21 is outside 0...20")
    }

    @Test func triggersAtTheLimit() {
        let ten = (0..<10).map { Trigger.event("app/e\($0)") }
        #expect(fields(base { $0.triggers = ten }).isEmpty)
        #expect(fields(base { $0.triggers = ten + [.event("app/e10")] }) == ["triggers"])
        #expect(base { $0.triggers = ten + [.event("app/e10")] }.issues.first?.message == "11 triggers exceed the limit of 10")
    }

    @Test func cancellationsAtTheLimit() {
        let five = (0..<5).map { Cancellation(event: "app/c\($0)") }
        #expect(fields(base { $0.cancelOn = five }).isEmpty)
        #expect(fields(base { $0.cancelOn = five + [Cancellation(event: "app/c5")] }) == ["cancelOn"])
        #expect(fields(base { $0.cancelOn = [Cancellation(event: "app/c", timeout: "367d")] }) == ["cancelOn[0].timeout"])
    }

    @Test func concurrencyAtTheLimits() {
        #expect(fields(base { $0.concurrency = [.limit(1), .limit(5, key: "event.data.user")] }).isEmpty)
        #expect(fields(base { $0.concurrency = [.limit(1), .limit(2), .limit(3)] }) == ["concurrency"])
        #expect(fields(base { $0.concurrency = 0 }) == ["concurrency.limit"])
        #expect(fields(base { $0.concurrency = .limit(5, scope: .env) }) == ["concurrency.key"])
        #expect(fields(base { $0.concurrency = [] }) == ["concurrency"])
    }

    @Test func debouncePeriodBetweenOneSecondAndSevenDays() {
        #expect(fields(base { $0.debounce = Debounce(period: "1s") }).isEmpty)
        #expect(fields(base { $0.debounce = Debounce(period: "7d") }).isEmpty)
        #expect(fields(base { $0.debounce = Debounce(period: "999ms") }) == ["debounce.period"])
        #expect(fields(base { $0.debounce = Debounce(period: "7d1s") }) == ["debounce.period"])
        #expect(base { $0.debounce = Debounce(period: "7d1s") }.issues.first?.message == "7d1s is outside 1s...1w")
        #expect(fields(base { $0.debounce = Debounce(period: "5m", timeout: "8d") }) == ["debounce.timeout"])
    }

    @Test func throttleAndRateLimitPeriods() {
        #expect(fields(base { $0.throttle = Throttle(limit: 10, period: "1m", burst: 2) }).isEmpty)
        #expect(fields(base { $0.throttle = Throttle(limit: 0, period: "0s", burst: 0) }) == ["throttle.limit", "throttle.burst", "throttle.period"])
        #expect(fields(base { $0.rateLimit = RateLimit(limit: 1, period: "24h") }).isEmpty)
        #expect(fields(base { $0.rateLimit = RateLimit(limit: 1, period: "25h") }) == ["rateLimit.period"])
    }

    @Test func batchingLimitsAndConflicts() {
        #expect(fields(base { $0.batchEvents = BatchEvents(maxSize: 100, timeout: "5s") }).isEmpty)
        #expect(fields(base { $0.batchEvents = BatchEvents(maxSize: 1, timeout: "61s") }) == ["batchEvents.maxSize", "batchEvents.timeout"])
        let conflicting = base {
            $0.batchEvents = BatchEvents(maxSize: 10, timeout: "5s")
            $0.debounce = Debounce(period: "5s")
            $0.cancelOn = [Cancellation(event: "app/x")]
            $0.singleton = Singleton(mode: .skip)
            $0.priority = Priority(run: "1")
        }
        #expect(
            conflicting.issues.map(\.message) == [
                "cannot be combined with debounce", "cannot be combined with cancelOn",
                "cannot be combined with singleton", "cannot be combined with priority",
            ])
    }

    @Test func badTimeStringLiteralsAreReportedWithTheirField() {
        let issues = base { $0.timeouts = Timeouts(start: "10 parsecs", finish: "1h") }.issues
        #expect(issues == [ConfigurationIssue(field: "timeouts.start", message: "invalid time string \"10 parsecs\": unknown unit \"parsecs\" (use ns, us, ms, s, m, h, d, w or their long names)")])
        #expect(fields(base { $0.timeouts = Timeouts() }) == ["timeouts"])
        #expect(fields(base { $0.triggers = [.cron("0 * * * *", jitter: "2d")] }) == ["trigger.jitter"])
    }

    @Test func emptyIdsNamesAndEventNames() {
        #expect(fields(FunctionConfiguration(id: "", trigger: .event(""))) == ["id", "trigger.event"])
        #expect(fields(FunctionConfiguration(id: "has space")) == ["id"])
        #expect(fields(base { $0.name = "" }) == ["name"])
    }

    @Test func validateThrowsEveryIssueAtOnce() {
        let configuration = base {
            $0.retries = 50
            $0.debounce = Debounce(period: "0s")
        }
        #expect(throws: InvalidFunctionConfiguration.self) { try configuration.validate() }
        do {
            try configuration.validate()
        } catch {
            #expect(error.issues.count == 2)
            #expect(error.description.contains("function \"f\" has invalid options"))
            #expect(error.description.contains("retries: 50 is outside 0...20"))
        }
    }

    @Test func cancellationMatchBecomesAnExpression() {
        #expect(Cancellation(event: "app/order.cancelled", match: "data.order_id").condition == "event.data.order_id == async.data.order_id")
        #expect(Cancellation(event: "e", if: "async.data.x > 1", match: "data.id").condition == "(event.data.id == async.data.id) && (async.data.x > 1)")
    }

    @Test func optionsEncodeInTheRegisterPayloadShape() throws {
        let encoded = try JSONCodec.shared.encodeToString(Concurrency.limit(5, key: "event.data.user_id"))
        #expect(encoded == #"[{"key":"event.data.user_id","limit":5}]"#)
        #expect(try JSONCodec.shared.encodeToString(Throttle(limit: 10, period: "1m", burst: 2)) == #"{"burst":2,"limit":10,"period":"1m"}"#)
        #expect(
            try JSONCodec.shared.encodeToString(Cancellation(event: "app/order.cancelled", match: "data.order_id", timeout: "7d"))
                == #"{"event":"app/order.cancelled","if":"event.data.order_id == async.data.order_id","timeout":"7d"}"#)
        #expect(try JSONCodec.shared.encodeToString(Trigger.cron("TZ=Europe/Paris 0 9 * * 1", jitter: "5m")) == #"{"cron":"TZ=Europe/Paris 0 9 * * 1","jitter":"5m"}"#)
        let decoded = try JSONCodec.shared.decode(Concurrency.self, from: JSONValue.integer(3))
        #expect(decoded == 3)
    }
}

@Suite struct ConfigurationSyntaxTests {
    @Test func badExpressionsAreReportedAtTheirField() {
        let configuration = FunctionConfiguration(
            id: "f", trigger: .event("app/a", if: "trim(event.data.x) == ''"),
            concurrency: .limit(1, key: "event.data.user_id =="), priority: Priority(run: "event.data.vip ? 120 : 0"))
        #expect(configuration.issues.map(\.field) == ["trigger.if", "concurrency.key"])
        #expect(configuration.issues.first?.message == "unsupported function 'trim' at column 1 in \"trim(event.data.x) == ''\"")
    }

    @Test func badCronSchedulesAreReportedAtTheirField() {
        let configuration = FunctionConfiguration(id: "f", triggers: [.cron("0 25 * * *"), .cron("TZ=Europe/Paris 0 9 * * MON")])
        #expect(configuration.issues == [ConfigurationIssue(field: "triggers[0].cron", message: "cron \"0 25 * * *\": hour 25 is out of range 0-23")])
    }

    @Test func cancellationMatchSugarParses() throws {
        try FunctionConfiguration(id: "f", trigger: .event("a"), cancelOn: [Cancellation(event: "b", if: "async.data.x > 1", match: "data.id")]).validate()
    }
}
