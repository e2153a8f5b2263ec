@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

extension SlurmSuite {
    /// `slow` runs for a couple of seconds, long enough to kill its runner while it runs.
    static let slowThenFast = """
          slow:
            kind: shell
            resources: { cpus: 1 }
            with:
              outputs: { out: out.txt }
              command: sleep 2; echo slow > ${outputs.out}
          fast:
            kind: shell
            resources: { cpus: 1 }
            with:
              inputs: { s: "${slow.out}" }
              outputs: { out: out.txt }
              command: cat ${inputs.s} > ${outputs.out}; echo fast >> ${outputs.out}

        """

    /// Starts a runner, waits until `slow` runs as a job, and kills the runner with SIGKILL; returns the job id.
    func killRunnerWhileSlowRuns(_ f: SlurmFixture) throws -> String {
        let runner = try f.start(["run", "p.yaml", "--executor", "slurm", "-j", "8"])
        defer { if runner.isRunning { kill(runner.processIdentifier, SIGKILL); runner.waitUntilExit() } }
        let running = try SlurmCluster.wait(30) { try SlurmCluster.jobs(of: f.pipeline).values.contains("RUNNING") }
        #expect(running, "slow never ran; runner said: \(f.runnerOutput)")
        kill(runner.processIdentifier, SIGKILL)
        runner.waitUntilExit()
        let jobs = try SlurmCluster.jobs(of: f.pipeline)
        #expect(jobs.count == 1)
        return try #require(jobs.keys.first)
    }

    @Test func aJobThatFinishedAfterItsRunnerDiedIsAdoptedNotResubmitted() throws {
        try SlurmCluster.require()
        let f = try SlurmFixture()
        try f.writePipeline(Self.slowThenFast)
        let id = try killRunnerWhileSlowRuns(f)
        #expect(try SlurmCluster.wait(30) { try SlurmCluster.jobs(of: f.pipeline)[id] == "COMPLETED" })

        let executor = SlurmExecutor(pipeline: f.pipeline)
        let record = try f.run(executor)
        #expect(record.outcome == .succeeded)
        #expect(record.step("slow")?.outcome == .ran)
        #expect(record.step("slow")?.job == "job \(id), adopted")
        #expect(try f.outputs(record)["fast.out"] == "slow\nfast\n")
        // Only `fast` was submitted; the adopted result was stored and is now cached.
        #expect(executor.submitted.count == 1)
        #expect(try SlurmCluster.jobs(of: f.pipeline).count == 2)
        let log = try String(contentsOfFile: try #require(record.step("slow")?.log), encoding: .utf8)
        #expect(log.contains("adopted the finished result of Slurm job \(id)"))
        let again = SlurmExecutor(pipeline: f.pipeline)
        #expect(try f.run(again).steps.allSatisfy { $0.outcome == .cached })
        #expect(again.submitted.isEmpty)
    }

    @Test func aJobStillRunningAfterItsRunnerDiedIsWatchedToItsEnd() throws {
        try SlurmCluster.require()
        let f = try SlurmFixture()
        try f.writePipeline(Self.slowThenFast)
        let id = try killRunnerWhileSlowRuns(f)
        #expect(try SlurmCluster.jobs(of: f.pipeline)[id] == "RUNNING")

        let executor = SlurmExecutor(pipeline: f.pipeline)
        let record = try f.run(executor)
        #expect(record.outcome == .succeeded)
        #expect(record.step("slow")?.job == "job \(id), adopted")
        #expect(try f.outputs(record)["fast.out"] == "slow\nfast\n")
        #expect(executor.submitted.count == 1)
        #expect(try SlurmCluster.jobs(of: f.pipeline).count == 2)
    }

    @Test func aFailedEarlierAttemptIsNotAdopted() throws {
        try SlurmCluster.require()
        let f = try SlurmFixture()
        // Fails the first time it runs, succeeds the second: a marker file outside the work folder counts attempts.
        try f.writePipeline("""
              flaky:
                kind: shell
                resources: { cpus: 1 }
                with:
                  outputs: { out: out.txt }
                  command: if [ -e \(f.root)/tried ]; then echo ok > ${outputs.out}; else touch \(f.root)/tried; exit 4; fi

            """)
        let first = SlurmExecutor(pipeline: f.pipeline)
        #expect(try f.run(first).step("flaky")?.outcome == .failed)
        let second = SlurmExecutor(pipeline: f.pipeline)
        let record = try f.run(second)
        #expect(record.step("flaky")?.outcome == .ran)
        #expect(second.submitted.count == 1)
        #expect(try f.outputs(record)["flaky.out"] == "ok\n")
    }
}
