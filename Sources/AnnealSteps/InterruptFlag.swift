#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Remembers a Ctrl-C (SIGINT) or SIGTERM so a training loop can finish the
/// step it is in, save a checkpoint and stop, instead of dying mid-write.
enum InterruptFlag {
    nonisolated(unsafe) private static var raised: sig_atomic_t = 0

    /// Routes SIGINT and SIGTERM to the flag (once per process is enough).
    static func install() {
        signal(SIGINT) { _ in InterruptFlag.raised = 1 }
        signal(SIGTERM) { _ in InterruptFlag.raised = 1 }
    }

    /// Whether an interrupt arrived since `install`.
    static var isRaised: Bool { raised != 0 }
}
