import Foundation
import HTTPTypes
import Testing

@testable import Inngest

/// Conformance cases 9–33: calls through the serve handler, dev mode.
@Suite(.tags(.conformance)) struct ServeExecutionConformanceTests {
    func call(
        _ fnID: String, _ event: JSONValue, stepID: String = "step", steps: [String: JSONValue] = [:], stack: [String]? = nil,
        attempt: Int = 0, maxAttempts: Int = 4, disable: Bool = false, functions: [InngestFunction] = ServeFixture.all()
    ) async -> HTTPResponseMessage {
        let handler = ServeFixture.handler(functions: functions)
        let body = ServeFixture.callBody(event, steps: steps, stack: stack, attempt: attempt, maxAttempts: maxAttempts, disableImmediateExecution: disable)
        let response = await handler.handle(ServeFixture.post("swift-app-\(fnID)", stepID: stepID, body: body))
        expectSDKHeaders(response)
        return response
    }

    @Test func functionWithoutSteps() async {
        let response = await call("hello", ServeFixture.event("app/hello", ["name": "Ada"]))
        #expect(response.status == 200)
        #expect(response.bodyText == #"{"message":"hi Ada"}"#)
    }

    @Test func returningNothingIsLiteralNull() async {
        let response = await call("empty", ServeFixture.event("app/empty"))
        #expect(response.status == 200)
        #expect(response.bodyText == "null")
    }

    @Test func unknownFunctionIs500() async {
        let response = await call("nope", ServeFixture.event("app/hello"))
        #expect(response.status == 500)
        #expect(response.json?.objectValue?["message"]?.stringValue?.contains("swift-app-nope") == true)
    }

    @Test func loneStepRunsImmediately() async {
        let counter = Counter()
        let response = await call("copy", ServeFixture.event("app/images.uploaded"), functions: [Fixture.copy(counter)])
        #expect(response.status == 206)
        #expect(response.ops.count == 1)
        #expect(response.firstOp["id"] == .string(Hash.copy))
        #expect(response.firstOp["op"] == "StepRun")
        #expect(response.firstOp["name"] == "copy-images-to-s3")
        #expect(response.firstOp["displayName"] == "copy-images-to-s3")
        #expect(response.firstOp["data"] == ["copied": 3])
        #expect(counter["copy"] == 1)
    }

    @Test func disabledImmediateExecutionPlans() async {
        let counter = Counter()
        let response = await call("copy", ServeFixture.event("app/images.uploaded"), disable: true, functions: [Fixture.copy(counter)])
        #expect(response.status == 206)
        #expect(response.firstOp["op"] == "StepPlanned")
        #expect(response.firstOp["id"] == .string(Hash.copy))
        #expect(response.firstOp["name"] == "copy-images-to-s3")
        #expect(response.firstOp["data"] == nil)
        #expect(counter["copy"] == 0)
    }

    @Test func targetedCallRunsThePlannedStep() async {
        let counter = Counter()
        let response = await call("copy", ServeFixture.event("app/images.uploaded"), stepID: Hash.copy, disable: true, functions: [Fixture.copy(counter)])
        #expect(response.status == 206)
        #expect(response.firstOp["op"] == "StepRun")
        #expect(response.firstOp["data"] == ["copied": 3])
        #expect(counter["copy"] == 1)
    }

    @Test func memoizedStepCompletes() async {
        let counter = Counter()
        let response = await call("copy", ServeFixture.event("app/images.uploaded"), steps: [Hash.copy: ["data": ["copied": 3]]], functions: [Fixture.copy(counter)])
        #expect(response.status == 200)
        #expect(response.json == ["copied": 3])
        #expect(counter["copy"] == 0)
    }

    @Test func sequentialSecondDiscoveryAndCompletion() async {
        let counter = Counter()
        let second = await call("seq", ServeFixture.event("app/user.created"), steps: [Hash.fetchUser: ["data": ["id": "u_1"]]], functions: [Fixture.sequence(counter)])
        #expect(second.status == 206)
        #expect(second.firstOp["id"] == .string(Hash.sendEmail))
        #expect(second.firstOp["op"] == "StepRun")
        #expect(second.firstOp["name"] == "send-email")
        #expect(second.firstOp["data"] == "sent")
        let done = await call(
            "seq", ServeFixture.event("app/user.created"), steps: [Hash.fetchUser: ["data": ["id": "u_1"]], Hash.sendEmail: ["data": "sent"]],
            stack: [Hash.fetchUser, Hash.sendEmail], functions: [Fixture.sequence(counter)])
        #expect(done.status == 200)
        #expect(done.bodyText == #""done""#)
        #expect(counter["fetch-user"] == 0)
    }

    @Test func repeatedIdsInALoop() async {
        let counter = Counter()
        let response = await call(
            "loop", ServeFixture.event("app/loop"), steps: [Hash.copy: ["data": 0], Hash.copy1: ["data": 1]],
            stack: [Hash.copy, Hash.copy1], functions: [Fixture.loop(counter)])
        #expect(response.status == 206)
        #expect(response.firstOp["id"] == .string(Hash.copy2))
        #expect(response.firstOp["userland"] == ["id": "copy-images-to-s3", "index": 2])
        #expect(response.firstOp["data"] == 2)
        let done = await call(
            "loop", ServeFixture.event("app/loop"), steps: [Hash.copy: ["data": 0], Hash.copy1: ["data": 1], Hash.copy2: ["data": 2]],
            functions: [Fixture.loop(counter)])
        #expect(done.status == 200)
        #expect(done.bodyText == "3")
    }

    @Test func idsAreSharedAcrossStepTypes() async {
        let response = await call("shared", ServeFixture.event("app/shared"), steps: [Hash.notify: ["data": 1]])
        #expect(response.status == 206)
        #expect(response.firstOp["op"] == "Sleep")
        #expect(response.firstOp["id"] == .string(Hash.notify1))
    }

    @Test func unicodeIdsHashUTF8() async {
        let response = await call("unicode", ServeFixture.event("app/u"))
        #expect(response.status == 206)
        #expect(response.firstOp["id"] == "f8918de22cfec9e8cabddcf17980b1ae9bcd957a")
        #expect(response.firstOp["name"] == "résumé")
        #expect(response.firstOp["data"] == "ok")
    }

    @Test func unwrapExactlyOneLevel() async {
        let response = await call("copy", ServeFixture.event("app/images.uploaded"), steps: [Hash.copy: ["data": ["data": 1, "x": 2]]], functions: [Fixture.copy(Counter())])
        #expect(response.status == 200)
        #expect(response.json == ["data": 1, "x": 2])
    }

    @Test func parallelDiscoveryPlansEveryBranch() async {
        let counter = Counter()
        let response = await call("par", ServeFixture.event("app/par"), functions: [Fixture.parallel(counter)])
        #expect(response.status == 206)
        #expect(Set(response.ops.compactMap { $0.objectValue?["id"]?.stringValue }) == [Hash.parallelA, Hash.parallelB])
        #expect(response.ops.allSatisfy { $0.objectValue?["op"] == "StepPlanned" })
        #expect(counter["a"] == 0 && counter["b"] == 0)
    }

    @Test func targetedBranchRunsAlone() async {
        let counter = Counter()
        let response = await call("par", ServeFixture.event("app/par"), stepID: Hash.parallelB, disable: true, functions: [Fixture.parallel(counter)])
        #expect(response.status == 206)
        #expect(response.ops.count == 1)
        #expect(response.firstOp["id"] == .string(Hash.parallelB))
        #expect(response.firstOp["op"] == "StepRun")
        #expect(response.firstOp["data"] == "B")
        #expect(counter["a"] == 0 && counter["b"] == 1)
    }

    @Test func partialParallelMemoUnderForcedPlanning() async {
        let counter = Counter()
        let partial = await call("par", ServeFixture.event("app/par"), steps: [Hash.parallelA: ["data": "A"]], disable: true, functions: [Fixture.parallel(counter)])
        #expect(partial.status == 206)
        #expect(partial.ops.count == 1)
        #expect(partial.firstOp["id"] == .string(Hash.parallelB))
        #expect(partial.firstOp["op"] == "StepPlanned")
        #expect(counter["b"] == 0)
        let done = await call(
            "par", ServeFixture.event("app/par"), steps: [Hash.parallelA: ["data": "A"], Hash.parallelB: ["data": "B"]],
            stack: [Hash.parallelA, Hash.parallelB], disable: true, functions: [Fixture.parallel(counter)])
        #expect(done.status == 200)
        #expect(done.bodyText == #""AB""#)
    }

    @Test func targetedStepNotFoundIs500LikeTypeScript() async {
        let counter = Counter()
        let missing = String(repeating: "0", count: 40)
        let response = await call("copy", ServeFixture.event("app/images.uploaded"), stepID: missing, disable: true, functions: [Fixture.copy(counter)])
        #expect(response.status == 500)
        #expect(response.headerFields[.inngestNoRetry] == "false")
        let body = response.json?.objectValue
        #expect(body?["requestedStep"] == .string(missing))
        #expect(body?["foundSteps"] == [.string(Hash.copy)])
        #expect(body?["totalFoundSteps"] == 1)
        #expect(body?["error"]?.stringValue?.contains("Could not find step") == true)
        #expect(counter["copy"] == 0)
    }

    @Test func sleep() async {
        let response = await call("nap", ServeFixture.event("app/nap"))
        #expect(response.status == 206)
        #expect(response.firstOp["id"] == .string(Hash.nap))
        #expect(response.firstOp["op"] == "Sleep")
        #expect(response.firstOp["name"] == "30m")
        #expect(response.firstOp["displayName"] == "nap")
        #expect(response.firstOp["opts"] == ["duration": "30m"])
        let resumed = await call("nap", ServeFixture.event("app/nap"), steps: [Hash.nap: .null])
        #expect(resumed.status == 200)
        #expect(resumed.bodyText == #""awake""#)
    }

    @Test func sleepUntil() async {
        let response = await call("until", ServeFixture.event("app/until"))
        #expect(response.status == 206)
        #expect(response.firstOp["id"] == .string(Hash.sleepUntil))
        #expect(response.firstOp["op"] == "Sleep")
        #expect(response.firstOp["opts"] == ["duration": "2026-06-01T09:00:00.000Z"])
        let resumed = await call("until", ServeFixture.event("app/until"), steps: [Hash.sleepUntil: .null])
        #expect(resumed.bodyText == #""ok""#)
    }

    @Test func waitForEvent() async {
        let event = ServeFixture.event("app/invoice.created", ["invoice_id": "inv_9"])
        let response = await call("wait", event)
        #expect(response.status == 206)
        #expect(response.firstOp["id"] == .string(Hash.waitForPayment))
        #expect(response.firstOp["op"] == "WaitForEvent")
        #expect(response.firstOp["name"] == "app/invoice.paid")
        #expect(response.firstOp["displayName"] == "wait-for-payment")
        #expect(response.firstOp["opts"] == ["event": "app/invoice.paid", "timeout": "7d", "if": "event.data.invoice_id == async.data.invoice_id"])
        let paid: JSONValue = ["name": "app/invoice.paid", "data": ["invoice_id": "inv_9"], "id": "01HQ8Z5R3J6W2K9T4V7X1Y0PAY", "ts": 1_700_000_100_000, "user": [:]]
        let matched = await call("wait", event, steps: [Hash.waitForPayment: paid])
        #expect(matched.status == 200)
        #expect(matched.bodyText == #""paid""#)
        let timedOut = await call("wait", event, steps: [Hash.waitForPayment: .null])
        #expect(timedOut.bodyText == #""timeout""#)
    }

    @Test func invoke() async {
        let response = await call("invoker", ServeFixture.event("app/invoke"))
        #expect(response.status == 206)
        #expect(response.firstOp["id"] == .string(Hash.invokeChild))
        #expect(response.firstOp["op"] == "InvokeFunction")
        #expect(response.firstOp["opts"] == ["function_id": "swift-app-compute-cube", "payload": ["data": ["n": 3]], "timeout": "1h"])
        let ok = await call("invoker", ServeFixture.event("app/invoke"), steps: [Hash.invokeChild: ["data": 27]])
        #expect(ok.status == 200)
        #expect(ok.json == ["cube": 27])
        let timeout: JSONValue = [
            "error": [
                "name": "InngestInvokeTimeoutError", "message": "Timed out waiting for invoked function to complete",
                "error": "InngestInvokeTimeoutError: Timed out waiting for invoked function to complete",
            ]
        ]
        let failed = await call("invoker", ServeFixture.event("app/invoke"), steps: [Hash.invokeChild: timeout])
        #expect(failed.status == 400)
        #expect(failed.headerFields[.inngestNoRetry] == "true")
    }

    @Test func beingInvoked() async {
        let event: JSONValue = [
            "name": "inngest/function.invoked", "id": "01HQ8Z5R3J6W2K9T4V7X1Y0EVT", "ts": 1_700_000_000_000, "user": [:],
            "data": [
                "n": 3,
                "_inngest": [
                    "fn_id": "swift-app-compute-cube", "correlation_id": "01HQ8Z5R3J6W2K9T4V7X1Y0ABC.7ff123e6431be676220df2842b3ee0fd2b288a86",
                    "expire": 1_700_003_600_000, "gid": "g", "name": "invoke-child", "source_app_id": "x", "source_fn_id": "y", "source_fn_v": 1,
                ],
            ],
        ]
        let response = await call("compute-cube", event)
        #expect(response.status == 200)
        #expect(response.bodyText == "27")
    }

    @Test func stepErrorWithRetriesLeft() async {
        let counter = Counter()
        let response = await call("risky", ServeFixture.event("app/risky"), functions: [Fixture.risky(counter)])
        #expect(response.status == 206)
        #expect(response.headerFields[.inngestNoRetry] == "false")
        #expect(response.firstOp["id"] == .string(Hash.risky))
        #expect(response.firstOp["op"] == "StepError")
        #expect(response.firstOp["name"] == "risky")
        #expect(response.firstOp["error"]?.objectValue?["message"] == "boom")
        #expect(response.firstOp["error"]?.objectValue?["name"]?.stringValue != nil)
    }

    @Test func case31a_lastAttemptIsStepFailed() async {
        let response = await call("risky", ServeFixture.event("app/risky"), attempt: 3, maxAttempts: 4, functions: [Fixture.risky(Counter())])
        #expect(response.status == 206)
        #expect(response.headerFields[.inngestNoRetry] == "true")
        #expect(response.firstOp["op"] == "StepFailed")
        #expect(response.firstOp["error"]?.objectValue?["message"] == "boom")
    }

    @Test func case31b_nonRetriableInAStepIsStepFailedLikeTypeScript() async {
        let risky = Fixture.risky(Counter()) { NonRetriableError("nope") }
        let response = await call("risky", ServeFixture.event("app/risky"), functions: [risky])
        #expect(response.status == 206)
        #expect(response.headerFields[.inngestNoRetry] == "true")
        #expect(response.firstOp["op"] == "StepFailed")
        #expect(response.firstOp["error"] == ["name": "NonRetriableError", "message": "nope"])
    }

    @Test func uncaughtMemoizedStepErrorIs400LikeTypeScript() async {
        let counter = Counter()
        let response = await call(
            "risky", ServeFixture.event("app/risky"), steps: [Hash.risky: ["error": ["name": "Error", "message": "boom", "stack": "s"]]],
            functions: [Fixture.risky(counter)])
        #expect(response.status == 400)
        #expect(response.headerFields[.inngestNoRetry] == "true")
        #expect(response.json?.objectValue?["name"] == "Error")
        #expect(response.json?.objectValue?["message"] == "boom")
        #expect(counter["risky"] == 0)
    }

    @Test func caughtMemoizedStepErrorCompletes() async {
        let catching = InngestFunction(.init(id: "risky", trigger: .event("app/risky"))) { (ctx: Context<JSONValue>) -> String in
            do {
                try await ctx.step.run("risky") { () -> Int in throw Boom(message: "boom") }
                return "no"
            } catch let error as StepError {
                return "caught \(error.message)"
            }
        }
        let response = await call("risky", ServeFixture.event("app/risky"), steps: [Hash.risky: ["error": ["name": "Error", "message": "boom"]]], functions: [catching])
        #expect(response.status == 200)
        #expect(response.bodyText == #""caught boom""#)
    }

    @Test func case33a_genericFunctionErrorIs500Retriable() async {
        let response = await call("fails", ServeFixture.event("app/fails"), functions: [ServeFixture.fails(Counter()) { Boom(message: "kaput") }])
        #expect(response.status == 500)
        #expect(response.headerFields[.inngestNoRetry] == "false")
        #expect(response.json?.objectValue?["message"] == "kaput")
        #expect(response.json?.objectValue?["name"]?.stringValue != nil)
    }

    @Test func case33b_nonRetriableFunctionErrorIs400() async {
        let response = await call("fails", ServeFixture.event("app/fails"), functions: [ServeFixture.fails(Counter()) { NonRetriableError("kaput") }])
        #expect(response.status == 400)
        #expect(response.headerFields[.inngestNoRetry] == "true")
        #expect(response.json?.objectValue?["name"] == "NonRetriableError")
    }

    @Test func case33c_retryAfterErrorSetsRetryAfterSeconds() async {
        let response = await call("fails", ServeFixture.event("app/fails"), functions: [ServeFixture.fails(Counter()) { RetryAfterError("slow down", after: .seconds(30)) }])
        #expect(response.status == 500)
        #expect(response.headerFields[.inngestNoRetry] == "false")
        #expect(response.headerFields[.retryAfter] == "30")
    }

    @Test func case33c_retryAfterDateIsAnISOTime() async {
        let date = Date(timeIntervalSince1970: 1_700_000_060)
        let response = await call("fails", ServeFixture.event("app/fails"), functions: [ServeFixture.fails(Counter()) { RetryAfterError("slow down", at: date) }])
        #expect(response.headerFields[.retryAfter] == "2023-11-14T22:14:20.000Z")
    }

    @Test func case33c_retryAfterInsideAStepRidesOnTheStepError() async {
        let risky = Fixture.risky(Counter()) { RetryAfterError("later", after: .milliseconds(1_500)) }
        let response = await call("risky", ServeFixture.event("app/risky"), functions: [risky])
        #expect(response.status == 206)
        #expect(response.firstOp["op"] == "StepError")
        #expect(response.headerFields[.retryAfter] == "2")
    }

    @Test func case33d_lastAttemptFunctionErrorIs400LikeTypeScript() async {
        let response = await call("fails", ServeFixture.event("app/fails"), attempt: 3, maxAttempts: 4, functions: [ServeFixture.fails(Counter()) { Boom(message: "kaput") }])
        #expect(response.status == 400)
        #expect(response.headerFields[.inngestNoRetry] == "true")
    }

    @Test func unknownFieldsAreIgnored() async {
        var body = ServeFixture.callBody(ServeFixture.event("app/hello", ["name": "Ada"])).objectValue!
        body["defers"] = ["x": ["abortable": true]]
        body["use_api"] = false
        var ctx = body["ctx"]!.objectValue!
        for (key, value) in ["fn_id": "3f1c2a8e", "qi_id": "q", "request_id": "r", "generation_id": 1, "job_id": "j", "env": "", "step_id": "step"] as [String: JSONValue] {
            ctx[key] = value
        }
        body["ctx"] = .object(ctx)
        var classic = ServeFixture.devConfiguration()
        classic.checkpointing = .disabled
        let response = await ServeFixture.handler(classic).handle(ServeFixture.post("swift-app-hello", body: .object(body)))
        #expect(response.status == 200)
        #expect(response.json == ["message": "hi Ada"])
        // With checkpointing (the default), `fn_id` and `qi_id` are the server's offer: the
        // function's end is `RunComplete` in a `206`, as the TypeScript SDK answers.
        let checkpointed = await ServeFixture.handler().handle(ServeFixture.post("swift-app-hello", body: .object(body)))
        #expect(checkpointed.status == 206)
        #expect(checkpointed.json == [["id": "0737c22d3bfae812339732d14d8c7dbd6dc4e09c", "op": "RunComplete", "data": ["message": "hi Ada"]]])
    }
}
