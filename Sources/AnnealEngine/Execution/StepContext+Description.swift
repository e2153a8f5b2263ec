import AnnealSpec
import CProcessControl
import Foundation

/// The description file a child process runs one step from: a step's
/// context as JSON. The same entry point can run it on this machine or, later,
/// on another node that shares the workspace.
extension StepContext {
    public var descriptionValue: Value {
        .map([
            "step": .string(step),
            "kind": .string(kind),
            "config": config,
            "outputs": .list(outputs.map { .map(["name": .string($0.name), "path": .string($0.path), "shape": .string($0.shape.rawValue)]) }),
            "output_dir": .string(outputDirectory),
            "work_dir": .string(workDirectory),
            "progress_file": .string(progressFile),
            "metrics_file": .string(metricsFile),
            "inputs": .map(inputs.mapValues { .string($0.description) }),
        ])
    }

    /// Reads a description file written by the runner.
    public init(descriptionFile file: String) throws {
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
                  outputDirectory: out, workDirectory: work, progressFile: progress, metricsFile: metrics,
                  inputs: (v["inputs"]?.map ?? [:]).compactMapValues { reference in
                      reference.string.flatMap { text in
                          text.lastIndex(of: ".").map { ArtifactReference(step: String(text[..<$0]), output: String(text[text.index(after: $0)...])) }
                      }
                  })
    }
}
