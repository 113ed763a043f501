import InngestCore
import SwiftSyntax

/// Evaluates the attribute's option arguments from their literals into a
/// ``StaticConfiguration``, recording where each field was written.
///
/// Only the spellings the options' own API offers are understood (`.init(...)`, the type's
/// name, the static helpers); anything else is listed as unresolved and left to the compiler.
struct OptionReader {
    let locator: SourceLocator
    private(set) var configuration = StaticConfiguration()
    /// Literal event names the options refer to.
    private(set) var eventReferences: [EventReference] = []
    private var triggerSources: [(TriggerSource, [String: SourcePosition])] = []

    init(locator: SourceLocator) {
        self.locator = locator
    }

    mutating func read(label: String, _ expression: ExprSyntax) {
        record(label, expression)
        let understood: Bool
        switch label {
        case "id": understood = true
        case "name": understood = readName(expression)
        case "trigger": understood = LiteralSyntax.isNil(expression) || readTrigger(expression)
        case "triggers": understood = readList(expression) { reader, element in reader.readTrigger(element) }
        case "retries":
            if let retries = LiteralSyntax.integer(expression) { configuration.retries = retries }
            understood = LiteralSyntax.integer(expression) != nil
        case "cancelOn": understood = readList(expression) { reader, element in reader.readCancellation(element) }
        case "concurrency": understood = readConcurrency(expression)
        case "throttle": understood = readThrottle(expression)
        case "rateLimit": understood = readRateLimit(expression)
        case "debounce": understood = readDebounce(expression)
        case "priority": understood = readPriority(expression)
        case "batchEvents": understood = readBatch(expression)
        case "idempotency": understood = readOptionalString(expression) { $0.configuration.idempotency = $1 }
        case "timeouts": understood = readTimeouts(expression)
        case "singleton": understood = readSingleton(expression)
        default: understood = false
        }
        if !understood && !LiteralSyntax.isNil(expression) { configuration.unresolvedOptions.append(label) }
    }

    /// Call once all arguments are read: trigger field paths depend on how many there are.
    mutating func finish() -> (StaticConfiguration, [EventReference]) {
        let single = triggerSources.count == 1
        for (index, (source, positions)) in triggerSources.enumerated() {
            configuration.triggers.append(source)
            let prefix = single ? "trigger" : "triggers[\(index)]"
            for (field, position) in positions {
                configuration.fieldPositions[field.isEmpty ? prefix : "\(prefix).\(field)"] = position
            }
        }
        return (configuration, eventReferences)
    }

    // MARK: Fields

    private mutating func record(_ field: String, _ expression: ExprSyntax) {
        configuration.fieldPositions[field] = locator.position(of: expression)
    }

    private mutating func readName(_ expression: ExprSyntax) -> Bool {
        readOptionalString(expression) { $0.configuration.name = $1 }
    }

    private mutating func readOptionalString(_ expression: ExprSyntax, assign: (inout OptionReader, String) -> Void) -> Bool {
        if LiteralSyntax.isNil(expression) { return true }
        guard let value = LiteralSyntax.string(expression) else { return false }
        assign(&self, value)
        return true
    }

    /// Reads an array literal element by element, recording `label[index]` positions.
    private mutating func readList(_ expression: ExprSyntax, element read: (inout OptionReader, ExprSyntax) -> Bool) -> Bool {
        guard let array = expression.as(ArrayExprSyntax.self) else { return false }
        var understood = true
        for element in array.elements where !read(&self, element.expression) { understood = false }
        return understood
    }

    private mutating func readTrigger(_ expression: ExprSyntax) -> Bool {
        guard let call = CallSyntax(expression) else { return false }
        var positions: [String: SourcePosition] = ["": locator.position(of: expression)]
        let source: TriggerSource
        switch call.name {
        case "event":
            guard let first = call.unlabeled() else { return false }
            positions["event"] = locator.position(of: first)
            var condition: String?
            if let expressionArgument = call.argument("if") {
                positions["if"] = locator.position(of: expressionArgument)
                guard let text = LiteralSyntax.string(expressionArgument) else { return false }
                condition = text
            }
            if let name = LiteralSyntax.string(first) {
                eventReferences.append(EventReference(name: name, position: locator.position(of: first)))
                source = TriggerSource(.event(name, if: condition))
            } else if let payload = LiteralSyntax.metatype(first) {
                source = TriggerSource(.event("", if: condition), payloadType: payload)
            } else {
                return false
            }
        case "cron":
            guard let first = call.unlabeled(), let schedule = LiteralSyntax.string(first) else { return false }
            positions["cron"] = locator.position(of: first)
            var jitter: InngestDuration?
            if let jitterArgument = call.argument("jitter") {
                positions["jitter"] = locator.position(of: jitterArgument)
                guard let value = LiteralSyntax.duration(jitterArgument) else { return false }
                jitter = value
            }
            source = TriggerSource(.cron(schedule, jitter: jitter))
        default:
            return false
        }
        triggerSources.append((source, positions))
        return true
    }

    private mutating func readCancellation(_ expression: ExprSyntax) -> Bool {
        guard let call = CallSyntax(expression), ["init", "Cancellation"].contains(call.name) else { return false }
        let field = "cancelOn[\(configuration.cancelOn.count)]"
        record(field, expression)
        var event = ""
        var payloadType: String?
        if let name = call.argument("event") {
            record("\(field).event", name)
            guard let literal = LiteralSyntax.string(name) else { return false }
            event = literal
            eventReferences.append(EventReference(name: literal, position: locator.position(of: name)))
        } else if let first = call.unlabeled(), let payload = LiteralSyntax.metatype(first) {
            record("\(field).event", first)
            payloadType = payload
        } else {
            return false
        }
        guard let condition = optionalString(call, "if", field: "\(field).if"),
            let match = optionalString(call, "match", field: "\(field).if")
        else { return false }
        guard let timeout = optionalDuration(call, "timeout", field: "\(field).timeout") else { return false }
        let cancellation = Cancellation(event: event, if: condition.value, match: match.value, timeout: timeout.value)
        configuration.cancelOn.append(CancellationSource(cancellation, payloadType: payloadType))
        return true
    }

    private mutating func readConcurrency(_ expression: ExprSyntax) -> Bool {
        if let limit = LiteralSyntax.integer(expression) {
            record("concurrency.limit", expression)
            configuration.concurrency = Concurrency([ConcurrencyLimit(limit: limit)])
            return true
        }
        if let call = CallSyntax(expression) {
            guard let limit = concurrencyLimit(call, field: "concurrency") else { return false }
            configuration.concurrency = Concurrency([limit])
            return true
        }
        guard let array = expression.as(ArrayExprSyntax.self) else { return false }
        var limits: [ConcurrencyLimit] = []
        let single = array.elements.count == 1
        for (index, element) in array.elements.enumerated() {
            let field = single ? "concurrency" : "concurrency[\(index)]"
            record(field, element.expression)
            guard let call = CallSyntax(element.expression), let limit = concurrencyLimit(call, field: field) else { return false }
            limits.append(limit)
        }
        configuration.concurrency = Concurrency(limits)
        return true
    }

    private mutating func concurrencyLimit(_ call: CallSyntax, field: String) -> ConcurrencyLimit? {
        guard ["limit", "init", "ConcurrencyLimit"].contains(call.name),
            let limitExpression = call.unlabeled() ?? call.argument("limit"),
            let limit = LiteralSyntax.integer(limitExpression)
        else { return nil }
        record("\(field).limit", limitExpression)
        guard let key = optionalString(call, "key", field: "\(field).key") else { return nil }
        var scope = ConcurrencyScope.fn
        if let scopeExpression = call.argument("scope") {
            guard let name = LiteralSyntax.implicitMember(scopeExpression), let value = ConcurrencyScope(rawValue: name) else { return nil }
            scope = value
        }
        return ConcurrencyLimit(limit: limit, key: key.value, scope: scope)
    }

    private mutating func readThrottle(_ expression: ExprSyntax) -> Bool {
        guard let call = initializer(expression, "Throttle"),
            let limit = requiredInt(call, "limit", field: "throttle.limit"),
            let period = requiredDuration(call, "period", field: "throttle.period"),
            let burst = optionalInt(call, "burst", field: "throttle.burst"),
            let key = optionalString(call, "key", field: "throttle.key")
        else { return false }
        configuration.throttle = Throttle(limit: limit, period: period, burst: burst.value, key: key.value)
        return true
    }

    private mutating func readRateLimit(_ expression: ExprSyntax) -> Bool {
        guard let call = initializer(expression, "RateLimit"),
            let limit = requiredInt(call, "limit", field: "rateLimit.limit"),
            let period = requiredDuration(call, "period", field: "rateLimit.period"),
            let key = optionalString(call, "key", field: "rateLimit.key")
        else { return false }
        configuration.rateLimit = RateLimit(limit: limit, period: period, key: key.value)
        return true
    }

    private mutating func readDebounce(_ expression: ExprSyntax) -> Bool {
        guard let call = initializer(expression, "Debounce"),
            let period = requiredDuration(call, "period", field: "debounce.period"),
            let key = optionalString(call, "key", field: "debounce.key"),
            let timeout = optionalDuration(call, "timeout", field: "debounce.timeout")
        else { return false }
        configuration.debounce = Debounce(period: period, key: key.value, timeout: timeout.value)
        return true
    }

    private mutating func readPriority(_ expression: ExprSyntax) -> Bool {
        guard let call = initializer(expression, "Priority"),
            let run = call.argument("run"), let text = LiteralSyntax.string(run)
        else { return false }
        record("priority.run", run)
        configuration.priority = Priority(run: text)
        return true
    }

    private mutating func readBatch(_ expression: ExprSyntax) -> Bool {
        guard let call = initializer(expression, "BatchEvents"),
            let maxSize = requiredInt(call, "maxSize", field: "batchEvents.maxSize"),
            let timeout = requiredDuration(call, "timeout", field: "batchEvents.timeout"),
            let key = optionalString(call, "key", field: "batchEvents.key"),
            let condition = optionalString(call, "if", field: "batchEvents.if")
        else { return false }
        configuration.batchEvents = BatchEvents(maxSize: maxSize, timeout: timeout, key: key.value, if: condition.value)
        return true
    }

    private mutating func readTimeouts(_ expression: ExprSyntax) -> Bool {
        guard let call = initializer(expression, "Timeouts"),
            let start = optionalDuration(call, "start", field: "timeouts.start"),
            let finish = optionalDuration(call, "finish", field: "timeouts.finish")
        else { return false }
        configuration.timeouts = Timeouts(start: start.value, finish: finish.value)
        return true
    }

    private mutating func readSingleton(_ expression: ExprSyntax) -> Bool {
        guard let call = initializer(expression, "Singleton"),
            let modeExpression = call.argument("mode"),
            let modeName = LiteralSyntax.implicitMember(modeExpression),
            let mode = Singleton.Mode(rawValue: modeName),
            let key = optionalString(call, "key", field: "singleton.key")
        else { return false }
        configuration.singleton = Singleton(key: key.value, mode: mode)
        return true
    }

    // MARK: Values

    /// `.init(...)` or `TypeName(...)`.
    private func initializer(_ expression: ExprSyntax, _ typeName: String) -> CallSyntax? {
        guard let call = CallSyntax(expression), call.name == "init" || call.name == typeName else { return nil }
        return call
    }

    /// A present-or-absent value: `.some(nil)` reads as "absent", `nil` as "not understood".
    private struct Presence<Value> {
        var value: Value?
    }

    private mutating func requiredInt(_ call: CallSyntax, _ label: String, field: String) -> Int? {
        guard let expression = call.argument(label) else { return nil }
        record(field, expression)
        return LiteralSyntax.integer(expression)
    }

    private mutating func optionalInt(_ call: CallSyntax, _ label: String, field: String) -> Presence<Int>? {
        guard let expression = call.argument(label), !LiteralSyntax.isNil(expression) else { return Presence(value: nil) }
        record(field, expression)
        guard let value = LiteralSyntax.integer(expression) else { return nil }
        return Presence(value: value)
    }

    private mutating func requiredDuration(_ call: CallSyntax, _ label: String, field: String) -> InngestDuration? {
        guard let expression = call.argument(label) else { return nil }
        record(field, expression)
        return LiteralSyntax.duration(expression)
    }

    private mutating func optionalDuration(_ call: CallSyntax, _ label: String, field: String) -> Presence<InngestDuration>? {
        guard let expression = call.argument(label), !LiteralSyntax.isNil(expression) else { return Presence(value: nil) }
        record(field, expression)
        guard let value = LiteralSyntax.duration(expression) else { return nil }
        return Presence(value: value)
    }

    private mutating func optionalString(_ call: CallSyntax, _ label: String, field: String) -> Presence<String>? {
        guard let expression = call.argument(label), !LiteralSyntax.isNil(expression) else { return Presence(value: nil) }
        record(field, expression)
        guard let value = LiteralSyntax.string(expression) else { return nil }
        return Presence(value: value)
    }
}
