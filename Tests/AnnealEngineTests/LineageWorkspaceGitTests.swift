import AnnealEngine
import AnnealSpec
import Foundation
import Testing

/// A workspace inside a git working tree: each run records the tree's HEAD, its
/// branch, and whether it had uncommitted changes (and which).
@Suite struct LineageWorkspaceGitTests {
    @Test func aDirtyTreeIsRecordedAsDirty() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        try ws.write(".gitignore", "runs/\n")
        try ws.git(["init", "--quiet"])
        try ws.git(["add", "-A"])
        try ws.git(["commit", "--quiet", "-m", "pipeline"])
        let head = try ws.git(["rev-parse", "HEAD"])
        try ws.run("chain.yaml")
        try ws.write("data/src.txt", "alpha\nbeta\ngamma\n")
        try ws.run("chain.yaml")

        let runs = try ws.runs
        let clean = try runs.run("chain#1").workspaceGit
        #expect(clean["head"]?.string == head)
        #expect(clean["branch"]?.string == "main")
        #expect(clean["dirty"]?.bool == false)
        let dirty = try runs.run("chain#2").workspaceGit
        #expect(dirty["head"]?.string == head)
        #expect(dirty["dirty"]?.bool == true)
        #expect(dirty["changed_paths"]?.list == [.string("data/src.txt")])

        let shown = try ws.anneal(["show", "chain#2"])
        #expect(shown.output.contains("workspace git: main at \(head.prefix(10)), dirty (1 changed path)"))
    }

    @Test func outsideGitTheRecordSaysSo() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        try ws.run("chain.yaml")
        #expect(try ws.runs.run("chain#1").workspaceGit == .null)
    }
}
