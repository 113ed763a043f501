import InngestCore

/// What changed between two manifests of one app, judged by what it does to runs that are
/// in flight when the new version is deployed.
///
/// Inngest memoizes steps by wire id: a run that started on the old code replays on the new
/// code, and a step whose id disappeared loses its recorded result (it runs again, or the
/// run fails). So a removed or renamed step, a step whose kind changed, a removed function
/// and a changed trigger break in-flight runs; an added function or step does not.
package struct ManifestDiff: Sendable {
    package struct Change: Sendable, Hashable, CustomStringConvertible {
        package var isBreaking: Bool
        package var functionID: String
        package var message: String

        package var description: String {
            "\(isBreaking ? "breaking" : "note"): function \"\(functionID)\": \(message)"
        }
    }

    package var changes: [Change]

    package var breaking: [Change] { changes.filter(\.isBreaking) }
    package var hasBreakingChanges: Bool { changes.contains(where: \.isBreaking) }

    package init(old: Manifest, new: Manifest) {
        var changes: [Change] = []
        if old.appID != new.appID {
            changes.append(Change(isBreaking: true, functionID: "*", message: "the app id changed from \"\(old.appID)\" to \"\(new.appID)\": every function gets a new wire id"))
        }
        let newFunctions = Dictionary(new.functions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let oldIDs = Set(old.functions.map(\.id))
        for oldFunction in old.functions {
            guard let newFunction = newFunctions[oldFunction.id] else {
                changes.append(Change(isBreaking: true, functionID: oldFunction.id, message: "removed; its in-flight runs cannot continue"))
                continue
            }
            changes += Self.compare(oldFunction, newFunction)
        }
        for added in new.functions where !oldIDs.contains(added.id) {
            changes.append(Change(isBreaking: false, functionID: added.id, message: "added"))
        }
        self.changes = changes
    }

    private static func compare(_ old: Manifest.Function, _ new: Manifest.Function) -> [Change] {
        var changes: [Change] = []
        let id = old.id
        if old.triggers != new.triggers {
            changes.append(Change(isBreaking: true, functionID: id, message: "trigger changed from \(describe(old.triggers)) to \(describe(new.triggers))"))
        }
        let newSteps = Dictionary(new.steps.map { ($0.wireID, $0) }, uniquingKeysWith: { first, _ in first })
        let oldWireIDs = Set(old.steps.map(\.wireID))
        let added = new.steps.filter { !oldWireIDs.contains($0.wireID) }
        for (position, step) in old.steps.enumerated() {
            guard let counterpart = newSteps[step.wireID] else {
                // A new step at the same place is most likely the same step, renamed.
                let renamed = position < new.steps.count && added.contains(new.steps[position]) ? new.steps[position] : nil
                let message =
                    renamed.map { "step \"\(step.id)\" was renamed to \"\($0.id)\"; runs that recorded it will run it again" }
                    ?? "step \"\(step.id)\" was removed; runs that recorded it lose its result"
                changes.append(Change(isBreaking: true, functionID: id, message: message))
                continue
            }
            if counterpart.kind != step.kind {
                changes.append(Change(isBreaking: true, functionID: id, message: "step \"\(step.id)\" changed from \(step.kind.rawValue) to \(counterpart.kind.rawValue)"))
            }
        }
        for step in added where !changes.contains(where: { $0.message.contains("renamed to \"\(step.id)\"") }) {
            changes.append(Change(isBreaking: false, functionID: id, message: "step \"\(step.id)\" added"))
        }
        if !old.complete || !new.complete {
            changes.append(
                Change(
                    isBreaking: false, functionID: id,
                    message: "the step list is incomplete (the context is passed to other code or a step id is not a literal): steps the generator cannot see are not compared"))
        }
        return changes
    }

    private static func describe(_ triggers: [InngestCore.Trigger]) -> String {
        if triggers.isEmpty { return "none" }
        return triggers.map { trigger in
            switch trigger.kind {
            case .event(let name, let expression): return "event \"\(name)\"" + (expression.map { " if \($0)" } ?? "")
            case .cron(let schedule, let jitter): return "cron \"\(schedule)\"" + (jitter.map { " jitter \($0)" } ?? "")
            }
        }.joined(separator: ", ")
    }
}
