import AnnealEngine
import AnnealLineage
import AnnealSpec
import Foundation
import Testing

/// `anneal checkout`: an old run's outputs copied out of the store; outputs whose
/// objects are gone name the steps to rerun.
@Suite struct LineageCheckoutTests {
    @Test func outputsOfAnOldRunAreCopiedAndMissingOnesNamed() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        try ws.run("chain.yaml")
        try ws.run("chain.yaml", params: ["suffix=two"])
        let runs = try ws.runs
        let first = try runs.run("chain#1")
        let checkout = try RunCheckout(run: first, steps: nil, to: ws.path("old"), store: ws.workspace.store)
        #expect(checkout.missing.isEmpty)
        #expect(checkout.written.map(\.artifact.description) == ["source.out", "middle.out", "final.out"])
        #expect(try String(contentsOfFile: ws.path("old/final/out"), encoding: .utf8) == "ALPHA\nBETA\none\nend\n")
        // A copy, not a link into the store.
        var info = stat()
        #expect(stat(ws.path("old/final/out"), &info) == 0 && info.st_nlink == 1)
        #expect(throws: LineageQueryError.self) {
            try RunCheckout(run: first, steps: ["final"], to: ws.path("old"), store: ws.workspace.store)
        }

        let middle = try #require(first.step(named: "middle")?.record.outputs["out"])
        try ws.workspace.store.remove(middle.digest)
        let partial = try RunCheckout(run: first, steps: nil, to: ws.path("partial"), store: ws.workspace.store)
        #expect(partial.missing.map(\.description) == ["middle.out"])
        #expect(partial.stepsToRerun == ["middle"])
        #expect(partial.written.map(\.artifact.description) == ["source.out", "final.out"])
        let cli = try ws.anneal(["checkout", "chain#1", "middle", "--to", ws.path("cli")])
        #expect(cli.status == 1)
        #expect(cli.output.contains("rerun these steps of chain#1 to make them again: middle"))
    }
}
