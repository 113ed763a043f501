import Foundation
import InngestCore
import SwiftSyntax

/// Checks the literal arguments of one step call the way the runtime would check them when
/// the step is reached: time strings and their limit, the `match` path and the `if`
/// expression of a wait, and literal dates. A mistake then fails the build at the argument,
/// not a run after its earlier steps already ran. Arguments that are not literals are left
/// to the runtime.
struct StepArgumentCheck {
    let locator: SourceLocator

    func diagnostics(of kind: StepTool, call: FunctionCallExprSyntax, stepID: String?) -> [CodegenDiagnostic] {
        let step = stepID.map { "step \"\($0)\"" } ?? "this step"
        let arguments = CallSyntax(ExprSyntax(call))
        var diagnostics: [CodegenDiagnostic] = []
        switch kind {
        case .sleep:
            // `sleep(id, "1h")`; `sleep(id, for: .seconds(5))` takes a Swift `Duration`.
            if let duration = arguments?.unlabeled(1) { diagnostics += wait(duration, field: "sleep", step: step) }
        case .sleepUntil:
            if let date = arguments?.unlabeled(1) { diagnostics += self.date(date, step: step) }
        case .waitForEvent:
            if let timeout = arguments?.argument("timeout") { diagnostics += wait(timeout, field: "timeout", step: step) }
            if let match = arguments?.argument("match"), let path = LiteralSyntax.string(match) {
                // The runtime turns `match` into this comparison of the two events.
                if let condition = Cancellation.combine(condition: nil, match: path), let problem = SyntaxCheck.expression(condition) {
                    diagnostics.append(
                        .error("\(step): match \"\(path)\" is not a field path of the events (\(problem))", at: locator.position(of: match)))
                }
            }
            if let condition = arguments?.argument("if"), let source = LiteralSyntax.string(condition),
                let problem = SyntaxCheck.expression(source)
            {
                diagnostics.append(.error("\(step): if: \(problem)", at: locator.position(of: condition)))
            }
        case .invoke:
            if let timeout = arguments?.argument("timeout"), !LiteralSyntax.isNil(timeout) {
                diagnostics += wait(timeout, field: "timeout", step: step)
            }
        case .waitForSignal, .sendSignal:
            if kind == .waitForSignal, let timeout = arguments?.argument("timeout") { diagnostics += wait(timeout, field: "timeout", step: step) }
            if let signal = arguments?.argument("signal"), let name = LiteralSyntax.string(signal) {
                // The runtime's rule (`WaitForSignalRequest.problem(ofName:)`), in its words.
                let bytes = name.utf8.count
                if bytes == 0 {
                    diagnostics.append(.error("\(step): the signal name is empty", at: locator.position(of: signal)))
                } else if bytes > InngestLimits.maxSignalNameBytes {
                    diagnostics.append(
                        .error("\(step): the signal name is \(bytes) bytes, over the limit of \(InngestLimits.maxSignalNameBytes) bytes", at: locator.position(of: signal)))
                }
            }
        case .run, .sendEvent:
            break
        }
        return diagnostics
    }

    /// A sleep or a timeout: a valid time string of at most 366 days, as `Step` requires.
    private func wait(_ expression: ExprSyntax, field: String, step: String) -> [CodegenDiagnostic] {
        guard let duration = LiteralSyntax.duration(expression) else { return [] }
        let position = locator.position(of: expression)
        switch duration.waitProblem {
        case .invalid(let error)?: return [.error("\(step): \(error.description)", at: position)]
        case .tooLong(let limit)?: return [.error("\(step): \(field) \(duration.timeString) exceeds the limit of \(limit)", at: position)]
        case nil: return []
        }
    }

    /// `Date(timeIntervalSince1970: <number>)`, the one literal spelling of a date. It must be
    /// a time the engine can store (milliseconds since 1970 in 64 bits); more than 366 days
    /// after the build it is refused by the runtime unless the run reaches it much later, so
    /// that is a warning.
    private func date(_ expression: ExprSyntax, step: String) -> [CodegenDiagnostic] {
        guard let call = CallSyntax(expression), call.name == "Date" || call.name == "init",
            let argument = call.argument("timeIntervalSince1970"), let seconds = Self.number(argument)
        else { return [] }
        let position = locator.position(of: argument)
        let written = argument.trimmedDescription
        guard seconds.magnitude < Double(Int64.max / 1_000) else {
            return [.error("\(step): the date \(written) (seconds since 1970) is out of range: it cannot be stored in milliseconds", at: position)]
        }
        let latest = Date().timeIntervalSince1970 + Double(InngestLimits.maxWait.components.seconds)
        if seconds > latest {
            return [
                .warning(
                    "\(step): the date \(written) is more than 366 days after this build; a sleep can last at most 366 days, so the step fails unless the run reaches it later",
                    at: position)
            ]
        }
        return []
    }

    private static func number(_ expression: ExprSyntax) -> Double? {
        if let integer = LiteralSyntax.integer(expression) { return Double(integer) }
        var text = expression.trimmedDescription.replacingOccurrences(of: "_", with: "")
        if text.hasPrefix("-") {
            text.removeFirst()
            return Double(text).map { -$0 }
        }
        return expression.is(FloatLiteralExprSyntax.self) ? Double(text) : nil
    }
}
