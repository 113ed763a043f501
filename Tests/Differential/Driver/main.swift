import Foundation

// The Swift side of the differential suite: one case per line of standard input, one result
// per line of standard output, in the same order, so one process answers thousands of cases.
// It is compiled into InngestCore's module (see run.sh), so it calls package API directly.
//
//   {"kind": "cel",  "expr": "…", "vars": {…}}          → {"value": …} | {"error": "<kind>"}
//   {"kind": "cron", "expr": "…", "start": <unix s>, "count": n}
//                                                       → {"fires": [<unix s>…]} | {"error": "parse"}
//   {"kind": "jcs",  "text": "<JSON text>"}             → {"canonical": "…"} | {"error": "…"}
//   {"kind": "manifest", "text": "<JSON text>"}         → {"accepted": bool, "problems": […],
//                                                          "written": "<ManifestCoding output>"}
//
// A line that is not a case at all ends the run with status 2: the harness is broken, and a
// guessed answer would be counted as our behaviour.

func answer(_ line: String) throws -> JSONValue {
    let request = try JSONText.read(line)
    guard let kind = request["kind"]?.stringValue else { throw DriverFailure("no kind in \(line)") }
    switch kind {
    case "cel": return celResult(request)
    case "cron": return try cronResult(request)
    case "jcs": return jcsResult(request)
    case "manifest": return manifestResult(request)
    default: throw DriverFailure("unknown kind \(kind)")
    }
}

struct DriverFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func celResult(_ request: JSONValue) -> JSONValue {
    let source = request["expr"]?.stringValue ?? ""
    let variables = request["vars"]?.objectValue ?? [:]
    do {
        let expression = try CELExpression(source)
        return ["value": try expression.evaluate(variables)]
    } catch let error as ExpressionError {
        return ["error": .string(error.kind.rawValue), "message": .string(error.description)]
    } catch {
        return ["error": "other", "message": .string("\(error)")]
    }
}

func cronResult(_ request: JSONValue) throws -> JSONValue {
    guard let source = request["expr"]?.stringValue, let start = request["start"]?.doubleValue,
        let count = request["count"]?.integerValue
    else { throw DriverFailure("cron case needs expr, start and count") }
    let schedule: CronSchedule
    do {
        schedule = try CronSchedule(source)
    } catch {
        return ["error": "parse", "message": .string(error.description)]
    }
    var fires: [JSONValue] = []
    var after = Date(timeIntervalSince1970: start)
    for _ in 0..<count {
        guard let next = schedule.nextFireDate(after: after) else { break }
        fires.append(.integer(Int64(next.timeIntervalSince1970)))
        after = next
    }
    return ["fires": .array(fires)]
}

func jcsResult(_ request: JSONValue) -> JSONValue {
    let text = request["text"]?.stringValue ?? ""
    do {
        let value = try JSONText.read(text)
        return ["canonical": .string(try JSONCanonicalization.canonicalString(value))]
    } catch {
        return ["error": .string("\(error)")]
    }
}

func manifestResult(_ request: JSONValue) -> JSONValue {
    let text = request["text"]?.stringValue ?? ""
    let (manifest, diagnostics) = ManifestReader.check(text, path: "case.inngest.json")
    let errors = diagnostics.filter { $0.severity == .error }
    var result: JSONValue = [
        "accepted": .bool(manifest != nil && errors.isEmpty),
        "problems": .array(errors.map { .string($0.description) }),
    ]
    // What the generator would write for it, which the schema must accept too.
    if let manifest, errors.isEmpty, case .object(var members) = result {
        members["written"] = (try? ManifestCoding.encode(manifest)).map(JSONValue.string) ?? "<encoding failed>"
        result = .object(members)
    }
    return result
}

var status: Int32 = 0
while let line = readLine(strippingNewline: true) {
    if line.isEmpty { continue }
    do {
        print(try JSONText.write(try answer(line)))
    } catch {
        FileHandle.standardError.write(Data("driver: \(error)\n".utf8))
        status = 2
        break
    }
}
exit(status)
