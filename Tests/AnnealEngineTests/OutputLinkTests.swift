@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

/// A step's output that is, or holds, a symbolic link is refused: its content
/// lives outside the store, and following it would let a step make Anneal
/// change (chmod, move) a file outside the workspace.
@Suite struct OutputLinkTests {
    static func pipeline(_ command: String, output: String = "out.txt") -> String {
        """
        name: links
        steps:
          link:
            kind: shell
            with:
              outputs: { o: \(output) }
              command: \(command)
        """
    }

    /// A file outside the workspace, writable by its owner.
    static func outsideFile() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-outside-\(UUID().uuidString)").path
        try "outside\n".write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o644)
        return path
    }

    static func mode(_ path: String) -> mode_t {
        var st = stat()
        stat(path, &st)
        return st.st_mode & 0o777
    }

    @Test func aFileOutputThatIsALinkIsRefusedAndItsTargetUntouched() throws {
        let outside = try Self.outsideFile()
        defer { unlink(outside) }
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline("ln -s \(outside) ${outputs.o}"))
        let record = try f.run()
        let step = try #require(record.steps.first)
        #expect(step.outcome == .failed)
        #expect(step.reasons.contains { $0.contains("is a symbolic link (to \(outside))") }, "\(step.reasons)")
        #expect(Self.mode(outside) == 0o644, "the store must not chmod a file outside the workspace")
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "outside\n")
        let ws = try Workspace(root: f.root)
        #expect(ws.store.allObjects().isEmpty, "nothing was stored")
    }

    @Test func aFolderOutputThatIsALinkIsRefused() throws {
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-outside-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: outside) }
        try "kept\n".write(toFile: outside + "/f", atomically: true, encoding: .utf8)
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline("ln -s \(outside) ${outputs.o}", output: "d/"))
        let record = try f.run()
        let step = try #require(record.steps.first)
        #expect(step.outcome == .failed)
        #expect(step.reasons.contains { $0.contains("is a symbolic link") }, "\(step.reasons)")
        #expect(FileManager.default.fileExists(atPath: outside + "/f"), "the target folder is left alone")
        #expect(Self.mode(outside + "/f") == 0o644)
    }

    @Test func aLinkInsideAFolderOutputIsRefused() throws {
        let outside = try Self.outsideFile()
        defer { unlink(outside) }
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline("mkdir -p ${outputs.o}; echo in > ${outputs.o}/a; ln -s \(outside) ${outputs.o}/b", output: "d/"))
        let record = try f.run()
        let step = try #require(record.steps.first)
        #expect(step.outcome == .failed)
        #expect(step.reasons.contains { $0.contains("is a symbolic link (to \(outside))") }, "\(step.reasons)")
        #expect(Self.mode(outside) == 0o644)
    }

    /// The store itself refuses a link even when asked directly (the runner's
    /// check is not the only guard), and never chmods through it.
    @Test func theStoreNeverFollowsALink() throws {
        let outside = try Self.outsideFile()
        defer { unlink(outside) }
        let f = try EngineFixture()
        let ws = try Workspace(root: f.root)
        let link = f.root + "/l"
        symlink(outside, link)
        #expect(throws: StoreError.self) { try ws.store.ingest(file: link, move: true) }
        #expect(throws: StoreError.self) { try ws.store.ingest(file: link, move: false) }
        #expect(Self.mode(outside) == 0o644)
        #expect(ws.store.allObjects().isEmpty)
    }
}
