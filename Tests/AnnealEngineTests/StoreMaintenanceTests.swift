@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

@Suite struct StoreMaintenanceTests {
    static let pipeline = """
        name: maint
        params: { n: 1 }
        steps:
          make:
            kind: shell
            with:
              outputs: { out: out.txt, dir: d/ }
              command: echo ${params.n} > ${outputs.out}; mkdir -p ${outputs.dir}; echo x${params.n} > ${outputs.dir}/f
          use:
            kind: shell
            with:
              inputs: { m: "${make.out}" }
              outputs: { out: out.txt }
              command: cat ${inputs.m} ${inputs.m} > ${outputs.out}
        """

    @Test func gcKeepsWhatKeptRunsUseAndFreesTheRest() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline)
        _ = try f.run()
        let second = try f.run(params: ["n=2"])
        let ws = try Workspace(root: f.root)
        let before = ws.store.allObjects().count
        let dry = try f.anneal(["gc", "--keep-last", "1", "--dry-run"])
        #expect(dry.status == 0)
        #expect(ws.store.allObjects().count == before, "a dry run removes nothing")
        let gc = try f.anneal(["gc", "--keep-last", "1"])
        #expect(gc.status == 0)
        #expect(gc.output.hasPrefix("removed 4 objects"), "\(gc.output)")
        // Everything the kept run refers to is still there and reused.
        for s in second.steps { for o in s.outputs.values { #expect(ws.store.isIntact(o)) } }
        let again = try f.run(params: ["n=2"])
        #expect(again.count(.cached) == 2)
        // The dropped run's results are gone from the cache: going back reruns.
        let back = try f.run(params: ["n=1"])
        #expect(back.outcome(of: "make") == .ran)
    }

    /// A runner killed at the wrong moment leaves the work folder of a step it
    /// had already stored, and attempt folders; gc removes those, and keeps
    /// the checkpoints of a step that has not finished (it may resume).
    @Test func gcRemovesWorkFoldersNoStepWillResumeFrom() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline)
        let record = try f.run()
        let ws = try Workspace(root: f.root)
        let finished = try #require(record.steps.first { $0.name == "make" }?.fingerprint)
        let fm = FileManager.default
        // What a killed runner leaves: the finished step's work folder, and an
        // unfinished step's checkpoint beside an attempt folder.
        try fm.createDirectory(atPath: ws.workDirectory(finished) + "/attempt-1-1/out", withIntermediateDirectories: true)
        let unfinished = Digest(hex: String(repeating: "ab", count: 32))!
        let checkpoint = ws.workDirectory(unfinished) + "/checkpoints/step-4"
        try fm.createDirectory(atPath: checkpoint, withIntermediateDirectories: true)
        try fm.createDirectory(atPath: ws.workDirectory(unfinished) + "/attempt-7-2", withIntermediateDirectories: true)

        let dry = try f.anneal(["gc", "--dry-run"])
        #expect(dry.output.contains("1 work folders of finished steps, 1 stale attempt folders"), "\(dry.output)")
        #expect(fm.fileExists(atPath: ws.workDirectory(finished)))

        let gc = try f.anneal(["gc"])
        #expect(gc.status == 0, "\(gc.output)")
        #expect(!fm.fileExists(atPath: ws.workDirectory(finished)))
        #expect(!fm.fileExists(atPath: ws.workDirectory(unfinished) + "/attempt-7-2"))
        #expect(fm.fileExists(atPath: checkpoint), "an unfinished step keeps its checkpoints")
        #expect(try f.run().count(.cached) == 2)
    }

    @Test func fsckReportsAndRemovesCorruptObjects() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline)
        let first = try f.run()
        let clean = try f.anneal(["fsck"])
        #expect(clean.status == 0)
        #expect(clean.output.contains("0 corrupt"))
        let ws = try Workspace(root: f.root)
        let artifact = try #require(first.steps.first { $0.name == "use" }?.outputs["out"])
        let path = ws.store.path(of: artifact.digest)
        chmod(path, 0o644)
        // Same size, same mtime second: only a re-hash can notice.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: Data("X".utf8))
        try handle.close()
        let found = try f.anneal(["fsck"])
        #expect(found.status == 1)
        #expect(found.output.contains("corrupt: \(path)"))
        #expect(!ws.store.contains(artifact.digest))
        let rerun = try f.run()
        #expect(rerun.outcome(of: "use") == .ran)
        #expect(rerun.outcome(of: "make") == .cached)
    }

    @Test func addingOrRemovingAnInputIsAChange() throws {
        let f = try EngineFixture()
        try f.write("a.txt", "a\n")
        try f.write("b.txt", "b\n")
        let one = """
            name: inputs
            steps:
              cat:
                kind: shell
                with:
                  inputs: { a: a.txt }
                  outputs: { out: out.txt }
                  command: cat ${inputs.a} > ${outputs.out}
            """
        try f.write("p.yaml", one)
        _ = try f.run()
        try f.write("p.yaml", one.replacingOccurrences(of: "{ a: a.txt }", with: "{ a: a.txt, b: b.txt }"))
        let added = try f.run()
        #expect(added.steps[0].reasons.contains("input inputs.b (b.txt) added"))
        // Back to one input, but a different one than the first run's.
        try f.write("p.yaml", one.replacingOccurrences(of: "{ a: a.txt }", with: "{ b: b.txt }")
            .replacingOccurrences(of: "cat ${inputs.a}", with: "cat ${inputs.b}"))
        let removed = try f.run()
        #expect(removed.steps[0].reasons.contains("input inputs.a removed"))
    }
}
