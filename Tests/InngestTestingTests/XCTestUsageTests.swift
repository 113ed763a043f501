import Inngest
import InngestTesting
import XCTest

/// The kit works from XCTest too: its failures are thrown errors that describe themselves.
final class XCTestUsageTests: XCTestCase {
    func testARunAndItsTimelineFromXCTest() async throws {
        let environment = try await TestEnvironment(functions: [Examples.activation])
        let run = try await environment.execute(Examples.activation, event: Event(SignedUp(userID: "u3")))
        XCTAssertEqual(try run.expectCompleted(as: String.self), "reminded")
        XCTAssertThrowsError(try run.expectFailed()) { error in
            XCTAssertTrue(String(describing: error).contains("waitForEvent \"wait-for-post\" completed"), "\(error)")
        }
    }
}
