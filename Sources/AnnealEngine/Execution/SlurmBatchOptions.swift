import AnnealSpec
import Foundation

/// The `sbatch` options for one step: its name, its log, and its `resources:`
/// in Slurm's spelling. Resources only shape the request; they are never part
/// of a step's fingerprint, so changing them reruns nothing.
public struct SlurmBatchOptions: Equatable, Sendable {
    public var jobName: String
    public var log: String
    public var resources: Resources
    /// The cores the runner granted the step (`resources.cpus`, or all of `-j` for a kind that
    /// uses every core): what the job asks Slurm for and what the step is told in `ANNEAL_CPUS`.
    public var cpus: Int
    public var workingDirectory: String

    public init(jobName: String, log: String, resources: Resources, cpus: Int, workingDirectory: String) {
        self.jobName = jobName
        self.log = log
        self.resources = resources
        self.cpus = cpus
        self.workingDirectory = workingDirectory
    }

    /// `anneal-<pipeline>-<step>`, with characters Slurm tools display badly
    /// (spaces, brackets of matrix instances, `=`) replaced by `_`.
    public static func jobName(pipeline: String, step: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        return "anneal-" + String("\(pipeline)-\(step)".map { allowed.contains($0) ? $0 : "_" })
    }

    /// The options, before the batch script's path.
    public var arguments: [String] {
        var out = ["--parsable", "--job-name=\(jobName)", "--output=\(log)", "--open-mode=append",
                   "--chdir=\(workingDirectory)", "--requeue", "--export=ALL",
                   "--cpus-per-task=\(max(1, cpus))"]
        if let memory = resources.memory { out.append("--mem=\(memory)") }
        if let time = resources.time { out.append("--time=\(Self.slurmTime(time))") }
        if let gpus = resources.gpus, gpus > 0 { out.append("--gres=gpu:\(gpus)") }
        if let partition = resources.partition { out.append("--partition=\(partition)") }
        if let account = resources.account { out.append("--account=\(account)") }
        return out
    }

    /// A time limit in Slurm's syntax: `45s` → `0:45`, `30m` → `30`, `4h` →
    /// `4:00:00`, `2d` → `2-00:00:00`; Slurm's own forms (`90`, `1-00:00:00`) pass through.
    public static func slurmTime(_ time: String) -> String {
        guard let unit = time.last, "smhd".contains(unit), let n = Int(time.dropLast()) else { return time }
        switch unit {
        case "s": return "0:\(n)"
        case "m": return "\(n)"
        case "h": return "\(n):00:00"
        default: return "\(n)-00:00:00"
        }
    }
}
