import Foundation

/// Replaces a file whole: the bytes go to a unique temporary name in the same
/// folder, which is renamed over the target, so a reader sees the old file or
/// the new, never half. The one implementation every module uses.
///
/// `.durable` (the default) also flushes the file before the rename and its
/// folder after it, so once `write` returns, a crash or power loss keeps the
/// new file: checkpoints, store objects, cache entries and state. `.scratch`
/// skips both flushes, for a step attempt's own files (description, progress,
/// exit record), which a crash may lose but never leaves half-written.
public enum AtomicFile {
    public enum Durability: Sendable {
        case durable
        case scratch
    }

    public static func write(_ data: some ContiguousBytes, to path: String, mode: mode_t = 0o644,
                             durability: Durability = .durable) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileSync.createFolder(folder) }
        let temp = temporaryPath(for: path)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw FileWriteError(path: temp, code: errno, operation: "create") }
        do {
            try FileSync.writeAll(fd, data, path: path)
            if durability == .durable { try FileSync.flush(fd, path: path) }
        } catch {
            Foundation.close(fd)
            unlink(temp)
            // Rebuilt after the unlink, so the free space it reports is real.
            if let e = error as? FileWriteError { throw FileWriteError(path: e.path, code: e.code, operation: e.operation, needed: data.withUnsafeBytes(\.count)) }
            throw error
        }
        try commit(temp, fd: fd, to: path, durability: durability)
    }

    public static func write(_ text: String, to path: String, durability: Durability = .durable) throws {
        try write(Data(text.utf8), to: path, durability: durability)
    }

    public static func write(_ data: Data, to url: URL, durability: Durability = .durable) throws {
        try write(data, to: url.path, durability: durability)
    }

    /// A fresh temporary name beside `path`, for writers that stream a file
    /// and then `commit` it.
    public static func temporaryPath(for path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temp = ".\(name).tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        return folder.isEmpty ? temp : "\(folder)/\(temp)"
    }

    public static func temporaryURL(for url: URL) -> URL {
        URL(fileURLWithPath: temporaryPath(for: url.path))
    }

    /// Renames a finished temporary file (closed by its writer) onto `path`,
    /// flushing it first and its folder after when durable. The temporary file
    /// is removed if this fails.
    public static func commit(_ temp: String, to path: String, durability: Durability = .durable) throws {
        do {
            if durability == .durable { try FileSync.flush(path: temp) }
            try FileSync.rename(temp, to: path)
            if durability == .durable { try FileSync.flushFolder(of: path) }
        } catch {
            unlink(temp)
            throw error
        }
    }

    public static func commit(_ temp: URL, to url: URL, durability: Durability = .durable) throws {
        try commit(temp.path, to: url.path, durability: durability)
    }

    /// Closes `fd` (written and, if durable, flushed) and renames `temp` onto `path`.
    static func commit(_ temp: String, fd: Int32, to path: String, durability: Durability) throws {
        do {
            try FileSync.closeAfterWriting(fd, path: path)
            try FileSync.rename(temp, to: path)
            if durability == .durable { try FileSync.flushFolder(of: path) }
        } catch {
            unlink(temp)
            throw error
        }
    }
}
