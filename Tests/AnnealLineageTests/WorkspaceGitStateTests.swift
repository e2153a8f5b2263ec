import AnnealLineage
import Foundation
import Testing

@Suite struct WorkspaceGitStateTests {
    /// A workspace that is a git repository with one commit on `main`.
    private func committedWorkspace(_ fixture: LineageFixture) throws -> String {
        let workspace = fixture.path("workspace")
        try fixture.git(["init", "--quiet", workspace])
        try fixture.write("name: tiny-chat\n", to: "workspace/pipelines/chat.yaml")
        try fixture.write("runs/\n", to: "workspace/.gitignore")
        try fixture.git(["add", "."], in: workspace)
        try fixture.git(["commit", "--quiet", "-m", "first"], in: workspace)
        return workspace
    }

    @Test func aDirectoryOutsideAnyRepositoryHasNoState() throws {
        let fixture = try LineageFixture()
        try FileManager.default.createDirectory(atPath: fixture.path("plain"), withIntermediateDirectories: true)
        #expect(try WorkspaceGitState.probe(directory: fixture.path("plain")) == nil)
    }

    @Test func aMissingDirectoryIsAnErrorNotAnAnswer() throws {
        let fixture = try LineageFixture()
        let error = try #require(throws: LineageError.self) {
            try WorkspaceGitState.probe(directory: fixture.path("no-such-workspace"))
        }
        #expect(error.kind == .invalidArgument)
        #expect(error.message.contains("no-such-workspace"))
    }

    @Test func aCleanTreeIsCleanAndNamesHeadAndBranch() throws {
        let fixture = try LineageFixture()
        let workspace = try committedWorkspace(fixture)
        // A run's own output: ignored files and Anneal's folder do not make the tree dirty.
        try fixture.write("weights", to: "workspace/runs/model.bin")
        _ = try LineageRepository(at: workspace + "/.anneal/lineage.git")
        let state = try #require(try WorkspaceGitState.probe(directory: workspace))
        #expect(!state.isDirty)
        #expect(state.changedPaths.isEmpty)
        #expect(state.branch == "main")
        #expect(state.head?.hex == (try fixture.git(["rev-parse", "HEAD"], in: workspace)))
        #expect(state.repositoryRoot.hasSuffix("/workspace"))
    }

    @Test func modifiedStagedAndUntrackedFilesMakeItDirty() throws {
        let fixture = try LineageFixture()
        let workspace = try committedWorkspace(fixture)
        try fixture.write("name: tiny-chat-2\n", to: "workspace/pipelines/chat.yaml")
        var state = try #require(try WorkspaceGitState.probe(directory: workspace))
        #expect(state.isDirty && state.changedPaths == ["pipelines/chat.yaml"])

        try fixture.git(["checkout", "--quiet", "--", "."], in: workspace)
        try fixture.write("kind: sft\n", to: "workspace/recipes/sft.yaml")
        state = try #require(try WorkspaceGitState.probe(directory: workspace))
        #expect(state.isDirty && state.changedPaths == ["recipes/"])

        try fixture.git(["add", "recipes"], in: workspace)
        state = try #require(try WorkspaceGitState.probe(directory: workspace))
        #expect(state.isDirty && state.changedPaths == ["recipes/sft.yaml"])

        // With nothing excluded, Anneal's own folder counts like any other.
        try fixture.git(["commit", "--quiet", "-m", "recipes"], in: workspace)
        _ = try LineageRepository(at: workspace + "/.anneal/lineage.git")
        #expect(try WorkspaceGitState.probe(directory: workspace)?.isDirty == false)
        #expect(try WorkspaceGitState.probe(directory: workspace, excluding: [])?.changedPaths == [".anneal/"])
    }

    @Test func aSubdirectoryFindsTheRepositoryAbove() throws {
        let fixture = try LineageFixture()
        let workspace = try committedWorkspace(fixture)
        let state = try #require(try WorkspaceGitState.probe(directory: workspace + "/pipelines"))
        #expect(state.branch == "main")
        #expect(!state.isDirty)
    }

    @Test func detachedAndUnbornHeadsAreReported() throws {
        let fixture = try LineageFixture()
        let workspace = try committedWorkspace(fixture)
        let head = try fixture.git(["rev-parse", "HEAD"], in: workspace)
        try fixture.git(["checkout", "--quiet", "--detach"], in: workspace)
        let detached = try #require(try WorkspaceGitState.probe(directory: workspace))
        #expect(detached.isDetached && detached.head?.hex == head)

        let fresh = fixture.path("fresh")
        try fixture.git(["init", "--quiet", fresh])
        let unborn = try #require(try WorkspaceGitState.probe(directory: fresh))
        #expect(unborn.head == nil && unborn.branch == "main" && !unborn.isDirty)
    }
}
