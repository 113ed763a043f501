import Foundation
import Inngest
import InngestEngine

extension Engine {
    /// Lets `duration` pass on `clock` (this engine's), stopping at every timer on the way and
    /// settling there, so timers fire in order and what each starts runs at its own time.
    package func letTimePass(_ duration: Duration, on clock: TestClock) async {
        await settle()
        let target = clock.now().adding(duration)
        while true {
            let next = nextTimerDate.map { min(max($0, clock.now()), target) } ?? target
            clock.advance(to: next)
            await settle()
            if next >= target { break }
        }
    }
}
