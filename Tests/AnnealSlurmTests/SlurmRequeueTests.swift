@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

extension SlurmSuite {
    /// Counts to 16 and checkpoints each count in its work folder; records where each start began.
    static let counting = """
          count:
            kind: shell
            resources: { cpus: 1 }
            with:
              outputs: { out: out.txt, starts: starts.txt }
              command: |
                i=$(cat "$ANNEAL_WORK_DIR/i" 2>/dev/null || echo 0)
                echo "start $i" >> "$ANNEAL_WORK_DIR/starts"
                while [ "$i" -lt 16 ]; do
                  i=$((i + 1)); sleep 0.25
                  echo $i > "$ANNEAL_WORK_DIR/i.tmp" && mv "$ANNEAL_WORK_DIR/i.tmp" "$ANNEAL_WORK_DIR/i"
                done
                echo $i > ${outputs.out}; cp "$ANNEAL_WORK_DIR/starts" ${outputs.starts}

        """

    /// Slurm holds a requeued job (Reason=BeginTime) until the job credential
    /// slurmd revoked when it killed the first run has expired: cred_expire + 1 s,
    /// 11 s on the CI cluster. The test lets Slurm start the job again itself.
    /// It used to force the start (`scontrol update StartTime=now`); when the
    /// new launch fell in the same second as the revocation, slurmd refused it
    /// ("Job N already killed, do not launch batch job") and Slurm ended the
    /// job FAILED with ExitCode 1:0, in about one run out of four.
    @Test func aRequeuedJobContinuesFromItsLastCheckpoint() throws {
        try SlurmCluster.require()
        let f = try SlurmFixture()
        try f.writePipeline(Self.counting)
        let runner = try f.start(["run", "p.yaml", "--executor", "slurm", "-j", "8"])
        defer { if runner.isRunning { kill(runner.processIdentifier, SIGKILL); runner.waitUntilExit() } }
        let work = "\(f.root)/.anneal/work"
        func checkpoint() -> Int {
            let folders = (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []
            return folders.compactMap { try? String(contentsOfFile: "\(work)/\($0)/i", encoding: .utf8) }
                .compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }.max() ?? 0
        }
        #expect(SlurmCluster.wait(30) { checkpoint() >= 4 }, "the step never counted to 4; runner said: \(f.runnerOutput)")
        let id = try #require(try SlurmCluster.jobs(of: f.pipeline).keys.first)
        try SlurmCommand.run("scontrol", ["requeue", id])
        #expect(try SlurmCluster.wait(10) { try SlurmCluster.show(job: id)["JobState"] == "PENDING" })
        let held = try SlurmCluster.show(job: id)
        #expect(held["Reason"] == "BeginTime")
        #expect(held["Restarts"] == "1")
        let hold = max(0, held["StartTime"].flatMap(SlurmCluster.date)?.timeIntervalSinceNow ?? 0)
        #expect(SlurmCluster.wait(hold + 60) { !runner.isRunning }, "the runner did not finish; it said: \(f.runnerOutput)")
        runner.waitUntilExit()
        #expect(runner.terminationStatus == 0, "runner said: \(f.runnerOutput)")
        let ended = try SlurmCluster.show(job: id)
        #expect(ended["JobState"] == "COMPLETED")
        #expect(ended["Restarts"] == "1")
        // One log holds both runs, and the runner's note of the requeue between them.
        let log = f.stepLog("count")
        #expect(log.contains("DUE TO JOB REQUEUE"), "log: \(log)")
        #expect(log.contains("anneal: Slurm requeued job \(id) (restart 1); it waits in the queue until "), "log: \(log)")

        let record = try f.run(SlurmExecutor(pipeline: f.pipeline))
        #expect(record.step("count")?.outcome == .cached)
        let outputs = try f.outputs(record)
        #expect(outputs["count.out"] == "16\n")
        // Two starts: the first at 0, the second from a checkpoint of at least 4 (the requeue came after it).
        let starts = (outputs["count.starts"] ?? "").split(separator: "\n").map { Int($0.dropFirst("start ".count)) ?? -1 }
        #expect(starts.count == 2)
        #expect(starts.first == 0)
        #expect((starts.last ?? 0) >= 4)
    }
}
