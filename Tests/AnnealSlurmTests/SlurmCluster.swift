import AnnealEngine
import Foundation
import Testing

/// The Slurm cluster the tests submit to: the one `SLURM_CONF` (or
/// /etc/slurm/slurm.conf) names, for example the single-node cluster of
/// `bash scripts/slurm-ci.sh start`. Without one the tests are skipped on a
/// developer's machine, and fail when `CI=true`.
enum SlurmCluster {
    /// Why no cluster answers, or nil when one does; asked once per test run.
    static let problem: String? = {
        do {
            try SlurmExecutor.checkReachable()
            return nil
        } catch {
            return "\(error)"
        }
    }()

    static var reachable: Bool { problem == nil }

    static var onCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether the Slurm tests run: a cluster answers, or this is CI (where they must).
    static var shouldRun: Bool { reachable || onCI }

    /// Throws, failing the test, when no cluster answers.
    static func require() throws {
        if let problem { throw StepFailure(problem) }
    }

    /// Jobs of `pipeline` that Slurm knows (queued, running or ended within MinJobAge), as id → state.
    static func jobs(of pipeline: String) throws -> [String: String] {
        let prefix = SlurmBatchOptions.jobName(pipeline: pipeline, step: "")
        let output = try SlurmCommand.run("squeue", ["-h", "-t", "all", "-o", "%i|%j|%T"])
        var out: [String: String] = [:]
        for line in output.split(whereSeparator: \.isNewline) {
            let f = line.split(separator: "|").map(String.init)
            if f.count == 3, f[1].hasPrefix(prefix) { out[f[0]] = f[2] }
        }
        return out
    }

    /// Jobs of `pipeline` still queued, running or completing.
    static func activeJobs(of pipeline: String) throws -> [String: String] {
        try jobs(of: pipeline).filter { !SlurmJobState.isFinal($0.value) }
    }

    /// `scontrol show job -o ID` as key → value.
    static func show(job id: String) throws -> [String: String] {
        SlurmJobState.fields(scontrolLine: try SlurmCommand.run("scontrol", ["show", "job", "-o", id]))
    }

    /// A time as `scontrol show job` prints it (`2026-11-26T20:06:29`, local time).
    static func date(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = .current
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.date(from: text)
    }

    /// Waits up to `timeout` seconds for `condition`; returns whether it came true.
    static func wait(_ timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if try condition() { return true }
            usleep(100_000)
        }
        return try condition()
    }

    /// Cancels every job of `pipeline`, so no test leaves work behind.
    static func cancelAll(of pipeline: String) {
        guard let ids = try? activeJobs(of: pipeline).keys, !ids.isEmpty else { return }
        _ = try? SlurmCommand.run("scancel", Array(ids))
    }
}
