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
        // The runner may have died before the line above took effect.
        if let runner = ProcessInfo.processInfo.environment["ANNEAL_RUNNER_PID"].flatMap(Int32.init), getppid() != runner {
            return 143
        }
        signal(SIGTERM) { _ in
            signal(SIGTERM, SIG_IGN)
            killpg(getpgrp(), SIGTERM)
            _exit(143)
        }
        let status = runStep(descriptionFile: descriptionFile, implementations: implementations)
        // Says that the step ended, and how, where a runner that did not watch this
        // process (a cluster job whose runner died) finds it; see StepExitRecord.
        try? StepExitRecord.current(status: status).write(attemptDirectory: (descriptionFile as NSString).deletingLastPathComponent)
        return status
    }

    static func runStep(descriptionFile: String, implementations: [String: any StepImplementation]) -> Int32 {
        do {
            let description = try StepContext(descriptionFile: descriptionFile)
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
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
    }
}
