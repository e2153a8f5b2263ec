import Foundation

/// Where the test fixtures are once SwiftPM has copied them.
enum FixtureFiles {
    static var root: String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").path
    }

    static func path(_ relative: String) -> String {
        root + "/" + relative
    }
}
