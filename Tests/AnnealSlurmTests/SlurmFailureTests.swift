@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

extension SlurmSuite {
    @Test func aFailingJobFailsItsStepWithItsLogTailAndItsDependentsAreNeverSubmitted() throws {
        try SlurmCluster.require()
        let f = try SlurmFixture()
        try f.writePipeline("""
              broken:
                kind: shell
                resources: { cpus: 1 }
                with:
                  outputs: { out: out.txt }
                  command: echo "reading the shards"; echo "shard 7 is corrupt" >&2; exit 3
              after:
                kind: shell
                resources: { cpus: 1 }
                with:
                  inputs: { x: "${broken.out}" }
                  outputs: { out: out.txt }
                  command: cp ${inputs.x} ${outputs.out}

            """)
        let executor = SlurmExecutor(pipeline: f.pipeline)
        let record = try f.run(executor)
        #expect(record.outcome == .failed)
        let broken = try #require(record.step("broken"))
        #expect(broken.outcome == .failed)
        // The shell kind reports the command's status in the log and ends `_step` with status 1.
        #expect(broken.exitStatus == 1)
        #expect(broken.reasons.contains { $0.contains("exit status 1") })
        let log = try String(contentsOfFile: try #require(broken.log), encoding: .utf8)
        #expect(log.contains("shard 7 is corrupt"))
        #expect(log.contains("the command ended with exit status 3"))
        #expect(log.contains("Slurm job \(executor.submitted[0]) ended FAILED (ExitCode 1:0)"))
        #expect(record.step("after")?.outcome == .skipped)
        #expect(executor.submitted.count == 1)
        #expect(try SlurmCluster.jobs(of: f.pipeline).count == 1)
        // A failed step is never cached: the next run submits it again.
        let again = SlurmExecutor(pipeline: f.pipeline)
        #expect(try f.run(again).step("broken")?.outcome == .failed)
        #expect(again.submitted.count == 1)
    }
}
