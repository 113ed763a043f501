import Inngest

// Runs the first execution of `powers-report` and prints what it asks the server to do:
// invoke `my-python-app-compute-square` with typed, encoded data.
let event = AnyEvent(name: Events.ReportRequested.eventName, data: ["number": 4], id: "01JF0EXAMPLE00000000000000", ts: 1_767_225_600_000)
let request = ExecutionRequest(events: [event], runID: "01JF0RUN00000000000000000")
guard let report = Functions.all.first(where: { $0.id == "powers-report" }) else { fatalError("powers-report is not registered") }
let outcome = await Executor(appID: Functions.appID).execute(report, request)
print("registered: \(Functions.all.map(\.id))")
print("imports: \(MyPythonApp.computeSquare.compositeID(defaultAppID: Functions.appID)), \(AppA.computeCube.compositeID(defaultAppID: Functions.appID))")
print("first execution: \(outcome)")
