import AnnealEngine
import Foundation
import Testing

extension SlurmSuite {
    @Test func ctrlCOnTheRunnerCancelsEveryJobItSubmitted() throws {
        try SlurmCluster.require()
        let f = try SlurmFixture()
        // Three one-core jobs on a two-core node: two run, one waits in the queue.
        let sleeper = { (name: String) in """
              \(name):
                kind: shell
                resources: { cpus: 1 }
                with:
                  outputs: { out: out.txt }
                  command: sleep 300; echo \(name) > ${outputs.out}

            """ }
        try f.writePipeline(sleeper("one") + sleeper("two") + sleeper("three"))
        let runner = try f.start(["run", "p.yaml", "--executor", "slurm", "-j", "8"])
        defer { if runner.isRunning { kill(runner.processIdentifier, SIGKILL) } }
        let submitted = try SlurmCluster.wait(30) {
            try SlurmCluster.jobs(of: f.pipeline).count == 3
                && SlurmCluster.jobs(of: f.pipeline).values.contains("RUNNING")
        }
        #expect(submitted, "three jobs were not submitted; runner said: \(f.runnerOutput)")
        kill(runner.processIdentifier, SIGINT)
        #expect(SlurmCluster.wait(20) { !runner.isRunning }, "the runner did not stop after Ctrl-C")
        runner.waitUntilExit()
        #expect(runner.terminationStatus == 130, "runner said: \(f.runnerOutput)")
        #expect(try SlurmCluster.activeJobs(of: f.pipeline).isEmpty)
        #expect(try SlurmCluster.jobs(of: f.pipeline).values.allSatisfy { $0 == "CANCELLED" })
        #expect(f.runnerOutput.contains("interrupted"))
    }
}
