import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// Reads a file (plain or gzip-compressed; zlib reads plain files transparently)
/// in 1 MiB blocks and hands out lines without copying them. Memory is bounded
/// by the longest line, which is capped by `maxLineBytes`.
final class LineReader {
    /// The path, for messages.
    let path: String
    /// 1-based number of the line last returned.
    private(set) var lineNumber = 0
    /// Bytes handed out so far (uncompressed).
    private(set) var bytesRead = 0
    private let file: gzFile
    private var buffer: [UInt8]
    private var start = 0
    private var end = 0
    private var eof = false
    /// Whether no line has been handed out yet (a byte order mark may come first).
    private var atStartOfFile = true
    private let maxLineBytes: Int

    init(path: String, displayPath: String, maxLineBytes: Int) throws {
        self.path = displayPath
        self.maxLineBytes = maxLineBytes
        guard let f = gzopen(path, "rb") else {
            throw TextError("\(displayPath): cannot open (\(String(cString: strerror(errno)))); check the path and permissions")
        }
        gzbuffer(f, 1 << 17)
        file = f
        buffer = [UInt8](repeating: 0, count: 1 << 20)
    }

    deinit { gzclose(file) }

    /// A line that is too long: the reader skipped past it.
    struct LineTooLong: Error { let line: Int }

    /// Calls `body` with the next line (without "\n" or "\r\n", and without a
    /// byte order mark at the start of the file) and returns true,
    /// or returns false at the end of the file. Throws on a read error, or
    /// `LineTooLong` for a line over the cap (the reader is then past it).
    func nextLine(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool {
        if atStartOfFile { try skipByteOrderMark() }
        while true {
            if let nl = buffer[start..<end].firstIndex(of: 0x0A) {
                lineNumber += 1
                var e = nl
                if e > start && buffer[e - 1] == 0x0D { e -= 1 }
                let s = start
                start = nl + 1
                bytesRead += nl + 1 - s
                try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<e])) }
                return true
            }
            if eof {
                guard start < end else { return false }
                lineNumber += 1
                var e = end
                if buffer[e - 1] == 0x0D { e -= 1 }
                let s = start
                bytesRead += end - s
                start = end
                try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<e])) }
                return true
            }
            if end - start > maxLineBytes {
                // Drop the rest of this line without keeping it.
                let line = lineNumber + 1
                try skipToNewline()
                lineNumber = line
                throw LineTooLong(line: line)
            }
            try fill()
        }
    }

    /// Skips a UTF-8 byte order mark (EF BB BF) at the start of the file, which
    /// editors on Windows write; it is not part of the first line. Done once,
    /// before the first line, so the loop above stays as it was.
    private func skipByteOrderMark() throws {
        atStartOfFile = false
        while end - start < 3 && !eof { try fill() }
        if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
            start += 3
            bytesRead += 3
        }
    }

    /// The whole remaining file, at most `limit` bytes (nil if longer).
    func readAll(limit: Int) throws -> [UInt8]? {
        var out = Array(buffer[start..<end])
        start = end
        while !eof {
            try fill()
            out.append(contentsOf: buffer[start..<end])
            start = end
            if out.count > limit { return nil }
        }
        bytesRead += out.count
        return out
    }

    private func fill() throws {
        if start > 0 {
            buffer.withUnsafeMutableBufferPointer { b in
                _ = memmove(b.baseAddress!, b.baseAddress! + start, end - start)
            }
            end -= start
            start = 0
        }
        if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
        let want = buffer.count - end
        let n = buffer.withUnsafeMutableBufferPointer { b in
            gzread(file, b.baseAddress! + end, UInt32(min(want, Int(Int32.max))))
        }
        if n < 0 {
            var code: Int32 = 0
            let message = gzerror(file, &code).map { String(cString: $0) } ?? "read error"
            throw TextError("\(path): cannot read after line \(lineNumber) (\(message)); the file is damaged or not gzip")
        }
        if n == 0 { eof = true }
        end += Int(n)
    }

    private func skipToNewline() throws {
        while true {
            if let nl = buffer[start..<end].firstIndex(of: 0x0A) {
                bytesRead += nl + 1 - start
                start = nl + 1
                return
            }
            bytesRead += end - start
            start = end
            if eof { return }
            try fill()
        }
    }
}
