@testable import AnnealEngine
import AnnealFiles
import AnnealSpec
import Foundation
import Testing

/// A full disk is an error with a plain message, never a crash: partial files
/// and attempt folders go, and the run after space is freed succeeds. These
/// use a real 20 MB tmpfs.
@Suite(.serialized, .enabled(if: SmallDisk.canTry, "needs root to mount a tmpfs (CI runs as root)"))
struct FullDiskTests {
    static func pipeline(megabytes: Int) -> String {
        """
        name: full
        params: { mb: \(megabytes) }
        steps:
          fill:
            kind: shell
            with:
              outputs: { o: big.bin }
              command: head -c ${params.mb}M /dev/zero > ${outputs.o}
        """
    }

    @Test func aStepThatFillsTheDiskFailsCleanlyAndTheNextRunSucceeds() throws {
        let disk = try SmallDisk(megabytes: 20)
        let f = try EngineFixture(at: disk.path + "/project")
        let root = f.root
        try f.write("p.yaml", Self.pipeline(megabytes: 30))
        let free = disk.freeBytes

        let failed = try f.anneal(["run", "p.yaml"])
        #expect(failed.status != 0)
        #expect(!failed.output.contains("signal"), "the step must exit with an error, not be killed: \(failed.output)")
        #expect(failed.output.contains("FAILED  fill"), "\(failed.output)")
        let logs = root + "/.anneal/logs/full/fill/1.log"
        let log = (try? String(contentsOfFile: logs, encoding: .utf8)) ?? ""
        #expect(log.contains("error:"), "the step's error reached its log: \(log)")
        let work = root + "/.anneal/work"
        for folder in (try? FileManager.default.contentsOfDirectory(atPath: work)) ?? [] {
            let inside = (try? FileManager.default.contentsOfDirectory(atPath: "\(work)/\(folder)")) ?? []
            #expect(!inside.contains { $0.hasPrefix("attempt-") }, "the failed attempt's folder was removed: \(inside)")
        }
        #expect(disk.freeBytes > free - 2 << 20, "the partial output's space was given back (free \(disk.freeBytes) of \(free))")

        try f.write("p.yaml", Self.pipeline(megabytes: 1))
        let next = try f.anneal(["run", "p.yaml"])
        #expect(next.status == 0, "\(next.output)")
        #expect(try f.anneal(["fsck"]).status == 0)
    }

    @Test func anAtomicWriteOnAFullDiskNamesTheDeviceAndLeavesNothing() throws {
        let disk = try SmallDisk(megabytes: 20)
        let target = disk.path + "/weights.bin"
        let bytes = Data(count: 30 << 20)
        let error = try #require(throws: FileWriteError.self) { try AtomicFile.write(bytes, to: target) }
        #expect(error.isOutOfSpace)
        #expect(error.description.contains("cannot write \(target): no space left on tmpfs at \(disk.path) (needed about 30.0 MB, free "),
                "\(error)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: disk.path).isEmpty, "no temporary file is left")
        #expect(disk.freeBytes > 19 << 20)
    }

    /// A training step's metrics log appends without throwing; the full disk
    /// comes out when the step publishes the file, never as a trap.
    @Test func anAppendOnAFullDiskIsThrownWhenTheFileIsUsed() throws {
        let disk = try SmallDisk(megabytes: 20)
        let path = disk.path + "/metrics.jsonl"
        try AtomicFile.write("", to: path)
        let log = try AppendOnlyFile(path: path)
        let row = String(repeating: "x", count: 1 << 20) + "\n"
        for _ in 0..<30 { log.append(row) }
        let error = try #require(throws: FileWriteError.self) { try log.synchronize() }
        #expect(error.description.contains("cannot write \(path): no space left on tmpfs"), "\(error)")
    }

    @Test func aCheckpointOnAFullDiskLeavesNoTemporaryFolder() throws {
        let disk = try SmallDisk(megabytes: 20)
        let context = StepContext(step: "s", kind: "shell", config: .map([:]), outputs: [], outputDirectory: disk.path + "/out",
                                  workDirectory: disk.path + "/work", progressFile: disk.path + "/progress",
                                  metricsFile: disk.path + "/metrics.json")
        try context.saveCheckpoint(named: "step-1") { try AtomicFile.write(Data(count: 1 << 20), to: $0 + "/w.bin") }
        let error = try #require(throws: FileWriteError.self) {
            try context.saveCheckpoint(named: "step-2") { try AtomicFile.write(Data(count: 30 << 20), to: $0 + "/w.bin") }
        }
        #expect(error.description.contains("no space left on tmpfs"), "\(error)")
        let left = try FileManager.default.contentsOfDirectory(atPath: context.checkpointDirectory).sorted()
        #expect(left == ["LATEST", "step-1"], "the failed checkpoint's folder is gone, the previous one is intact")
        #expect(context.latestCheckpoint() == context.checkpointDirectory + "/step-1")
    }
}
