import Foundation

/// The demo's only way to the terminal. Lines are written unbuffered, so a step narrating
/// from an engine task, the scenario's own lines and the closing error on stderr appear
/// in the order they happened, also when the output is piped.
enum Console {
    static func line(_ text: String = "") {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
