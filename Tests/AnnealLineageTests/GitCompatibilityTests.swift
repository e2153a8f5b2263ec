import AnnealLineage
import Foundation
import Testing

@Suite struct GitCompatibilityTests {
    @Test func aRepositoryPackedByGitGcStillReadsAndWrites() throws {
        let fixture = try LineageFixture()
        let gitDir = fixture.path("lineage.git")
        let ids = try LineageFixture.recordRuns(5, in: fixture.repository())
        try LineageFixture.recordRuns(2, on: "refs/anneal/base", in: fixture.repository())

        try fixture.git(["--git-dir", gitDir, "gc", "--aggressive", "--prune=now", "--quiet"])
        let packedRefs = try String(contentsOfFile: gitDir + "/packed-refs", encoding: .utf8)
        #expect(packedRefs.contains("refs/anneal/tiny-chat"))
        #expect(!FileManager.default.fileExists(atPath: gitDir + "/refs/anneal/tiny-chat"))
        #expect(try fixture.git(["--git-dir", gitDir, "count-objects", "-v"]).contains("count: 0"))

        // A fresh instance, as the next `anneal` process would open it.
        let repository = try LineageRepository(at: gitDir)
        #expect(try repository.history(ref: "refs/anneal/tiny-chat").map(\.id) == ids.reversed())
        #expect(try repository.readFile(commit: ids[2], path: "run.json") == LineageFixture.runFiles(3)["run.json"])
        #expect(try repository.resolve(revision: ids[1].abbreviated()) == ids[1])
        #expect(try repository.diff(from: ids[0], to: ids[4]).changes.map(\.path) == ["run.json"])

        let next = try repository.commit(ref: "refs/anneal/tiny-chat", files: LineageFixture.runFiles(6),
                                         message: "tiny-chat #6: after gc", author: LineageFixture.author(6))
        #expect(try repository.history(ref: "refs/anneal/tiny-chat", limit: 2).map(\.id) == [next, ids[4]])
        #expect(try repository.refs().count == 2)
        #expect(try fixture.git(["--git-dir", gitDir, "log", "-1", "--format=%s", "refs/anneal/tiny-chat"]) == "tiny-chat #6: after gc")
        try fixture.git(["--git-dir", gitDir, "fsck", "--strict"])
    }

    @Test func commitsWrittenByGitAreReadable() throws {
        let fixture = try LineageFixture()
        let gitDir = fixture.path("lineage.git")
        let repository = try fixture.repository()
        let first = try LineageFixture.recordRuns(1, in: repository)[0]
        // Another tool extends the history with plain git plumbing.
        let tree = try fixture.git(["--git-dir", gitDir, "rev-parse", "\(first.hex)^{tree}"])
        let made = try fixture.git(["--git-dir", gitDir, "commit-tree", tree, "-p", first.hex, "-m", "by git"])
        try fixture.git(["--git-dir", gitDir, "update-ref", "refs/anneal/tiny-chat", made, first.hex])
        let history = try repository.history(ref: "refs/anneal/tiny-chat")
        #expect(history.map(\.id.hex) == [made, first.hex])
        #expect(history[0].subject == "by git")
        let next = try LineageFixture.recordRuns(1, in: repository, first: 2)[0]
        #expect(try repository.summary(of: next).parents.map(\.hex) == [made])
    }
}
