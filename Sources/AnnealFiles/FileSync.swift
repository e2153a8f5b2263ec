import Foundation

/// The write, flush and rename calls every file of Anneal goes through, each
/// checked: a failure throws `FileWriteError` naming the path, never traps and
/// is never ignored.
public enum FileSync {
    /// Writes all of `bytes` to `fd` (retrying short writes and EINTR).
    public static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var written = 0
        while written < bytes.count {
            if FaultInjection.failsThisWrite() {
                throw FileWriteError(path: path, code: ENOSPC, operation: "write", needed: bytes.count - written)
            }
            let n = write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileWriteError(path: path, code: errno, operation: "write", needed: bytes.count - written)
            }
            written += n
        }
    }

    public static func writeAll(_ fd: Int32, _ data: some ContiguousBytes, path: String) throws {
        try data.withUnsafeBytes { try writeAll(fd, $0, path: path) }
    }

    /// Flushes a file's data to the disk (fsync).
    public static func flush(_ fd: Int32, path: String) throws {
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            // A file system that cannot sync (EINVAL: a pipe, some FUSE mounts) has nothing to flush.
            if errno == EINVAL || errno == EROFS { return }
            throw FileWriteError(path: path, code: errno, operation: "fsync")
        }
    }

    /// Flushes a file by name (a file a stream writer has closed).
    public static func flush(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw FileWriteError(path: path, code: errno, operation: "open") }
        defer { Foundation.close(fd) }
        try flush(fd, path: path)
    }

    /// Flushes the folder holding `path`, so a rename or a new name in it
    /// survives a crash (the file's own fsync does not cover its name).
    public static func flushFolder(of path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileWriteError(path: folder, code: errno, operation: "open folder") }
        defer { Foundation.close(fd) }
        try flush(fd, path: folder)
    }

    /// Closes a file descriptor written to; close can report a deferred write
    /// error (NFS, some FUSE file systems).
    public static func closeAfterWriting(_ fd: Int32, path: String) throws {
        if Foundation.close(fd) != 0, errno != EINTR {
            throw FileWriteError(path: path, code: errno, operation: "close")
        }
    }

    /// Creates a folder and its missing parents (mkdir -p).
    public static func createFolder(_ path: String, mode: mode_t = 0o755) throws {
        if mkdir(path, mode) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw FileWriteError(path: path, code: errno, operation: "create folder") }
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty, parent != path else { throw FileWriteError(path: path, code: ENOENT, operation: "create folder") }
        try createFolder(parent, mode: mode)
        if mkdir(path, mode) != 0, errno != EEXIST { throw FileWriteError(path: path, code: errno, operation: "create folder") }
    }

    /// Renames `temp` onto `path` (atomic within one file system).
    public static func rename(_ temp: String, to path: String) throws {
        if Foundation.rename(temp, path) != 0 {
            throw FileWriteError(path: path, code: errno, operation: "rename")
        }
    }
}
