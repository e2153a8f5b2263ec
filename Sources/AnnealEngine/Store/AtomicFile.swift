import Foundation

/// Writes a file under a temporary name in the same folder, flushes it and
/// renames it into place, so readers see the old file or the new, never half.
/// `durable: false` skips the flush to disk for scratch files (a step's
/// description, progress and exit record), which a crash may lose but never
/// leaves half-written.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644, durable: Bool = true) throws {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let temp = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw StoreError.unwritable(temp, String(cString: strerror(errno))) }
        var ok = false
        defer {
            if !ok { unlink(temp) }
        }
        try data.withUnsafeBytes { raw in
            var written = 0
            while written < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    close(fd)
                    throw StoreError.unwritable(temp, String(cString: strerror(errno)))
                }
                written += n
            }
        }
        if durable { fsync(fd) }
        close(fd)
        guard rename(temp, path) == 0 else { throw StoreError.unwritable(path, String(cString: strerror(errno))) }
        ok = true
    }

    public static func write(_ text: String, to path: String, durable: Bool = true) throws {
        try write(Data(text.utf8), to: path, durable: durable)
    }
}
