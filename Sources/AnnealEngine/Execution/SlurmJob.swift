import AnnealFiles
import Foundation

/// A step's batch job, recorded as `slurm-job.json` in the attempt folder it
/// writes into, so that a later runner can find the job again (and adopt it)
/// if the runner that submitted it died.
public struct SlurmJob: Codable, Equatable, Sendable {
    /// Slurm's job id.
    public var id: String
    public var step: String
    /// The attempt folder the job's `_step` writes its outputs into.
    public var attemptDirectory: String
    /// Where Slurm writes the job's output.
    public var log: String

    public static let fileName = "slurm-job.json"

    public init(id: String, step: String, attemptDirectory: String, log: String) {
        self.id = id
        self.step = step
        self.attemptDirectory = attemptDirectory
        self.log = log
    }

    /// The job recorded in `attemptDirectory`, if one was submitted from there.
    public static func read(attemptDirectory: String) -> SlurmJob? {
        guard let data = FileManager.default.contents(atPath: "\(attemptDirectory)/\(fileName)") else { return nil }
        return try? JSONDecoder().decode(SlurmJob.self, from: data)
    }

    /// Records the job in its attempt folder (temp file + rename).
    public func write() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(encoder.encode(self), to: "\(attemptDirectory)/\(Self.fileName)")
    }
}
