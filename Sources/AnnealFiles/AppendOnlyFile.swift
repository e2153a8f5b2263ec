import Foundation

/// A file that grows by appended lines (a training step's metrics). Appending
/// does not throw, so logging calls stay simple, but it never traps either: the
/// first failed write (a full disk) is kept and thrown by `synchronize`, which
/// the writer calls before it uses the file.
public final class AppendOnlyFile {
    public let path: String
    private let fd: Int32
    private var failure: FileWriteError?

    /// Opens `path` (which must exist) for appending.
    public init(path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw FileWriteError(path: path, code: errno, operation: "open for appending") }
    }

    deinit { Foundation.close(fd) }

    public func append(_ text: String) {
        guard failure == nil else { return }
        do {
            try FileSync.writeAll(fd, Data(text.utf8), path: path)
        } catch let error as FileWriteError {
            failure = error
        } catch {
            failure = FileWriteError(path: path, code: EIO, operation: "write")
        }
    }

    /// Throws the first append that failed; otherwise flushes the file to disk.
    public func synchronize() throws {
        if let failure { throw failure }
        try FileSync.flush(fd, path: path)
    }
}
