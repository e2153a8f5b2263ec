import AnnealEngine
import ArgumentParser
import Foundation

struct GCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove stored objects that no kept run refers to, and say how much was freed.")

    @OptionGroup var workspace: WorkspaceOptions

    @Option(help: "Keep only the last N runs of each pipeline (default: keep every run).")
    var keepLast: Int?

    @Flag(help: "Count what would be removed; remove nothing.")
    var dryRun = false

    func run() throws {
        let ws = try workspace.open()
        let lock = dryRun ? nil : try WorkspaceLock(workspace: ws, command: "anneal gc")
        defer { withExtendedLifetime(lock) {} }
        let r = GarbageCollector(workspace: ws).collect(keepLast: keepLast, dryRun: dryRun)
        let verb = dryRun ? "would remove" : "removed"
        print("\(verb) \(r.objectsRemoved) objects (\(ProgressDisplay.bytes(Int(r.bytesFreed)))), \(r.actionsRemoved) cache entries"
              + (r.runsDropped > 0 ? ", \(r.runsDropped) old run records" : "")
              + (r.workFoldersRemoved > 0 ? ", \(r.workFoldersRemoved) work folders of finished steps" : "")
              + (r.attemptsRemoved > 0 ? ", \(r.attemptsRemoved) stale attempt folders" : "")
              + "; kept \(r.objectsKept) objects")
    }
}

struct FsckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fsck",
        abstract: "Re-hash every stored object and report corrupt ones; corrupt objects are removed so the steps that made them rerun.")

    @OptionGroup var workspace: WorkspaceOptions

    @Flag(help: "Report only; leave corrupt objects in place (they are still never used).")
    var keep = false

    func run() throws {
        let ws = try workspace.open()
        let lock = keep ? nil : try WorkspaceLock(workspace: ws, command: "anneal fsck")
        defer { withExtendedLifetime(lock) {} }
        var corrupt = 0, total = 0
        for d in ws.store.allObjects() {
            total += 1
            if !ws.store.isIntact(d, thorough: true) {
                corrupt += 1
                print("corrupt: \(ws.store.path(of: d))")
                if !keep { ws.store.remove(d) }
            }
        }
        print("\(total) objects checked, \(corrupt) corrupt" + (corrupt > 0 && !keep ? " (removed; the steps that made them will rerun)" : ""))
        if corrupt > 0 { throw ExitCode(1) }
    }
}
