import AnnealFiles
import AnnealSpec
import CProcessControl
import Foundation

/// The child side: runs one step from its description file.
public enum StepEntryPoint {
    nonisolated(unsafe) static var terminating = false

    /// Runs the step and returns the process exit status. The child dies with
    /// its runner: the kernel sends it SIGTERM when the runner dies, and it
    /// then ends its whole process group.
    public static func run(descriptionFile: String, implementations: [String: any StepImplementation]) -> Int32 {
        _ = anneal_set_parent_death_signal(SIGTERM)
        restoreBLASThreads()
        // The runner may have died before the line above took effect.
        let runner = ProcessInfo.processInfo.environment[runnerVariable].flatMap(Int32.init)
        if let runner, getppid() != runner {
            return 143
        }
        signal(SIGTERM) { _ in
            signal(SIGTERM, SIG_IGN)
            killpg(getpgrp(), SIGTERM)
            _exit(143)
        }
        let status = runStep(descriptionFile: descriptionFile, implementations: implementations)
        // Says that the step ended, and how, where a runner that does not watch this
        // process (a cluster job, whose runner may even have died) finds it; see
        // StepExitRecord. A local runner is this process's parent and reaps it.
        if runner == nil {
            try? StepExitRecord.current(status: status).write(attemptDirectory: (descriptionFile as NSString).deletingLastPathComponent)
        }
        return status
    }

    /// The runner's pid, set by a local runner for the steps it starts and
    /// watches; a cluster job runs without it.
    static let runnerVariable = "ANNEAL_RUNNER_PID"

    static let blasThreadsMarker = "ANNEAL_SET_OPENBLAS_NUM_THREADS"

    /// OpenBLAS starts its worker threads when the library loads, before any
    /// code of ours runs, one per core unless OPENBLAS_NUM_THREADS says
    /// otherwise; a step that never multiplies a matrix (a shell step) paid for
    /// them at every start. The runner therefore starts a step with
    /// OPENBLAS_NUM_THREADS set to its cores (training steps raise it later to
    /// their thread count, which OpenBLAS allows), unless the user set it.
    public static func limitBLASThreads(_ environment: inout [String: String], cpus: Int) {
        guard environment["OPENBLAS_NUM_THREADS"] == nil else { return }
        environment["OPENBLAS_NUM_THREADS"] = String(max(1, cpus))
        environment[blasThreadsMarker] = "1"
    }

    /// Takes back what `limitBLASThreads` set, once OpenBLAS has read it, so
    /// the step's own commands see the user's environment.
    static func restoreBLASThreads() {
        guard getenv(blasThreadsMarker) != nil else { return }
        unsetenv("OPENBLAS_NUM_THREADS")
        unsetenv(blasThreadsMarker)
    }

    static func runStep(descriptionFile: String, implementations: [String: any StepImplementation]) -> Int32 {
        var outputDirectory: String?
        do {
            let description = try StepContext(descriptionFile: descriptionFile)
            outputDirectory = description.outputDirectory
            guard let implementation = implementations[description.kind] else {
                throw StepFailure("this anneal has no step kind '\(description.kind)'")
            }
            try FileManager.default.createDirectory(atPath: description.outputDirectory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: description.workDirectory, withIntermediateDirectories: true)
            for o in description.outputs {
                let parent = ("\(description.outputDirectory)/\(o.path)" as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            }
            try implementation.run(description)
            return 0
        } catch {
            // Partial outputs go first: on a full disk they hold the space the
            // message below needs to reach the log.
            if let outputDirectory { try? FileManager.default.removeItem(atPath: outputDirectory) }
            // A raw, checked write: FileHandle.write traps when the log's disk is full.
            try? FileSync.writeAll(STDERR_FILENO, Data("error: \(error)\n".utf8), path: "standard error")
            return 1
        }
    }
}
