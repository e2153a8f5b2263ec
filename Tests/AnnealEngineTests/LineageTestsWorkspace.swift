import AnnealEngine
import AnnealLineage
import AnnealSpec
import AnnealSteps
import AnnealTestSupport
import Foundation

/// A throwaway project folder for the lineage tests: pipelines run for real with
/// the built `anneal` binary (each step a child `anneal _step`), which records every
/// run in `.anneal/lineage.git`; `git` runs as a process to cross-check it.
final class LineageTestsWorkspace {
    let root: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/anneal-lineage-tests-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw LineageTestsFailure("mkdtemp failed: errno \(errno)") }
        // realpath: libgit2 and the workspace compare canonical paths.
        root = URL(fileURLWithPath: String(cString: made)).resolvingSymlinksInPath().path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The package's root folder, found upward from this file.
    static var packageRoot: String { PackagePaths.root }

    static var anneal: String { PackagePaths.anneal }

    func path(_ relative: String) -> String { "\(root)/\(relative)" }

    /// `chain.yaml`: source (reads data/src.txt) -> middle (from recipes/append.yaml,
    /// appends ${params.suffix}) -> final (keeps ${params.width} lines, adds one), with its data and recipe.
    func writeChainPipeline(width: Int = 3) throws {
        try write("chain.yaml", """
            name: chain
            params:
              suffix: one
              width: \(width)
            steps:
              source:
                kind: shell
                with:
                  inputs: { text: data/src.txt }
                  outputs: { out: out.txt }
                  command: tr 'a-z' 'A-Z' < ${inputs.text} > ${outputs.out}
              middle:
                recipe: recipes/append.yaml
                with:
                  inputs: { text: "${source.out}" }
                  env: { SUFFIX: "${params.suffix}" }
              final:
                kind: shell
                with:
                  inputs: { text: "${middle.out}" }
                  outputs: { out: out.txt }
                  command: head -n ${params.width} ${inputs.text} > ${outputs.out}; echo end >> ${outputs.out}

            """)
        try write("recipes/append.yaml", """
            kind: shell
            with:
              outputs: { out: out.txt }
              command: cat ${inputs.text} > ${outputs.out}; echo "$SUFFIX" >> ${outputs.out}

            """)
        try write("data/src.txt", "alpha\nbeta\n")
    }

    func write(_ relative: String, _ text: String) throws {
        let file = path(relative)
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
    }

    var workspace: Workspace { get throws { try Workspace(root: root) } }

    func plan(_ file: String, params: [String] = []) throws -> Plan {
        var overrides = ParamOverrides()
        for p in params { try overrides.add(assignment: p) }
        return try Compiler(catalog: StepKinds.catalog).compile(path: path(file), overrides: overrides)
    }

    /// Runs `anneal run FILE` in a child process, as a person would, and returns its
    /// exit status and output. (Not the engine in this process: the runner reaps any
    /// child, so two runners in one test process could take each other's children.)
    @discardableResult
    func run(_ file: String, params: [String] = [], expectStatus: Int32 = 0) throws -> String {
        let result = try anneal(["run", file, "-j", "2"] + params.flatMap { ["-p", $0] })
        guard result.status == expectStatus else {
            throw LineageTestsFailure("anneal run \(file) exited \(result.status), not \(expectStatus):\n\(result.output)")
        }
        return result.output
    }

    var runs: RecordedRuns { get throws { try RecordedRuns(workspace: workspace) } }

    /// Runs `anneal ARGUMENTS` in the workspace, its output in files (no pipe to fill up).
    @discardableResult
    func anneal(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try Self.runProcess(Self.anneal, arguments, in: root, environment: environment)
    }

    /// Runs git with a fixed identity and no user or system config, returning its output.
    @discardableResult
    func git(_ arguments: [String], in directory: String? = nil) throws -> String {
        let result = try Self.runProcess("/usr/bin/env", ["git", "-c", "user.name=Ada Tester", "-c", "user.email=ada@example.com",
                                                          "-c", "init.defaultBranch=main", "-c", "gc.auto=0"] + arguments,
                                         in: directory ?? root, environment: ["GIT_CONFIG_NOSYSTEM": "1", "HOME": root])
        guard result.status == 0 else { throw LineageTestsFailure("git \(arguments.joined(separator: " ")) failed: \(result.output)") }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts `anneal ARGUMENTS` without waiting, output appended to `log`, with no
    /// signal blocked (a test thread may block SIGINT, and a child would inherit that).
    func startAnneal(_ arguments: [String], log: String) throws -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["PWD"] = root
        return try ChildProcess.spawn(["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", root, Self.anneal] + arguments,
                                      log: log, environment: environment)
    }

    static func runProcess(_ executable: String, _ arguments: [String], in directory: String,
                           environment: [String: String]) throws -> (status: Int32, output: String) {
        let log = NSTemporaryDirectory() + "/anneal-lineage-tests-output-\(UUID().uuidString)"
        defer { unlink(log) }
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, (try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
    }
}
