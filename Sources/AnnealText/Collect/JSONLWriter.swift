import AnnealFiles
import Foundation

/// Writes `{"text": ..., "source": ...}` lines to a temporary file that becomes
/// the output only on `commit()`, so an interrupted run leaves no partial file.
final class JSONLWriter {
    let url: URL
    private let tmp: URL
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(url: URL) throws {
        self.url = url
        tmp = AtomicFile.temporaryURL(for: url)
        guard FileManager.default.createFile(atPath: tmp.path, contents: nil),
              let h = FileHandle(forWritingAtPath: tmp.path) else {
            throw TextError("cannot create \(tmp.path); check that the output directory exists and is writable")
        }
        handle = h
    }

    func write(text: String, source: String) throws {
        buffer.append(contentsOf: Array(#"{"text": "#.utf8))
        JSONText.append(text, to: &buffer)
        buffer.append(contentsOf: Array(#", "source": "#.utf8))
        JSONText.append(source, to: &buffer)
        buffer.append(contentsOf: Array("}\n".utf8))
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        try FileSync.writeAll(handle.fileDescriptor, buffer, path: tmp.path)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, closes and renames into place.
    func commit() throws {
        try flush()
        try handle.close()
        try AtomicFile.commit(tmp, to: url)
    }

    /// Closes and deletes the temporary file (after a failure).
    func discard() {
        try? handle.close()
        try? FileManager.default.removeItem(at: tmp)
    }
}
