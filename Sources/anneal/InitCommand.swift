import ArgumentParser
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a small project to start from: a pipeline, a recipe, a little data and a README that says what to edit.",
        discussion: """
            DIR (default: the current folder) gets pipelines/my-model.yaml, recipes/my-sft.yaml, pipelines/data/ and \
            README.md. Nothing that exists is overwritten: if any of these files is there, nothing is written. \
            Then: anneal run my-model
            """)

    @Argument(help: ArgumentHelp("The project folder (created if missing).", valueName: "dir"))
    var directory: String = "."

    func run() throws {
        let files = ProjectTemplate.files
        let existing = files.keys.filter { FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent($0)) }.sorted()
        if !existing.isEmpty {
            DiagnosticPrinter.write("error: \(directory) already has \(existing.joined(separator: ", "))\n"
                                    + "  hint: give an empty or new folder (anneal init DIR), or move these files away\n")
            throw ExitCode(1)
        }
        for (relative, text) in files.sorted(by: { $0.key < $1.key }) {
            let path = (directory as NSString).appendingPathComponent(relative)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            let temporary = path + ".tmp-\(getpid())"
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                unlink(temporary)
                DiagnosticPrinter.write("error: cannot write \(path): \(String(cString: strerror(errno)))\n  hint: check that the folder is writable\n")
                throw ExitCode(1)
            }
            print("wrote \(path)")
        }
        print("next: cd \(directory) && anneal run my-model   (README.md says what to edit)")
    }
}
