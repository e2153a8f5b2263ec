import AnnealFiles
import Foundation

/// How a `_step` process ended, written by the process itself as `exit.json`
/// in its attempt folder just before it exits. A runner that did not watch the
/// step (a cluster job whose runner died) reads it to learn that the step
/// finished and how; it also carries the step's CPU time and peak memory,
/// which a cluster scheduler without accounting does not report.
public struct StepExitRecord: Codable, Equatable, Sendable {
    /// The step's exit status (0: every output was written).
    public var status: Int32
    /// User + system CPU seconds of the step and the processes it waited for.
    public var cpuSeconds: Double
    /// The largest resident set of the step or of one process it waited for.
    public var peakMemoryBytes: Int

    public static let fileName = "exit.json"

    public init(status: Int32, cpuSeconds: Double, peakMemoryBytes: Int) {
        self.status = status
        self.cpuSeconds = cpuSeconds
        self.peakMemoryBytes = peakMemoryBytes
    }

    /// This process's own usage so far, with `status`.
    public static func current(status: Int32) -> StepExitRecord {
        var own = rusage()
        var children = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &own)
        getrusage(RUSAGE_CHILDREN.rawValue, &children)
        #else
        getrusage(RUSAGE_SELF, &own)
        getrusage(RUSAGE_CHILDREN, &children)
        #endif
        func seconds(_ u: rusage) -> Double {
            Double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + Double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6
        }
        return StepExitRecord(status: status, cpuSeconds: seconds(own) + seconds(children),
                              peakMemoryBytes: max(own.ru_maxrss, children.ru_maxrss) * 1024)
    }

    /// The record in `attemptDirectory`, or nil if the step has not ended there
    /// (or was killed before it could write one).
    public static func read(attemptDirectory: String) -> StepExitRecord? {
        guard let data = FileManager.default.contents(atPath: "\(attemptDirectory)/\(fileName)") else { return nil }
        return try? JSONDecoder().decode(StepExitRecord.self, from: data)
    }

    /// Writes the record into `attemptDirectory` (temp file + rename).
    public func write(attemptDirectory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(encoder.encode(self), to: "\(attemptDirectory)/\(Self.fileName)", durability: .scratch)
    }

    /// How the step ended, as the runner's executors report it.
    public var termination: ChildProcess.Termination {
        ChildProcess.Termination(exitStatus: status, signal: nil, cpuSeconds: cpuSeconds, peakMemoryBytes: peakMemoryBytes)
    }
}
