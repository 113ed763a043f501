/// A typed handle on a function to invoke: `step.invoke("id", function: ref, data: input)`.
///
/// `Input` is the invoked function's event data; `Output` its result (`Void` for none).
/// The build plugin generates one for every function of a target and of every imported
/// manifest; for any other function, of any app in any language, write one by id:
///
/// ```swift
/// let computeSquare = FunctionReference<SquareInput, SquareOutput>(app: "my-python-app", id: "compute-square")
/// ```
public struct FunctionReference<Input, Output>: Sendable, Hashable {
    /// The app the function belongs to; `nil` means the invoking function's own app.
    public let appID: String?
    /// The function id within its app.
    public let functionID: String

    /// A reference to function `functionID` of app `appID`.
    ///
    /// - Parameters:
    ///   - appID: The app the function belongs to; the invoking function's own app when `nil`.
    ///   - functionID: The function's id within its app, without the app prefix.
    public init(app appID: String? = nil, id functionID: String) {
        self.appID = appID
        self.functionID = functionID
    }

    /// The wire id `<app>-<function>`, with `defaultAppID` for a reference without an app.
    ///
    /// - Parameter defaultAppID: The app of a reference without one.
    /// - Returns: The function's wire id.
    public func compositeID(defaultAppID: String) -> String {
        "\(appID ?? defaultAppID)-\(functionID)"
    }
}
