import AnnealLineage
import Foundation
import Testing

@Suite struct DiffTests {
    private func twoRuns(_ fixture: LineageFixture) throws -> (LineageRepository, CommitID, CommitID) {
        let repository = try fixture.repository()
        let ref = "refs/anneal/tiny-chat"
        let old = try repository.commit(ref: ref, files: LineageFixture.runFiles(1, learningRate: "0.0001"),
                                        message: "run 1", author: LineageFixture.author(1))
        var files = LineageFixture.runFiles(2, learningRate: "0.0003")
        files["recipes/dpo.yaml"] = Data("kind: dpo\n".utf8)
        files["plan.json"] = nil
        let new = try repository.commit(ref: ref, files: files, message: "run 2", author: LineageFixture.author(2))
        return (repository, old, new)
    }

    @Test func patchTextNamesTheChangedLine() throws {
        let fixture = try LineageFixture()
        let (repository, old, new) = try twoRuns(fixture)
        let diff = try repository.diff(from: old, to: new)
        #expect(diff.patch.contains("diff --git a/recipes/sft.yaml b/recipes/sft.yaml"))
        #expect(diff.patch.contains("-  lr: 0.0001\n"))
        #expect(diff.patch.contains("+  lr: 0.0003\n"))
        // The same text git prints for the two commits.
        let git = try fixture.git(["--git-dir", fixture.path("lineage.git"), "diff", old.hex, new.hex])
        #expect(diff.patch == git + "\n")
    }

    @Test func changesListEachFileWithHowItChanged() throws {
        let fixture = try LineageFixture()
        let (repository, old, new) = try twoRuns(fixture)
        let changes = try repository.diff(from: old, to: new).changes
        #expect(changes.map(\.path) == ["plan.json", "recipes/dpo.yaml", "recipes/sft.yaml", "run.json"])
        #expect(changes.map(\.change) == [.deleted, .added, .modified, .modified])
        let sft = try #require(changes.first { $0.path == "recipes/sft.yaml" })
        #expect(sft.additions == 1 && sft.deletions == 1)
        #expect(sft.patch.contains("+  lr: 0.0003"))
        #expect(!sft.isBinary)
    }

    @Test func pathFilterKeepsOnlyMatchingFiles() throws {
        let fixture = try LineageFixture()
        let (repository, old, new) = try twoRuns(fixture)
        let recipes = try repository.diff(from: old, to: new, paths: ["recipes"])
        #expect(recipes.changes.map(\.path) == ["recipes/dpo.yaml", "recipes/sft.yaml"])
        #expect(!recipes.patch.contains("run.json"))
        #expect(try repository.diff(from: old, to: new, paths: ["*.json"]).changes.map(\.path) == ["plan.json", "run.json"])
        #expect(try repository.diff(from: new, to: new).isEmpty)
    }

    @Test func diffFromNothingAddsEveryFile() throws {
        let fixture = try LineageFixture()
        let (repository, old, _) = try twoRuns(fixture)
        let diff = try repository.diff(from: nil, to: old, contextLines: 0)
        #expect(diff.changes.allSatisfy { $0.change == .added })
        #expect(diff.changes.count == 4)
        let error = try #require(throws: LineageError.self) { try repository.diff(from: nil, to: old, contextLines: -1) }
        #expect(error.kind == .invalidArgument)
    }
}
