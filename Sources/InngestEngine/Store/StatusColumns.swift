import GRDB

// Statuses are written as their raw values. Rows are read back with `init(rawValue:)` rather
// than GRDB's conversion, which traps on a value it cannot convert: a damaged file must not
// take the process down.
extension RunStatus: DatabaseValueConvertible {}
extension StepStatus: DatabaseValueConvertible {}
