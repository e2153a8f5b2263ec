import AnnealEngine
import AnnealLineage
import Foundation
import Testing

/// The lineage repository is plain git: after `git gc` has packed its objects and
/// refs, every lookup still works and new runs are recorded on top.
@Suite struct LineageGitGCTests {
    @Test func historyReadsAndGrowsAfterGitGC() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        try ws.run("chain.yaml")
        try ws.run("chain.yaml", params: ["suffix=two"])
        let before = try ws.runs.log(pipeline: "chain").map(\.commit.id)
        try ws.git(["--git-dir", ".anneal/lineage.git", "gc", "--aggressive", "--prune=now", "--quiet"])
        let counts = try ws.git(["--git-dir", ".anneal/lineage.git", "count-objects", "-v"])
        #expect(counts.contains("count: 0\n"), "objects are still loose: \(counts)")
        #expect(FileManager.default.fileExists(atPath: ws.path(".anneal/lineage.git/packed-refs")))

        let runs = try ws.runs
        #expect(try runs.log(pipeline: "chain").map(\.commit.id) == before)
        #expect(try runs.resolve("chain#1").id == before[1])
        let (run, subject) = try runs.locate("final.out", run: "chain#1")
        #expect(try runs.lineage(of: subject, in: run, direction: .upstream).node("source:data/src.txt") != nil)
        let comparison = try RunComparison(old: runs.run("chain#1"), new: runs.run("chain#2"), repository: runs.repository)
        #expect(comparison.params.map(\.key) == ["suffix"])

        try ws.run("chain.yaml", params: ["suffix=three"])
        let after = try ws.runs.log(pipeline: "chain")
        #expect(after.map(\.id) == ["chain#3", "chain#2", "chain#1"])
        #expect(after[0].commit.parents == [before[0]])
        try ws.git(["--git-dir", ".anneal/lineage.git", "fsck", "--strict", "--no-progress"])
    }
}
