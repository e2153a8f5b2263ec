@testable import AnnealEngine
import AnnealLineage
import AnnealSpec
import Foundation
import Testing

/// Every run of a pipeline becomes one commit on refs/anneal/<pipeline>, holding
/// the pipeline and recipes as written, the plan and the run record, with a
/// message naming what changed; runs are found again by `name#n`, `name~k`,
/// `name` and commit prefixes.
@Suite struct LineageHistoryTests {
    @Test func runsWithEditsBecomeAHistoryNewestFirst() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        let originalRecipe = try String(contentsOfFile: ws.path("recipes/append.yaml"), encoding: .utf8)
        try ws.run("chain.yaml")
        let second = try ws.run("chain.yaml", params: ["suffix=two"])
        #expect(second.contains("chain#2 (commit "))
        try ws.write("recipes/append.yaml", originalRecipe + "# the same command, a new comment\n")
        try ws.run("chain.yaml", params: ["suffix=two"])
        try ws.writeChainPipeline(width: 4)
        try ws.write("recipes/append.yaml", originalRecipe + "# the same command, a new comment\n")
        try ws.run("chain.yaml", params: ["suffix=two"])

        let runs = try ws.runs
        let log = try runs.log(pipeline: "chain")
        #expect(log.map(\.id) == ["chain#4", "chain#3", "chain#2", "chain#1"])
        #expect(log.map { $0.message?.paramChanges ?? ["?"] } == [["width 3 -> 4"], [], ["suffix \"one\" -> \"two\""], []])
        #expect(log.map { $0.message?.fileChanges ?? ["?"] } == [["chain.yaml edited"], ["recipes/append.yaml edited"], [], []])
        #expect(log[2].commit.subject == "chain #2: 2 ran, 1 cached; suffix \"one\" -> \"two\"")
        #expect(log[0].commit.subject == "chain #4: 1 ran, 2 cached; width 3 -> 4; chain.yaml edited")
        #expect(log[3].message?.counts == RunCommitMessage.Counts(ran: 3))
        // A comment added to the recipe leaves the resolved plan as it was: all cached,
        // yet the commit holds the recipe's new text.
        #expect(log[1].message?.counts == RunCommitMessage.Counts(ran: 0, cached: 3))
        for (newer, older) in zip(log, log.dropFirst()) {
            #expect(newer.commit.parents == [older.commit.id])
        }
        #expect(log[3].commit.parents.isEmpty)

        #expect(try runs.resolve("chain#2").id == log[2].commit.id)
        #expect(try runs.resolve("chain~2").id == log[2].commit.id)
        #expect(try runs.resolve("chain").id == log[0].commit.id)
        #expect(try runs.resolve(String(log[1].commit.id.hex.prefix(9))).id == log[1].commit.id)
        #expect(throws: LineageQueryError.self) { try runs.resolve("chain#9") }
        #expect(throws: LineageQueryError.self) { try runs.resolve("chian#1") }

        let repository = runs.repository
        let recipeIn = { (n: Int) in
            try repository.readFile(commit: log[4 - n].commit.id, path: "recipes/append.yaml").map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(try recipeIn(2) == originalRecipe)
        #expect(try recipeIn(3) == originalRecipe + "# the same command, a new comment\n")
        let pipelineText = try String(contentsOfFile: ws.path("chain.yaml"), encoding: .utf8)
        #expect(try repository.readFile(commit: log[0].commit.id, path: "pipeline.yaml") == Data(pipelineText.utf8))
        #expect(try repository.readFile(commit: log[0].commit.id, path: "files/chain.yaml") == Data(pipelineText.utf8))
        #expect(try repository.listFiles(commit: log[0].commit.id)
            == ["files/chain.yaml", "pipeline.yaml", "plan.json", "recipes/append.yaml", "run.json"])

        let fourth = try runs.run("chain#4")
        #expect(fourth.number == 4 && fourth.outcome == "succeeded")
        #expect(fourth.params == .map(["suffix": .string("two"), "width": .int(4)]))
        #expect(fourth.steps.map(\.name) == ["source", "middle", "final"])
        #expect(fourth.step(named: "middle")?.recipe == "recipes/append.yaml")
        #expect(fourth.step(named: "final")?.record.outcome == .ran)
        #expect(fourth.step(named: "source")?.record.outcome == .cached)

        let cli = try ws.anneal(["log", "chain"])
        #expect(cli.status == 0)
        #expect(cli.output.split(separator: "\n").dropFirst().map { $0.split(separator: " ").first.map(String.init) }
            == ["chain#4", "chain#3", "chain#2", "chain#1"])
    }

    @Test func aFailedRunIsRecordedAsFailed() throws {
        let ws = try LineageTestsWorkspace()
        try ws.write("broken.yaml", """
            name: broken
            steps:
              fine:
                kind: shell
                with: { outputs: { out: out.txt }, command: "echo ok > ${outputs.out}" }
              bad:
                kind: shell
                with: { inputs: { a: "${fine.out}" }, outputs: { out: out.txt }, command: "exit 3" }

            """)
        let output = try ws.run("broken.yaml", expectStatus: 1)
        #expect(output.contains("broken#1 (commit "))
        let entry = try #require(try ws.runs.log(pipeline: "broken").first)
        #expect(entry.message?.outcome == "failed")
        #expect(entry.commit.subject == "broken #1: 1 ran, 0 cached, 1 failed")
        let run = try ws.runs.run("broken#1")
        #expect(run.step(named: "bad")?.record.outcome == .failed)
        #expect(run.step(named: "bad")?.record.exitStatus != nil)
    }

    @Test func theRecordIsDeterministicAndADryRunIsNotRecorded() throws {
        let ws = try LineageTestsWorkspace()
        try ws.writeChainPipeline()
        let plan = try ws.plan("chain.yaml")
        let started = Date(timeIntervalSince1970: 1_800_000_000)
        var step = StepRecord(name: "source", kind: "shell", outcome: .ran, reasons: ["new step"])
        step.fingerprint = Digest.of("fingerprint")
        let record = RunRecord(pipeline: "chain", number: 1, started: started, ended: started.addingTimeInterval(2),
                               outcome: .succeeded, params: plan.params,
                               steps: [step] + plan.steps.dropFirst().map { StepRecord(name: $0.name, kind: $0.kind, outcome: .skipped, reasons: []) })
        let first = RunCommitTree(run: record, plan: plan, workspaceRoot: ws.root, gitState: nil)
        let second = RunCommitTree(run: record, plan: plan, workspaceRoot: ws.root, gitState: nil)
        #expect(first.files == second.files)
        let planJSON = try JSONReader.parse(String(decoding: try #require(first.files["plan.json"]), as: UTF8.self))
        #expect(planJSON["steps"]?.list?.first?["inputs"]?["inputs.text"]?["path"]?.string == "data/src.txt")
        #expect(planJSON["steps"]?.list?[1]["inputs"]?["inputs.text"]?["step"]?.string == "source")
        #expect(planJSON["sources"]?["recipes"]?.list?.first?["tree"]?.string == "recipes/append.yaml")
        // Two repositories given the same record, author and time hold the same commit.
        let one = try LineageRecorder(workspace: Workspace(root: ws.path("one"))).record(record, plan: plan)
        let two = try LineageRecorder(workspace: Workspace(root: ws.path("two"))).record(record, plan: plan)
        #expect(one == two)

        var dry = record
        dry.outcome = .planned
        #expect(throws: LineageQueryError.self) { try LineageRecorder(workspace: ws.workspace).record(dry, plan: plan) }
        let cli = try ws.anneal(["run", "chain.yaml", "--dry-run"])
        #expect(cli.status == 0)
        #expect(!FileManager.default.fileExists(atPath: ws.path(".anneal/lineage.git")))
    }
}
