import AnnealEngine
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

extension InterruptFlag {
    /// After an interrupt: saves a checkpoint with `checkpoint` and stops the
    /// step with an error that says how to continue.
    static func stopIfRaised(at position: Int, unit: String, checkpoint: () throws -> Void) throws {
        guard isRaised else { return }
        try checkpoint()
        throw StepFailure("interrupted at \(unit) \(position); checkpoint saved, run again to continue")
    }
}
