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
        abstract: "Re-hash every stored object and check every cache entry; corrupt objects, damaged entries and entries that used corrupt objects are removed so their steps rerun.")

    @OptionGroup var workspace: WorkspaceOptions

    @Flag(help: "Report only; remove nothing (corrupt objects and damaged entries are still never used).")
    var keep = false

    func run() throws {
        let ws = try workspace.open()
        let lock = keep ? nil : try WorkspaceLock(workspace: ws, command: "anneal fsck")
        defer { withExtendedLifetime(lock) {} }
        let r = StoreCheck(workspace: ws).run(repair: !keep)
        for p in r.corruptObjects { print("corrupt: \(p)") }
        for e in r.badEntries { print("cache entry \(keep ? "untrusted" : "removed"): \(e.path): \(e.reason)") }
        print("\(r.objectsChecked) objects checked, \(r.corruptObjects.count) corrupt; "
              + "\(r.entriesChecked) cache entries checked, \(r.badEntries.count) \(keep ? "untrusted" : "removed")"
              + (!r.isClean && !keep ? " (the steps behind them will rerun)" : ""))
        if !r.isClean { throw ExitCode(1) }
    }
}
