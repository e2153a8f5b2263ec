@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

extension SlurmSuite {
    /// Four shell steps: two independent, one joining them, one after it.
    static let diamond = """
          a:
            kind: shell
            resources: { cpus: 1 }
            with:
              outputs: { out: out.txt }
              command: echo alpha > ${outputs.out}
          b:
            kind: shell
            resources: { cpus: 1 }
            with:
              outputs: { out: out.txt, dir: d/ }
              command: mkdir -p ${outputs.dir} && echo beta > ${outputs.out} && echo "cpus $ANNEAL_CPUS" > ${outputs.dir}/cpus
          join:
            kind: shell
            resources: { cpus: 1 }
            with:
              inputs: { a: "${a.out}", b: "${b.out}" }
              outputs: { out: out.txt }
              command: cat ${inputs.a} ${inputs.b} > ${outputs.out}
          last:
            kind: shell
            resources: { cpus: 1 }
            with:
              inputs: { j: "${join.out}" }
              outputs: { out: out.txt }
              command: wc -l < ${inputs.j} > ${outputs.out}

        """

    @Test func pipelineThroughSlurmMatchesALocalRunAndIsCachedTheSecondTime() throws {
        try SlurmCluster.require()
        let local = try SlurmFixture()
        try local.writePipeline(Self.diamond)
        let expected = try local.run(LocalExecutor())
        #expect(expected.outcome == .succeeded)

        let f = try SlurmFixture()
        try f.writePipeline(Self.diamond)
        let executor = SlurmExecutor(pipeline: f.pipeline)
        let record = try f.run(executor)
        #expect(record.outcome == .succeeded)
        #expect(record.ranSlurmSteps == ["a", "b", "join", "last"])
        // Same bytes: every output has the digest of the local run's.
        for step in ["a", "b", "join", "last"] {
            #expect(record.step(step)?.outputs == expected.step(step)?.outputs, "outputs of \(step)")
        }
        #expect(try f.outputs(record)["join.out"] == "alpha\nbeta\n")
        #expect(try f.outputs(record)["last.out"]?.trimmingCharacters(in: .whitespacesAndNewlines) == "2")
        // The job label is recorded, and every job it names is one this executor submitted.
        let labels = Set(record.steps.compactMap(\.job))
        #expect(labels == Set(executor.submitted.map { "job \($0)" }))
        #expect(executor.submitted.count == 4)
        #expect(try SlurmCluster.jobs(of: f.pipeline).count == 4)
        // CPU time and peak memory come from the step's own exit record.
        #expect(record.steps.allSatisfy { $0.peakMemoryBytes > 0 })

        let again = SlurmExecutor(pipeline: f.pipeline)
        let second = try f.run(again)
        #expect(second.outcome == .succeeded)
        #expect(second.steps.allSatisfy { $0.outcome == .cached })
        #expect(again.submitted.isEmpty)
        #expect(try SlurmCluster.jobs(of: f.pipeline).count == 4)
    }

    @Test func resourcesBecomeBatchOptionsAndChangingThemRerunsNothing() throws {
        try SlurmCluster.require()
        let f = try SlurmFixture()
        let step = { (cpus: Int, time: String) in """
              sized:
                kind: shell
                resources: { cpus: \(cpus), time: \(time), partition: debug, memory: 100M }
                with:
                  outputs: { out: out.txt }
                  command: echo "$ANNEAL_CPUS" > ${outputs.out}

            """ }
        try f.writePipeline(step(2, "5m"))
        let executor = SlurmExecutor(pipeline: f.pipeline)
        let record = try f.run(executor)
        #expect(record.outcome == .succeeded)
        let id = try #require(executor.submitted.first)
        let job = try SlurmCluster.show(job: id)
        #expect(job["NumCPUs"] == "2")
        #expect(job["TimeLimit"] == "00:05:00")
        #expect(job["Partition"] == "debug")
        #expect(job["JobName"] == "anneal-\(f.pipeline)-sized")
        #expect(job["MinMemoryNode"] == "100M")
        // The step saw the cores Slurm granted.
        #expect(try f.outputs(record)["sized.out"] == "2\n")

        try f.writePipeline(step(1, "1h"))
        let again = SlurmExecutor(pipeline: f.pipeline)
        let second = try f.run(again)
        #expect(second.step("sized")?.outcome == .cached)
        #expect(again.submitted.isEmpty)
        #expect(try SlurmCluster.jobs(of: f.pipeline).count == 1)
    }
}

extension RunRecord {
    /// Steps that ran as jobs, sorted.
    var ranSlurmSteps: [String] { steps.filter { $0.outcome == .ran && $0.job != nil }.map(\.name).sorted() }
}
