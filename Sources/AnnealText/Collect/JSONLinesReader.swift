/// Reads a JSONL file (plain or gzip) one object at a time: the rules every
/// step kind that reads JSONL shares with `collect`, `tokenizer` and `tokenize`
/// (which read through `DocumentStream`, on the same `LineReader` and
/// `JSONLineParser`). A UTF-8 byte order mark at the start of the file is
/// skipped, lines may end in LF or CRLF, blank lines are skipped, and a line
/// that is not one JSON object (RFC 8259, every string valid UTF-8) is a
/// `TextError` naming the file, the line and the column in bytes.
public final class JSONLinesReader {
    /// The path as shown in messages.
    public let displayPath: String
    private let lines: LineReader
    private let maxLineBytes: Int

    /// Opens `path`; `displayPath` (default: `path`) names it in messages.
    public init(path: String, displayPath: String? = nil, maxLineBytes: Int = 64 << 20) throws {
        self.displayPath = displayPath ?? path
        self.maxLineBytes = maxLineBytes
        lines = try LineReader(path: path, displayPath: self.displayPath, maxLineBytes: maxLineBytes)
    }

    /// 1-based number of the line last handed out.
    public var lineNumber: Int { lines.lineNumber }

    /// Calls `body` with the bytes of the next non-blank line, once they are
    /// checked to be one JSON object, and returns true; false at the end of the file.
    public func nextObject(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool {
        while true {
            var handed = false
            let more: Bool
            do {
                more = try lines.nextLine { line in
                    guard !JSONLinesReader.isBlank(line) else { return }
                    do { try JSONLineParser.checkObject(line) } catch let failure as JSONLineParser.Failure {
                        throw TextError(failure.text(path: displayPath, line: lines.lineNumber))
                    }
                    handed = true
                    try body(line)
                }
            } catch let e as LineReader.LineTooLong {
                throw TextError("\(displayPath):\(e.line): the line is longer than \(maxLineBytes) bytes; split it or shorten it")
            }
            if !more { return false }
            if handed { return true }
        }
    }

    /// Whether a line holds only spaces and tabs (blank lines separate or end JSONL files).
    static func isBlank(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        !line.contains { $0 != 0x20 && $0 != 0x09 }
    }
}
