import Foundation

/// A job's state as `squeue -t all` prints it (`%T`), and whether the job has
/// ended for good. A requeued job goes back to PENDING, so only these states
/// end a step.
public enum SlurmJobState {
    /// States after which Slurm runs the job no more (unless someone requeues it by hand).
    public static let final: Set<String> = ["COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY",
                                            "NODE_FAIL", "BOOT_FAIL", "DEADLINE", "PREEMPTED", "SPECIAL_EXIT"]

    /// Whether a job in `state` has ended.
    public static func isFinal(_ state: String) -> Bool { final.contains(state) }

    /// States of a job waiting in the queue; a job that ran and is in one of
    /// these again was requeued.
    public static let queued: Set<String> = ["PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED"]

    /// The `Key=Value` fields of `scontrol show job -o`, as key → value.
    public static func fields(scontrolLine: String) -> [String: String] {
        var out: [String: String] = [:]
        for field in scontrolLine.split(whereSeparator: { $0 == " " || $0.isNewline }) {
            guard let eq = field.firstIndex(of: "=") else { continue }
            out[String(field[..<eq])] = String(field[field.index(after: eq)...])
        }
        return out
    }

    /// `ExitCode=N:S` of `scontrol show job -o` as (exit status, signal).
    public static func exitCode(scontrolLine: String) -> (status: Int32, signal: Int32)? {
        guard let field = fields(scontrolLine: scontrolLine)["ExitCode"] else { return nil }
        let parts = field.split(separator: ":")
        guard parts.count == 2, let status = Int32(parts[0]), let signal = Int32(parts[1]) else { return nil }
        return (status, signal)
    }
}
