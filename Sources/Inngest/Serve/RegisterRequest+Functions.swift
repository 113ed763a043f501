// The writing side of the register payload that needs this SDK's own types (its functions and
// its configuration); the wire models themselves depend only on InngestCore.

extension RegisterRequest {
    /// This SDK's registration of `functions`, served at `appURL`.
    package init(appURL: String, functions: [InngestFunction], configuration: InngestConfiguration) throws {
        self.init(
            url: appURL, appName: configuration.appID, framework: configuration.framework, appVersion: configuration.appVersion,
            capabilities: .swiftSDK(inBandSync: configuration.allowInBandSync),
            functions: RegisteredFunction.all(of: functions, appURL: appURL, appID: configuration.appID))
    }
}

extension RegisteredFunction {
    /// One registration per function and per failure handler (`<composite id>-failure`), in declaration order.
    package static func all(of functions: [InngestFunction], appURL: String, appID: String) -> [RegisteredFunction] {
        var registered: [RegisteredFunction] = []
        for function in functions {
            registered.append(RegisteredFunction(function.configuration, appURL: appURL, appID: appID))
            if let failure = function.failureFunction(appID: appID) {
                registered.append(RegisteredFunction(failure.configuration, appURL: appURL, appID: appID))
            }
        }
        return registered
    }
}
