import AnnealLineage
import Foundation

/// A private temporary directory for one test, removed when the test ends, with
/// shortcuts to make lineage repositories, record runs and run the git CLI (which
/// the tests use only to cross-check what libgit2 wrote).
final class LineageFixture {
    let directory: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/anneal-lineage-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw FixtureError("mkdtemp failed: errno \(errno)") }
        directory = String(cString: made)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func repository(_ name: String = "lineage.git") throws -> LineageRepository {
        try LineageRepository(at: path(name))
    }

    /// A fixed author at `1_700_000_000 + second`, so commit ids are reproducible.
    static func author(_ second: Int = 0) -> CommitAuthor {
        CommitAuthor(name: "Ada Tester", email: "ada@example.com", time: 1_700_000_000 + Int64(second), offsetMinutes: 60)
    }

    static func runFiles(_ run: Int, learningRate: String = "0.0001") -> [String: Data] {
        [
            "pipeline.yaml": Data("name: tiny-chat\nsteps:\n  sft:\n    recipe: recipes/sft.yaml\n".utf8),
            "recipes/sft.yaml": Data("kind: sft\nwith:\n  lr: \(learningRate)\n  epochs: 3\n".utf8),
            "plan.json": Data("{\n  \"steps\": [\"sft\"]\n}\n".utf8),
            "run.json": Data("{\n  \"run\": \(run)\n}\n".utf8),
        ]
    }

    /// Records `count` runs on `ref`, numbered from `first`, and returns their ids in order.
    @discardableResult
    static func recordRuns(_ count: Int, on ref: String = "refs/anneal/tiny-chat", in repository: LineageRepository,
                           first: Int = 1) throws -> [CommitID] {
        try (first..<(first + count)).map { run in
            try repository.commit(ref: ref, files: runFiles(run), message: "tiny-chat #\(run): 1 ran",
                                  author: author(run))
        }
    }

    /// Runs the git CLI with a fixed identity and no user or system configuration,
    /// returning its standard output without the final newline.
    @discardableResult
    func git(_ arguments: [String], in workingDirectory: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Ada Tester", "-c", "user.email=ada@example.com",
                             "-c", "init.defaultBranch=main"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory ?? directory)
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = directory
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["GIT_CONFIG_GLOBAL"] = "/dev/null"
        process.environment = environment
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw FixtureError("git \(arguments.joined(separator: " ")) failed: \(String(decoding: errData, as: UTF8.self))")
        }
        var text = String(decoding: outData, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    func write(_ text: String, to relativePath: String) throws {
        let url = URL(fileURLWithPath: path(relativePath))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
