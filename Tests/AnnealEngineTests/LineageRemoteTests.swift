import AnnealEngine
import AnnealLineage
import Foundation
import Testing

/// `anneal push` and `anneal pull`: a team shares run histories through a bare
/// git repository; pulled runs keep their numbers and the next local run follows them.
@Suite struct LineageRemoteTests {
    @Test func historiesTravelThroughABareRemoteBothWays() throws {
        let alice = try LineageTestsWorkspace(), bob = try LineageTestsWorkspace()
        try alice.git(["init", "--bare", "--quiet", "team.git"])
        let remote = alice.path("team.git")
        try alice.writeChainPipeline()
        try alice.run("chain.yaml")
        try alice.run("chain.yaml", params: ["suffix=two"])
        let pushed = try alice.anneal(["push", remote])
        #expect(pushed.status == 0, "\(pushed.output)")
        #expect(pushed.output.contains("chain  new, at "))
        let aliceTip = try #require(try alice.runs.log(pipeline: "chain").first).commit.id
        #expect(try alice.git(["--git-dir", remote, "rev-parse", "refs/anneal/chain"]) == aliceTip.hex)

        let pulled = try bob.anneal(["pull", remote])
        #expect(pulled.status == 0, "\(pulled.output)")
        #expect(try bob.runs.log(pipeline: "chain").map(\.id) == ["chain#2", "chain#1"])
        #expect(try bob.runs.resolve("chain#1").id == alice.runs.resolve("chain#1").id)

        // Bob's next run is #3, on top of Alice's runs; Alice pulls it back.
        try bob.writeChainPipeline()
        let output = try bob.run("chain.yaml", params: ["suffix=three"])
        #expect(output.contains("chain#3 (commit "))
        let bobRun = try bob.runs.run("chain#3")
        #expect(bobRun.commit.parents == [aliceTip])
        #expect(RunCommitMessage(parsing: bobRun.commit.message)?.paramChanges == ["suffix \"two\" -> \"three\""])
        #expect(try bob.anneal(["push", remote]).status == 0)
        let back = try alice.anneal(["pull", remote])
        #expect(back.status == 0)
        #expect(back.output.contains("chain  \(aliceTip.abbreviated())..\(bobRun.commit.id.abbreviated())"))
        #expect(try alice.runs.log(pipeline: "chain").map(\.id) == ["chain#3", "chain#2", "chain#1"])

        // Histories that diverged are refused, and nothing changes.
        try alice.run("chain.yaml", params: ["suffix=four"])
        try bob.run("chain.yaml", params: ["suffix=five"])
        #expect(try bob.anneal(["push", remote]).status == 0)
        let refused = try alice.anneal(["push", remote])
        #expect(refused.status == 1)
        #expect(refused.output.contains("error: "))
        #expect(try alice.git(["--git-dir", remote, "rev-parse", "refs/anneal/chain"]) == bob.runs.resolve("chain").id.hex)
    }

    @Test func pushingWithoutAnyRunSaysSo() throws {
        let ws = try LineageTestsWorkspace()
        try ws.git(["init", "--bare", "--quiet", "team.git"])
        let result = try ws.anneal(["push", ws.path("team.git")])
        #expect(result.status == 1)
        #expect(result.output.contains("no runs are recorded"))
    }
}
