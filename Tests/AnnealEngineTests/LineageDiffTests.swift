import AnnealEngine
import AnnealLineage
import AnnealSpec
import Foundation
import Testing

/// `anneal diff` and `anneal why`: two runs compared name exactly the param that
/// changed and the steps it affected, and why each one's fingerprint moved.
@Suite struct LineageDiffTests {
    @Test func aChangedParamNamesItselfAndTheStepsItReached() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        try ws.run("chain.yaml")
        try ws.run("chain.yaml", params: ["suffix=two"])
        let runs = try ws.runs
        let comparison = try RunComparison(old: runs.run("chain#1"), new: runs.run("chain#2"), repository: runs.repository)
        #expect(comparison.sourceDiff.isEmpty)
        #expect(comparison.params == [ValueLeaves.Change(key: "suffix", old: "\"one\"", new: "\"two\"")])
        #expect(comparison.configs.map(\.step) == ["middle"])
        #expect(comparison.configs.first?.changes.map(\.key) == ["with.env.SUFFIX"])
        #expect(comparison.fingerprints.map(\.step) == ["middle", "final"])
        #expect(comparison.fingerprints[0].reasons == ["with.env.SUFFIX: \"one\" -> \"two\""])
        #expect(comparison.fingerprints[1].reasons.count == 1)
        #expect(comparison.fingerprints[1].reasons.first?.hasPrefix("input inputs.text (middle.out) changed") == true)
        #expect(comparison.outputs.map(\.artifact.description) == ["middle.out", "final.out"])
        #expect(comparison.addedSteps.isEmpty && comparison.removedSteps.isEmpty)

        let cli = try ws.anneal(["diff", "chain#1", "chain#2"])
        #expect(cli.status == 0)
        #expect(cli.output.contains("params:\n  suffix \"one\" -> \"two\"\n"))
        #expect(cli.output.contains("pipeline and recipe files: unchanged"))

        let why = try StepRunExplanation(step: "middle", in: runs.run("chain#2"), runs: runs)
        #expect(why.previousRun?.id == "chain#1")
        #expect(why.differences == ["with.env.SUFFIX: \"one\" -> \"two\""])
        let cached = try StepRunExplanation(step: "source", in: runs.run("chain#2"), runs: runs)
        #expect(cached.step.record.outcome == .cached)
        #expect(cached.previousRun?.id == "chain#1" && cached.differences.isEmpty)
        let first = try StepRunExplanation(step: "final", in: runs.run("chain#1"), runs: runs)
        #expect(first.previousRun == nil)
        let whyCLI = try ws.anneal(["why", "final"])
        #expect(whyCLI.output.contains("final in chain#2"))
        #expect(whyCLI.output.contains("compared with chain#1"))
    }

    @Test func anEditedPipelineFileShowsAsATextDiff() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        try ws.run("chain.yaml")
        try ws.writeChainPipeline(width: 1)
        try ws.run("chain.yaml")
        let runs = try ws.runs
        let comparison = try RunComparison(old: runs.run("chain~1"), new: runs.run("chain"), repository: runs.repository)
        #expect(comparison.sourceDiff.changes.map(\.path) == ["files/chain.yaml"])
        #expect(comparison.sourceDiff.patch.contains("-  width: 3\n+  width: 1\n"))
        #expect(comparison.params.map(\.key) == ["width"])
        #expect(comparison.fingerprints.map(\.step) == ["final"])
        #expect(comparison.outputs.map(\.artifact.description) == ["final.out"])
    }
}
