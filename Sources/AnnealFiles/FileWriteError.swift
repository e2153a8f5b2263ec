import Foundation

/// A write, flush or rename that failed, with the path and the system's reason.
/// A full file system is said in plain words: which device, how much the write
/// needed and how much is free, so a person knows what to free.
public struct FileWriteError: Error, CustomStringConvertible, Sendable {
    public var path: String
    /// The errno of the failed call.
    public var code: Int32
    /// Bytes the failed write was trying to put on disk, when known.
    public var needed: Int?
    /// What failed: "write", "fsync", "rename", ...
    public var operation: String
    /// Free bytes for an unprivileged writer on the path's file system, read
    /// when the error was made (after any partial file was removed).
    public var free: Int?
    public var device: String

    public init(path: String, code: Int32, operation: String, needed: Int? = nil) {
        self.path = path
        self.code = code
        self.operation = operation
        self.needed = needed
        let fileSystem = FileSystemSpace(containing: path)
        free = fileSystem?.freeBytes
        device = fileSystem?.name ?? (path as NSString).deletingLastPathComponent
    }

    public var isOutOfSpace: Bool { code == ENOSPC || code == EDQUOT }

    public var description: String {
        if isOutOfSpace {
            let need = needed.map { "needed about \(FileSystemSpace.format(bytes: $0))" } ?? "needed more"
            let have = free.map { "free \(FileSystemSpace.format(bytes: $0))" } ?? "free unknown"
            return "cannot write \(path): no space left on \(device) (\(need), \(have)); free space there "
                + "('anneal gc' removes objects no kept run uses) and run again"
        }
        return "cannot write \(path): \(operation) failed: \(String(cString: strerror(code)))"
    }
}
