// The Swift app of the interop tests: served over HTTP (Hummingbird) to `inngest dev`, next to
// the Python app `my-python-app`. Run by Tests/Interop/run.sh; listens on $PORT (13940).
import Foundation
import Hummingbird
import Inngest
import InngestHummingbird

// The functions of Functions.swift, from the arguments of their annotations.
let functions: [InngestFunction] = [
    InngestFunction(FunctionConfiguration(id: "compute-cube", trigger: .event("math/cube")), handler: computeCube),
    InngestFunction(FunctionConfiguration(id: "square-via-python", trigger: .event("swift/square-via-python")), handler: squareViaPython),
    InngestFunction(FunctionConfiguration(id: "on-python-event", trigger: .event("python/hello")), handler: onPythonEvent),
    InngestFunction(FunctionConfiguration(id: "wait-for-python", trigger: .event("swift/wait-for-python")), handler: waitForPython),
]

let port = Int(ProcessInfo.processInfo.environment["PORT"] ?? "") ?? 13940
let configuration = InngestConfiguration(appID: "swift-app", framework: "hummingbird")
let client = InngestClient(configuration: configuration, transport: AsyncHTTPClientTransport())
let router = Router()
router.addInngest(InngestServeHandler(client: client, functions: functions))
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
print("swift-app serving on http://127.0.0.1:\(port)/api/inngest (\(configuration.mode.rawValue) mode)")
try await app.runService()
