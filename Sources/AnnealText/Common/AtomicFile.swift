import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that a reader never sees a half-written one: the bytes go to a
/// temporary name in the same directory, which is then renamed over the target
/// (rename within one file system is atomic on POSIX).
public enum AtomicFile {
    /// The temporary path used for `url` (same directory, hidden, unique per process).
    public static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)")
    }

    /// Writes `data` to `url` atomically.
    public static func write(_ data: Data, to url: URL) throws {
        let tmp = temporaryURL(for: url)
        do {
            try data.write(to: tmp)
            try commit(tmp, to: url)
        } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw TextError("cannot write \(url.path): \(error.localizedDescription); check that the directory exists and is writable")
        }
    }

    /// Renames a finished temporary file onto its final name.
    public static func commit(_ tmp: URL, to url: URL) throws {
        if rename(tmp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            throw TextError("cannot rename \(tmp.path) to \(url.path): \(reason)")
        }
    }
}
