@testable import AnnealEngine
import AnnealSpec
import Foundation
import Testing

/// Issue #15: the store never trusts a byte it has not checked. A corrupt
/// object is repaired by the rerun, never fed to a step, and the cache entries
/// that touched it are found; edited cache entries and state files are caught.
@Suite struct StoreIntegrityTests {
    static let pipeline = """
        name: integrity
        steps:
          make:
            kind: shell
            with:
              outputs: { out: out.txt }
              command: echo made-by-make > ${outputs.out}
          use:
            kind: shell
            with:
              inputs: { m: "${make.out}" }
              outputs: { out: out.txt }
              command: cat ${inputs.m} ${inputs.m} > ${outputs.out}
        """

    /// Flips the first byte of an object in place (same size), as bit rot or a
    /// stray write would.
    static func flipFirstByte(_ path: String) throws {
        chmod(path, 0o644)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[0] ^= 0x20
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.write(contentsOf: bytes)
        try handle.close()
        chmod(path, 0o444)
    }

    /// Makes the hash memo vouch for the object's current (corrupt) bytes with
    /// its old digest: corruption the (device, inode, size, mtime, ctime) stamp
    /// cannot see, such as bits rotting under an unchanged inode.
    static func memoVouches(_ ws: Workspace, for digest: Digest) throws {
        let path = ws.store.path(of: digest)
        let s = try #require(HashMemo.stamp(path))
        let line = "\(path)\t\(s.device)\t\(s.inode)\t\(s.size)\t\(s.mtime)\t\(s.ctime)\t\(digest.hex)\n"
        try line.write(toFile: ws.dot + "/hashmemo", atomically: true, encoding: .utf8)
    }

    /// A workspace that ran the pipeline once, with make's stored output.
    static func ranOnce() throws -> (f: EngineFixture, first: RunRecord, made: StoredArtifact, ws: Workspace) {
        let f = try EngineFixture()
        try f.write("p.yaml", pipeline)
        let first = try f.run()
        let made = try #require(first.steps.first { $0.name == "make" }?.outputs["out"])
        return (f, first, made, try Workspace(root: f.root))
    }

    @Test func aCorruptObjectIsReplacedByTheRerunsBytes() throws {
        let (f, _, made, ws) = try Self.ranOnce()
        try Self.flipFirstByte(ws.store.path(of: made.digest))

        let second = try f.run()
        #expect(second.outcome(of: "make") == .ran, "the stamp moved, so the check re-hashed and found the damage")
        #expect(try FileHasher.digest(of: ws.store.path(of: made.digest)) == made.digest, "the rerun's bytes replaced the corrupt object")
        let forced = try f.run { $0.force = ["use"] }
        #expect(try f.outputs(forced)["use.out"] == "made-by-make\nmade-by-make\n")
    }

    @Test func verifyRehashesWhatTheMemoVouchesFor() throws {
        let (f, _, made, ws) = try Self.ranOnce()
        try Self.flipFirstByte(ws.store.path(of: made.digest))
        try Self.memoVouches(ws, for: made.digest)

        let trusting = try f.run()
        #expect(trusting.outcome(of: "make") == .cached, "without --verify the memo's stamp is trusted")
        let verified = try f.run { $0.force = ["use"]; $0.verify = true }
        #expect(verified.outcome(of: "make") == .ran, "--verify re-hashed the object and found it corrupt")
        #expect(try f.outputs(verified)["use.out"] == "made-by-make\nmade-by-make\n", "use read the repaired bytes")
        #expect(try FileHasher.digest(of: ws.store.path(of: made.digest)) == made.digest)
    }

    /// A step whose input object is found corrupt as it starts does not run
    /// on it: the object is removed and the next run rebuilds it.
    @Test func aStepNeverStartsOnACorruptInput() throws {
        let (f, _, made, ws) = try Self.ranOnce()
        let runner = Runner(workspace: ws, plan: try f.plan(), options: RunOptions(), executable: EngineFixture.anneal,
                            display: ProgressDisplay(interactive: false, quiet: true))
        runner.outputs["make"] = ["out": made]
        let use = try #require(runner.plan.step(named: "use"))
        try runner.verifyInputs(use)
        try Self.flipFirstByte(ws.store.path(of: made.digest))
        #expect(throws: StepFailure.self) { try runner.verifyInputs(use) }
        #expect(access(ws.store.path(of: made.digest), F_OK) != 0, "the corrupt object was removed")
        let again = try f.run()
        #expect(again.outcome(of: "make") == .ran)
        #expect(again.outcome(of: "use") == .cached)
    }

    @Test func fsckRemovesTheEntriesOfStepsThatReadACorruptObject() throws {
        let (f, first, made, ws) = try Self.ranOnce()
        let useFingerprint = try #require(first.steps.first { $0.name == "use" }?.fingerprint)
        try Self.flipFirstByte(ws.store.path(of: made.digest))

        let fsck = try f.anneal(["fsck"])
        #expect(fsck.status == 1)
        #expect(fsck.output.contains("corrupt: \(ws.store.path(of: made.digest))"), "\(fsck.output)")
        #expect(fsck.output.contains("cache entry removed: \(ws.actions.path(useFingerprint)): input inputs.m"), "\(fsck.output)")
        #expect(ws.actions.lookup(useFingerprint) == nil)
        #expect(try f.anneal(["fsck"]).status == 0, "a second fsck finds nothing")
        let rerun = try f.run()
        #expect(rerun.ranSteps == ["make", "use"])
    }

    @Test func anEditedCacheEntryIsNeverTrusted() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline)
        let first = try f.run()
        let make = try #require(first.steps.first { $0.name == "make" })
        let used = try #require(first.steps.first { $0.name == "use" }?.outputs["out"])
        let ws = try Workspace(root: f.root)
        let entryPath = ws.actions.path(try #require(make.fingerprint))
        // Point make's output at use's object, as a hand edit would.
        let text = try String(contentsOfFile: entryPath, encoding: .utf8)
        let edited = text.replacingOccurrences(of: try #require(make.outputs["out"]).digest.hex, with: used.digest.hex)
        #expect(edited != text)
        try edited.write(toFile: entryPath, atomically: true, encoding: .utf8)

        let fsck = try f.anneal(["fsck", "--keep"])
        #expect(fsck.status == 1)
        #expect(fsck.output.contains("checksum mismatch"), "\(fsck.output)")
        let again = try f.run()
        #expect(again.outcome(of: "make") == .ran, "the edited entry is a miss, not a hit on another step's output")
        #expect(try f.outputs(again)["make.out"] == "made-by-make\n")
        #expect(try f.anneal(["fsck"]).status == 0, "the rerun wrote a good entry")
    }

    /// An intact entry copied over another step's entry is not a hit for that
    /// step: the checksum covers the fingerprint the entry was filed under.
    @Test func anEntryUnderAnotherFingerprintIsNeverTrusted() throws {
        let (f, first, _, ws) = try Self.ranOnce()
        let make = try #require(first.steps.first { $0.name == "make" }?.fingerprint)
        let use = try #require(first.steps.first { $0.name == "use" }?.fingerprint)
        unlink(ws.actions.path(use))
        try FileManager.default.copyItem(atPath: ws.actions.path(make), toPath: ws.actions.path(use))
        #expect(throws: ActionCache.Damage.self) { try ws.actions.load(use) }
        let again = try f.run()
        #expect(again.outcome(of: "use") == .ran)
        #expect(try f.outputs(again)["use.out"] == "made-by-make\nmade-by-make\n")
    }

    @Test func aCorruptStateFileIsReportedAndItsCounterRebuilt() throws {
        let f = try EngineFixture()
        try f.write("p.yaml", Self.pipeline)
        #expect(try f.anneal(["run", "p.yaml"]).status == 0)
        #expect(try f.anneal(["run", "p.yaml"]).status == 0)
        try "{x\n".write(toFile: f.root + "/.anneal/state/integrity.json", atomically: true, encoding: .utf8)
        let third = try f.anneal(["run", "p.yaml"])
        #expect(third.status == 0, "\(third.output)")
        #expect(third.output.contains("state/integrity.json is corrupt"), "\(third.output)")
        #expect(third.output.contains("integrity #3"), "\(third.output)")
        #expect(third.output.contains("2 runs so far"), "\(third.output)")
        let log = try f.anneal(["log"])
        for n in 1...3 {
            #expect(log.output.components(separatedBy: "integrity#\(n) ").count - 1 <= 1, "\(log.output)")
        }
        #expect(log.output.contains("integrity#3"), "\(log.output)")
    }
}
