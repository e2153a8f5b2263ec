import AnnealEngine
import Foundation
import Testing

extension SlurmSuite {
    static let oneStep = """
          hello:
            kind: shell
            resources: { cpus: 1 }
            with:
              outputs: { out: out.txt }
              command: echo hello > ${outputs.out}

        """

    @Test func annealExecutorInTheEnvironmentChoosesSlurmAndTheFlagWins() throws {
        try SlurmCluster.require()
        let f = try SlurmFixture()
        try f.writePipeline(Self.oneStep)
        // The flag wins over the environment: a local run submits nothing.
        let local = try f.start(["run", "p.yaml", "--executor", "local"], environment: ["ANNEAL_EXECUTOR": "slurm"])
        local.waitUntilExit()
        #expect(local.terminationStatus == 0, "runner said: \(f.runnerOutput)")
        #expect(try SlurmCluster.jobs(of: f.pipeline).isEmpty)

        try f.writePipeline(Self.oneStep.replacingOccurrences(of: "echo hello", with: "echo hello again"))
        let slurm = try f.start(["run", "p.yaml"], environment: ["ANNEAL_EXECUTOR": "slurm"])
        slurm.waitUntilExit()
        #expect(slurm.terminationStatus == 0, "runner said: \(f.runnerOutput)")
        let jobs = try SlurmCluster.jobs(of: f.pipeline)
        #expect(jobs.count == 1)
        #expect(f.runnerOutput.contains("run     hello (job \(jobs.keys.first ?? "?")): "))
    }

    @Test func anUnknownExecutorInTheEnvironmentIsAnErrorThatSaysWhatToSet() throws {
        try SlurmCluster.require()
        let f = try SlurmFixture()
        try f.writePipeline(Self.oneStep)
        let p = try f.start(["run", "p.yaml"], environment: ["ANNEAL_EXECUTOR": "pbs"])
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(f.runnerOutput.contains("ANNEAL_EXECUTOR is 'pbs'; set it to local or slurm, or unset it"))
        #expect(try SlurmCluster.jobs(of: f.pipeline).isEmpty)
    }
}
