import AnnealSpec
import CProcessControl
import Foundation

/// Everything a child process needs to run one step, as a JSON file: the
/// same entry point can run it on this machine or, later, on another node
/// that shares the workspace.
public struct StepDescription: Sendable {
    public var step: String
    public var kind: String
    public var config: Value
    public var outputs: [OutputDeclaration]
    public var outputDirectory: String
    public var workDirectory: String
    public var progressFile: String
    public var metricsFile: String

    public var value: Value {
        .map([
            "step": .string(step),
            "kind": .string(kind),
            "config": config,
            "outputs": .list(outputs.map { .map(["name": .string($0.name), "path": .string($0.path), "shape": .string($0.shape.rawValue)]) }),
            "output_dir": .string(outputDirectory),
            "work_dir": .string(workDirectory),
            "progress_file": .string(progressFile),
            "metrics_file": .string(metricsFile),
        ])
    }

    public init(step: String, kind: String, config: Value, outputs: [OutputDeclaration], outputDirectory: String,
                workDirectory: String, progressFile: String, metricsFile: String) {
        self.step = step
        self.kind = kind
        self.config = config
        self.outputs = outputs
        self.outputDirectory = outputDirectory
        self.workDirectory = workDirectory
        self.progressFile = progressFile
        self.metricsFile = metricsFile
    }

    public init(file: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let v = try JSONReader.parse(text)
        guard let step = v["step"]?.string, let kind = v["kind"]?.string, let config = v["config"],
              let outputs = v["outputs"]?.list, let out = v["output_dir"]?.string, let work = v["work_dir"]?.string,
              let progress = v["progress_file"]?.string, let metrics = v["metrics_file"]?.string else {
            throw StepFailure("\(file) is not a step description")
        }
        self.init(step: step, kind: kind, config: config,
                  outputs: outputs.compactMap { o in
                      guard let n = o["name"]?.string, let p = o["path"]?.string,
                            let s = o["shape"]?.string.flatMap(OutputDeclaration.Shape.init(rawValue:)) else { return nil }
                      return OutputDeclaration(n, path: p, shape: s)
                  },
                  outputDirectory: out, workDirectory: work, progressFile: progress, metricsFile: metrics)
    }

    public var context: StepContext {
        StepContext(step: step, kind: kind, config: config, outputs: outputs, outputDirectory: outputDirectory,
                    workDirectory: workDirectory, progressFile: progressFile, metricsFile: metricsFile)
    }
}

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
        do {
            let description = try StepDescription(file: descriptionFile)
            guard let implementation = implementations[description.kind] else {
                throw StepFailure("this anneal has no step kind '\(description.kind)'")
            }
            try FileManager.default.createDirectory(atPath: description.outputDirectory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: description.workDirectory, withIntermediateDirectories: true)
            for o in description.outputs {
                let parent = ("\(description.outputDirectory)/\(o.path)" as NSString).deletingLastPathComponent
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            }
            try implementation.run(description.context)
            return 0
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
    }
}
