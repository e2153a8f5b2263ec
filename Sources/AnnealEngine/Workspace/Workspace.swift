import Foundation

/// The `.anneal/` folder of a project: store, action cache, work folders,
/// logs, run state and the lineage repository.
///
/// ```
/// .anneal/
///   objects/sha256/ab/cdef...   content-addressed artifacts
///   trees/<digest>/             folder artifacts rebuilt as hard links, for steps to read
///   actions/ab/<fingerprint>    action cache entries
///   work/<fingerprint>/         scratch and checkpoints of unfinished steps
///   logs/<pipeline>/<step>/     step logs, one per run that executed the step
///   state/<pipeline>.json       the last run's fingerprint components per step
///   hashmemo                    input digests by (device, inode, size, mtime, ctime)
///   lineage.git/                run history (libgit2)
///   lock                        one writer at a time
/// ```
public final class Workspace: @unchecked Sendable {
    // @unchecked: immutable after init; the objects it holds are themselves safe.
    /// The project folder (the one holding `.anneal/`).
    public let root: String
    public let dot: String
    public let memo: HashMemo
    public let store: ObjectStore
    public let actions: ActionCache

    public init(root: String) throws {
        let absolute = root.hasPrefix("/") ? root : FileManager.default.currentDirectoryPath + "/" + root
        self.root = (absolute as NSString).standardizingPath
        dot = self.root + "/.anneal"
        try FileManager.default.createDirectory(atPath: dot, withIntermediateDirectories: true)
        memo = HashMemo(file: dot + "/hashmemo")
        store = try ObjectStore(root: dot, memo: memo)
        actions = try ActionCache(root: dot + "/actions")
    }

    public func workDirectory(_ fingerprint: Digest) -> String { "\(dot)/work/\(fingerprint.hex)" }

    public func logDirectory(pipeline: String, step: String) -> String {
        "\(dot)/logs/\(pipeline)/\(StepPaths.folderName(step))"
    }

    public var lineagePath: String { "\(dot)/lineage.git" }

    /// Where outputs are linked for people: `runs/<pipeline>/<step>/<output>`.
    public func linkPath(pipeline: String, step: String, output: String) -> String {
        "\(root)/runs/\(pipeline)/\(StepPaths.folderName(step))/\(output)"
    }
}

/// File names for step instances: `dpo[beta=0.1]` is a fine folder name on
/// Linux, but `/` in a matrix value is refused by the language, so names map
/// to folders one to one.
public enum StepPaths {
    public static func folderName(_ step: String) -> String { step }
}
