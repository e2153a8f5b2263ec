import AnnealFiles
import AnnealSpec
import AnnealSteps
import ArgumentParser
import Foundation

/// The pipeline argument and param overrides shared by the commands that compile.
struct PipelineOptions: ParsableArguments {
    @Argument(help: "The pipeline file, or a name looked up as pipelines/NAME.yaml.")
    var pipeline: String

    @Option(name: [.customShort("p"), .customLong("param")],
            help: ArgumentHelp("Override a param: NAME=VALUE (dotted names reach nested params; the value is typed like the param's).",
                               valueName: "name=value"))
    var params: [String] = []

    @Option(name: .customLong("params"), help: ArgumentHelp("A YAML file of param values to apply.", valueName: "file"))
    var paramsFiles: [String] = []

    /// The file the pipeline argument names.
    var path: String {
        if FileManager.default.fileExists(atPath: pipeline) { return pipeline }
        for candidate in ["pipelines/\(pipeline).yaml", "pipelines/\(pipeline).yml", "\(pipeline).yaml"]
        where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        return pipeline
    }

    /// Compiles the pipeline, printing diagnostics; exits 1 on any error.
    func compile() throws -> Plan {
        do {
            var overrides = ParamOverrides()
            for file in paramsFiles { try overrides.add(file: file) }
            for assignment in params { try overrides.add(assignment: assignment) }
            let plan = try Compiler(catalog: StepKinds.catalog).compile(path: path, overrides: overrides)
            DiagnosticPrinter.print(plan.warnings)
            return plan
        } catch let error as DiagnosticError {
            DiagnosticPrinter.print(error.diagnostics)
            let errors = error.errors.count
            DiagnosticPrinter.write("\(path): \(errors) error\(errors == 1 ? "" : "s")\n")
            throw ExitCode(1)
        }
    }
}

/// Writes diagnostics to standard error, the way compilers do.
enum DiagnosticPrinter {
    static func print(_ diagnostics: [Diagnostic]) {
        for d in diagnostics { write(d.description + "\n") }
    }

    static func write(_ text: String) {
        // Checked and ignored: FileHandle.write traps when stderr is a file on a full disk.
        try? FileSync.writeAll(STDERR_FILENO, Data(text.utf8), path: "standard error")
    }
}
