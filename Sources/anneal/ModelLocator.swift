import AnnealEngine
import AnnealSpec
import ArgumentParser
import Foundation

/// Turns what a person names as a model into its folder: a directory path,
/// a step of the last run (`sft`, its `model` output), an output reference
/// (`sft.model`, `${sft.model}`), or either of those in a recorded run (`--run tiny-chat#3`).
enum ModelLocator {
    static func folder(_ name: String, run runName: String?, pipeline: String?, workspace: WorkspaceOptions) throws -> String {
        var isDirectory: ObjCBool = false
        if runName == nil, FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory), isDirectory.boolValue {
            return name
        }
        var reference = name
        if reference.hasPrefix("${") && reference.hasSuffix("}") { reference = String(reference.dropFirst(2).dropLast()) }
        // Step names may hold dots inside a matrix instance ('dpo[beta=0.1]'): split after the last ']'.
        let tail = reference.lastIndex(of: "]").map { reference.index(after: $0) } ?? reference.startIndex
        var step = reference, output = "model"
        if let dot = reference[tail...].lastIndex(of: ".") {
            step = String(reference[..<dot])
            output = String(reference[reference.index(after: dot)...])
        }
        let ws = try workspace.open()
        let artifact: StoredArtifact?
        if let runName {
            let recorded = try LineageFailure.reporting { try RecordedRuns(workspace: ws).run(runName) }
            artifact = recorded.output(ArtifactReference(step: step, output: output))
            if artifact == nil, recorded.step(named: step) == nil {
                DiagnosticPrinter.write("error: run \(recorded.id) has no step '\(step)'\n")
                throw ExitCode(1)
            }
        } else {
            artifact = try StepLookup.find(step, pipeline: pipeline, in: ws).1.outputs[output]
        }
        guard let artifact else {
            DiagnosticPrinter.write("error: step '\(step)' has no output '\(output)' recorded; run the pipeline first, or name a model folder\n")
            throw ExitCode(1)
        }
        return try ws.store.readablePath(artifact)
    }
}
