import AnnealEngine
import ArgumentParser
import Foundation

/// Where the workspace (`.anneal/`) is.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .customLong("workspace"), help: ArgumentHelp("The project folder holding .anneal/ (default: the current folder).", valueName: "dir"))
    var directory: String = "."

    func open() throws -> Workspace {
        do {
            return try Workspace(root: directory)
        } catch {
            DiagnosticPrinter.write("error: cannot open the workspace in \(directory): \(error)\n")
            throw ExitCode(1)
        }
    }
}

/// The path of the running anneal binary, for child processes.
enum SelfExecutable {
    static var path: String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        let arg = CommandLine.arguments[0]
        return arg.hasPrefix("/") ? arg : FileManager.default.currentDirectoryPath + "/" + arg
    }
}
