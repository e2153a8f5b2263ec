import AnnealEngine
import AnnealLineage
import AnnealSpec
import Foundation
import Testing

/// `anneal lineage`: an artifact traced through three steps down to the source
/// file's digest and the recipe's blob id, and everything derived from a step's output.
@Suite struct LineageGraphTests {
    @Test func upstreamOfTheLastOutputReachesTheSourceFileAndTheRecipe() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        try ws.run("chain.yaml")
        let runs = try ws.runs
        let (run, subject) = try runs.locate("final.out")
        #expect(subject == .artifact(ArtifactReference(step: "final", output: "out")))
        let graph = try runs.lineage(of: subject, in: run, direction: .upstream)

        let sourceDigest = Digest.of(try Data(contentsOf: URL(fileURLWithPath: ws.path("data/src.txt"))))
        let source = try #require(graph.node("source:data/src.txt"))
        #expect(source.digest == sourceDigest.hex)
        let chain = ["source:data/src.txt", "step:source", "artifact:source.out", "step:middle", "artifact:middle.out",
                     "step:final", "artifact:final.out"]
        for (from, to) in zip(chain, chain.dropFirst()) {
            #expect(graph.edges.contains { $0.from == from && $0.to == to }, "no edge \(from) -> \(to)")
        }
        #expect(graph.edges.first { $0.to == "step:middle" && $0.from == "artifact:source.out" }?.label == "inputs.text")
        // Each artifact's digest is the one the producing step recorded.
        #expect(graph.node("artifact:middle.out")?.digest == run.step(named: "middle")?.record.outputs["out"]?.digest.hex)
        let recipeBlob = try ws.git(["--git-dir", ".anneal/lineage.git", "rev-parse", "\(run.commit.id.hex):recipes/append.yaml"])
        #expect(graph.node("recipe:recipes/append.yaml")?.digest == recipeBlob)
        #expect(graph.pipelineBlob == (try ws.git(["--git-dir", ".anneal/lineage.git", "rev-parse", "\(run.commit.id.hex):files/chain.yaml"])))
        #expect(Set(graph.nodes.map(\.id)) == Set(chain + ["recipe:recipes/append.yaml"]))

        let dot = LineageGraphFormat.dot.render(graph)
        #expect(dot.contains("\"source:data/src.txt\" -> \"step:source\" [label=\"inputs.text\"];"))
        let text = LineageGraphFormat.text.render(graph)
        #expect(text.contains("data/src.txt  sha256 \(sourceDigest.hex)"))
        #expect(text.contains("recipes/append.yaml  blob \(recipeBlob)"))

        // The same artifact found by a prefix of its digest, in the CLI too.
        let digest = try #require(run.step(named: "final")?.record.outputs["out"]?.digest)
        let (_, byDigest) = try runs.locate(String(digest.hex.prefix(12)))
        #expect(byDigest == subject)
        let cli = try ws.anneal(["lineage", String(digest.hex.prefix(12)), "--format", "json"])
        #expect(cli.status == 0)
        let json = try JSONReader.parse(cli.output)
        #expect(json["subject"]?.string == "final.out")
        #expect(json["nodes"]?.list?.count == chain.count + 1)

        let shown = try ws.anneal(["show", "final.out"])
        #expect(shown.status == 0)
        let middle = try #require(run.step(named: "middle")?.record.outputs["out"]?.digest)
        #expect(shown.output.contains("sha256 \(digest.hex)  file, "))
        #expect(shown.output.contains("made by step final (shell v1), ran in that run"))
        #expect(shown.output.contains("inputs.text: middle.out  sha256 \(middle.hex)"))
        #expect(shown.output.contains("files: \(try ws.workspace.store.path(of: digest))"))
    }

    @Test func downstreamOfTheFirstOutputListsEverythingMadeFromIt() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        try ws.run("chain.yaml")
        let runs = try ws.runs
        let (run, subject) = try runs.locate("source.out")
        let graph = try runs.lineage(of: subject, in: run, direction: .downstream)
        #expect(graph.nodes.map(\.id) == ["artifact:source.out", "step:middle", "artifact:middle.out", "step:final", "artifact:final.out"])
        let fromStep = try runs.lineage(of: .step("middle"), in: run, direction: .downstream)
        #expect(fromStep.nodes.map(\.id) == ["step:middle", "artifact:middle.out", "step:final", "artifact:final.out"])
        let mermaid = LineageGraphFormat.mermaid.render(graph)
        #expect(mermaid.hasPrefix("flowchart LR\n"))
        #expect(mermaid.contains("n0 -->|inputs.text| n1"))

        let unknown = try ws.anneal(["lineage", "nosuch.out"])
        #expect(unknown.status == 1)
        #expect(unknown.output.contains("error: no recorded run has a step, output or output digest 'nosuch.out'"))
    }
}
