import Foundation

// `swift run inngest-demo`: see Demo.swift.
exit(await Demo.run())
