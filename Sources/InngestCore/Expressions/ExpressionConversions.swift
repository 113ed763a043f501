/// CEL's type conversions `int()`, `double()`, `string()` and `bool()`, on the JSON types
/// an event carries. Every conversion that has no exact answer is an error, never a trap:
/// a double out of the Int64 range, a string that is not a number.
enum ExpressionConversions {
    /// `int()`, `double()`, `string()` or `bool()` of any value, time values included:
    /// `int(timestamp)` is its Unix seconds, and `string()` of a timestamp or duration is its
    /// JSON text. (CEL's standard declarations have no `int(duration)`.)
    static func convert(_ value: ExpressionValue, with function: ExpressionFunction) throws -> ExpressionValue {
        switch (function, value) {
        case (.int, .timestamp(let time)): return .json(.integer(time.seconds))
        case (.string, .timestamp), (.string, .duration): return .json(value.json)
        case (_, .timestamp), (_, .duration):
            throw OperationFailure(message: "\(function.rawValue)() is not defined for \(value.typeName)")
        case (.int, .json(let json)): return .json(try int(json))
        case (.double, .json(let json)): return .json(try double(json))
        case (.string, .json(let json)): return .json(try string(json))
        case (.bool, .json(let json)): return .json(try bool(json))
        default: throw OperationFailure(message: "'\(function.rawValue)' is not a conversion")
        }
    }

    static func int(_ value: JSONValue) throws -> JSONValue {
        switch value {
        case .integer:
            return value
        case .double(let number):
            // Truncates toward zero, as cel-go, which also refuses -2^63 itself (its range
            // test is exclusive at both ends).
            let whole = number.rounded(.towardZero)
            guard whole.isFinite, whole > -9_223_372_036_854_775_808.0, let result = Int64(exactly: whole) else {
                throw OperationFailure(message: "int(): \(number) is out of the int range")
            }
            return .integer(result)
        case .string(let text):
            guard let result = Int64(text) else {
                throw OperationFailure(message: "int(): '\(excerpt(text))' is not an integer")
            }
            return .integer(result)
        default:
            throw OperationFailure(message: "int() is not defined for \(ExpressionOperations.typeName(value))")
        }
    }

    static func double(_ value: JSONValue) throws -> JSONValue {
        switch value {
        case .double:
            return value
        case .integer(let number):
            return .double(Double(number))
        case .string(let text):
            // Swift accepts what Go's ParseFloat does for plain decimals and exponents; "inf"
            // and "nan" parse too but JSON cannot carry them, so they are refused.
            guard let result = Double(text), result.isFinite, isDecimal(text) else {
                throw OperationFailure(message: "double(): '\(excerpt(text))' is not a number")
            }
            return .double(result)
        default:
            throw OperationFailure(message: "double() is not defined for \(ExpressionOperations.typeName(value))")
        }
    }

    static func string(_ value: JSONValue) throws -> JSONValue {
        switch value {
        case .string:
            return value
        case .integer(let number):
            return .string(String(number))
        case .bool(let flag):
            return .string(flag ? "true" : "false")
        default:
            // Doubles are left out on purpose: Go's shortest formatting (1e+06, 1.5e-07) is
            // not Swift's, and a wrong string would silently change a key or a comparison.
            throw OperationFailure(message: "string() is not defined for \(ExpressionOperations.typeName(value))")
        }
    }

    static func bool(_ value: JSONValue) throws -> JSONValue {
        switch value {
        case .bool:
            return value
        case .string(let text):
            // Go's strconv.ParseBool, which cel-go uses.
            switch text {
            case "1", "t", "T", "true", "TRUE", "True": return true
            case "0", "f", "F", "false", "FALSE", "False": return false
            default: throw OperationFailure(message: "bool(): '\(excerpt(text))' is not a boolean")
            }
        default:
            throw OperationFailure(message: "bool() is not defined for \(ExpressionOperations.typeName(value))")
        }
    }

    private static func isDecimal(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { "0123456789+-.eE".unicodeScalars.contains($0) }
    }

    private static func excerpt(_ text: String) -> String {
        text.unicodeScalars.count <= 40 ? text : String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…"
    }
}
