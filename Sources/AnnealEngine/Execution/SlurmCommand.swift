import Foundation

/// Runs one of Slurm's client programs (`sbatch`, `squeue`, `scontrol`,
/// `scancel`) and returns what it printed. A query that a Ctrl-C on the
/// terminal kills half-way only fails: the runner asks again at its next poll.
public enum SlurmCommand {
    /// Runs `program arguments` with `environment` (default: this process's),
    /// returning its standard output; throws with its standard error when it
    /// cannot start or exits non-zero.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String],
                           environment: [String: String]? = nil) throws -> String {
        guard let path = executablePath(program) else {
            throw StepFailure("'\(program)' is not on PATH: install Slurm's client tools (Debian: apt-get install slurm-client) "
                              + "or run with --executor local")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw StepFailure("could not start \(path): \(error)")
        }
        // Slurm's clients print at most a few lines on standard error, far less than a
        // pipe holds, so reading the two pipes one after the other cannot block.
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: outputData, as: UTF8.self)
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let message = String(decoding: errorData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw StepFailure("\(program) \(arguments.joined(separator: " ")) failed (exit status \(process.terminationStatus))"
                              + (message.isEmpty ? "" : ": \(message)"))
        }
        return text
    }

    /// The full path of `program` on PATH, or nil.
    public static func executablePath(_ program: String) -> String? {
        if program.contains("/") { return FileManager.default.isExecutableFile(atPath: program) ? program : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
