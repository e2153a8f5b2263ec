import Foundation

/// Ctrl-C (SIGINT) and SIGTERM for the runner: the first asks running steps
/// to stop, the second kills them.
public enum Interruption {
    nonisolated(unsafe) static var count: Int32 = 0

    static func install() {
        count = 0
        let handler: @convention(c) (Int32) -> Void = { _ in Interruption.count += 1 }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }

    static func restore() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
