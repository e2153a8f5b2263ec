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
        // A parent may have started us with these blocked; Ctrl-C must work.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    static func restore() {
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
