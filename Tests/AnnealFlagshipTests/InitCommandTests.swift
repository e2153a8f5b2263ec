import Foundation
import Testing

/// `anneal init` writes a project whose pipeline validates, and never overwrites one.
@Suite struct InitCommandTests {
    @Test func writesAProjectThatValidatesAndRefusesToOverwrite() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-init-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let first = try SmokeRun.anneal(["init", dir], in: FileManager.default.temporaryDirectory.path)
        #expect(first.status == 0, "anneal init failed: \(first.output)")
        for file in ["README.md", "pipelines/my-model.yaml", "recipes/my-sft.yaml", "pipelines/data/corpus.jsonl"] {
            #expect(FileManager.default.fileExists(atPath: "\(dir)/\(file)"), "no \(file)")
        }
        let validate = try SmokeRun.anneal(["validate", "my-model"], in: dir)
        #expect(validate.status == 0 && validate.output.contains("ok, 5 steps"), "\(validate.output)")
        let readme = try String(contentsOfFile: "\(dir)/README.md", encoding: .utf8)
        #expect(readme.contains("What to edit"))
        let again = try SmokeRun.anneal(["init", dir], in: dir)
        #expect(again.status == 1 && again.output.contains("already has"), "\(again.output)")
    }
}
