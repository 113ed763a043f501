import Foundation

/// An error as it travels on the wire and sits in memoized state:
/// `{"name": …, "message": …, "stack": …, "cause": …, "data": …}`.
public struct SerializedError: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The error's type name, e.g. `NonRetriableError`.
    public var name: String
    /// What went wrong.
    public var message: String
    /// Other SDKs send their stack trace; Swift errors carry none, so this is usually `nil`.
    public var stack: String?
    /// A nested error, when the error had a cause.
    public var cause: JSONValue?
    /// Extra data attached to the error.
    public var data: JSONValue?

    /// An error from its parts.
    ///
    /// - Parameters:
    ///   - name: The error's type name.
    ///   - message: What went wrong.
    ///   - stack: A stack trace, if any.
    ///   - cause: A nested error.
    ///   - data: Extra data.
    public init(name: String, message: String, stack: String? = nil, cause: JSONValue? = nil, data: JSONValue? = nil) {
        self.name = name
        self.message = message
        self.stack = stack
        self.cause = cause
        self.data = data
    }

    /// Reads an error object that has at least a string `name` and `message` (what Inngest
    /// calls a valid error); anything else is not an error.
    public init?(json: JSONValue) {
        guard case .object(let members) = json,
            let name = members["name"]?.stringValue,
            let message = members["message"]?.stringValue
        else { return nil }
        self.init(
            name: name, message: message, stack: members["stack"]?.stringValue,
            cause: members["cause"].flatMap { $0.isNull ? nil : $0 },
            data: members["data"].flatMap { $0.isNull ? nil : $0 })
    }

    /// The error as its wire JSON object.
    public var json: JSONValue {
        var members: [String: JSONValue] = ["name": .string(name), "message": .string(message)]
        if let stack { members["stack"] = .string(stack) }
        if let cause { members["cause"] = cause }
        if let data { members["data"] = data }
        return .object(members)
    }

    public var description: String { message.isEmpty ? name : "\(name): \(message)" }
}

extension SerializedError {
    /// Serializes any Swift error. ``NonRetriableError`` and ``RetryAfterError`` keep their
    /// Inngest names; a ``StepError`` keeps the name and message of the original failure;
    /// other errors are named after their type.
    public init(_ error: any Error) {
        self.init(error, depth: 0)
    }

    private init(_ error: any Error, depth: Int) {
        // Causes nest at most five levels deep, as TypeScript does, so a cyclic chain cannot recurse forever.
        func nested(_ cause: (any Error)?) -> JSONValue? {
            guard let cause, depth < 5 else { return nil }
            return SerializedError(cause, depth: depth + 1).json
        }
        switch error {
        case let error as ReportedError:
            self = error.error
        case let error as StepError:
            self.init(name: error.name, message: error.message, stack: error.stack, cause: error.cause, data: error.data)
        case let error as NonRetriableError:
            self.init(name: "NonRetriableError", message: error.message, cause: nested(error.cause))
        case let error as RetryAfterError:
            self.init(name: "RetryAfterError", message: error.message, cause: nested(error.cause))
        case let error as any LocalizedError:
            self.init(name: String(describing: type(of: error)), message: error.errorDescription ?? String(describing: error))
        default:
            self.init(name: String(describing: type(of: error)), message: String(describing: error))
        }
    }
}
