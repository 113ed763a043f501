import Foundation

// Times as the store and the wire carry them: whole milliseconds since the Unix epoch.
// Every conversion here saturates instead of trapping, so no value from a request can crash
// the process through them; where input enters, it is range-checked against
// `InngestLimits.timestamps` and rejected with a message naming the field.

extension Date {
    /// Milliseconds since the Unix epoch, rounded; saturates at `Int64`'s bounds.
    package var milliseconds: Int64 { Int64(saturating: (timeIntervalSince1970 * 1_000).rounded()) }

    package init(milliseconds: Int64) { self.init(timeIntervalSince1970: Double(milliseconds) / 1_000) }

    /// The date `duration` later (earlier when negative).
    package func adding(_ duration: Duration) -> Date {
        addingTimeInterval(duration.timeInterval)
    }
}

extension Duration {
    /// Whole milliseconds, truncated; saturates at `Int64`'s bounds.
    package var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = whole.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if overflow2 { return attoseconds < 0 ? .min : .max }
        return total
    }

    /// Seconds as a `TimeInterval`.
    package var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension Int64 {
    /// The nearest `Int64` to `value` toward zero, clamped to the type's bounds; NaN is zero.
    package init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= 9_223_372_036_854_775_808.0 {  // 2^63: `Double(Int64.max)` rounds up to it
            self = .max
        } else if value <= -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int64(value)
        }
    }
}
