import Foundation

/// Writes files through a temporary name in the same directory and a rename,
/// so readers never see a half-written file.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw ModelError.io(path: path, reason: "cannot write \(temporary); check that the directory exists and is writable")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw ModelError.io(path: path, reason: "cannot rename the temporary file into place: \(reason)")
        }
    }

    static func write(_ text: String, to path: String) throws { try write(Array(text.utf8), to: path) }
}
