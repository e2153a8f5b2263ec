/// Reads the documents of all sources in order, one at a time, so memory stays
/// bounded whatever the input size. Each document carries its source as
/// `path:line` (line 1 for a text file, the line number for JSONL).
///
/// Bad input (unreadable file, invalid UTF-8, malformed JSONL line, missing
/// field, oversized document) throws a `TextError` naming the file and line,
/// or, with `on_error: skip`, is counted in `errors` and skipped.
public final class DocumentStream {
    /// One document as read.
    public struct Document: Equatable, Sendable {
        public var text: String
        public var source: String
    }

    /// The files being read, in order.
    public let files: [SourceFile]
    /// Inputs skipped so far (only with `on_error: skip`).
    public private(set) var errors = InputErrorCounts()
    /// Bytes read so far (uncompressed).
    public private(set) var bytesRead = 0

    private let policy: CollectConfig.ErrorPolicy
    private let maxDocumentBytes: Int
    private var fileIndex = 0
    private var reader: LineReader?

    public init(config: CollectConfig) throws {
        files = try SourceFile.expand(config.sources, baseDirectory: config.baseDirectory)
        policy = config.onError
        maxDocumentBytes = config.maxDocumentBytes
    }

    private enum Kind { case unreadable, utf8, json, field, size }

    private func problem(_ kind: Kind, _ message: String) throws {
        guard policy == .skip else { throw TextError(message) }
        switch kind {
        case .unreadable: errors.unreadableFiles += 1
        case .utf8: errors.invalidUTF8 += 1
        case .json: errors.malformedJSON += 1
        case .field: errors.missingField += 1
        case .size: errors.tooLarge += 1
        }
        if errors.examples.count < 20 { errors.examples.append(message) }
    }

    /// The next document, or nil when every source is read.
    public func next() throws -> Document? {
        while fileIndex < files.count {
            let file = files[fileIndex]
            if reader == nil {
                do {
                    reader = try LineReader(path: file.path, displayPath: file.displayPath, maxLineBytes: maxDocumentBytes)
                } catch let e as TextError {
                    fileIndex += 1
                    try problem(.unreadable, e.message)
                    continue
                }
            }
            let r = reader!
            do {
                if let field = file.jsonField {
                    if let doc = try nextJSONDocument(r, file, field) { return doc }
                } else {
                    let before = r.bytesRead
                    let bytes = try r.readAll(limit: maxDocumentBytes)
                    bytesRead += r.bytesRead - before
                    reader = nil
                    fileIndex += 1
                    guard let bytes else {
                        try problem(.size, "\(file.displayPath): larger than max_document_bytes (\(maxDocumentBytes)); split it or raise the limit")
                        continue
                    }
                    guard let text = String(validating: bytes, as: UTF8.self) else {
                        try problem(.utf8, "\(file.displayPath):\(lineOfFirstInvalidByte(bytes)): invalid UTF-8; convert the file to UTF-8")
                        continue
                    }
                    return Document(text: text, source: "\(file.displayPath):1")
                }
            } catch let e as TextError where e.message.hasPrefix(file.displayPath + ": cannot read") {
                // A damaged file: the rest of it is skipped as unreadable.
                reader = nil
                fileIndex += 1
                try problem(.unreadable, e.message)
                continue
            }
            reader = nil
            fileIndex += 1
        }
        return nil
    }

    /// The next document of a JSONL file, or nil at its end.
    private func nextJSONDocument(_ r: LineReader, _ file: SourceFile, _ field: String) throws -> Document? {
        while true {
            var result: JSONLineParser.Field?
            var failure: (Kind, String)?
            let before = r.bytesRead
            let more: Bool
            do {
                more = try r.nextLine { line in
                    // Blank lines are allowed (trailing newline, separators).
                    guard !JSONLinesReader.isBlank(line) else { return }
                    do { result = try JSONLineParser.field(field, in: line) } catch let f as JSONLineParser.Failure {
                        failure = (f.message.contains("UTF-8") ? .utf8 : .json, f.text(path: file.displayPath, line: r.lineNumber))
                    }
                }
            } catch let e as LineReader.LineTooLong {
                bytesRead += r.bytesRead - before
                try problem(.size, "\(file.displayPath):\(e.line): line longer than max_document_bytes (\(maxDocumentBytes))")
                continue
            }
            bytesRead += r.bytesRead - before
            guard more else { return nil }
            if let (kind, message) = failure { try problem(kind, message); continue }
            switch result {
            case nil: continue
            case .string(let text)?: return Document(text: text, source: "\(file.displayPath):\(r.lineNumber)")
            case .missing?:
                try problem(.field, "\(file.displayPath):\(r.lineNumber): no field '\(field)'; set 'field:' to the name of the text field")
            case .notString(let type)?:
                try problem(.field, "\(file.displayPath):\(r.lineNumber): field '\(field)' is \(type), not a string")
            }
        }
    }

    private func lineOfFirstInvalidByte(_ bytes: [UInt8]) -> Int {
        // Decode line by line until one fails; the count of newlines before it is the line.
        var line = 1
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
            if String(validating: bytes[start..<i], as: UTF8.self) == nil { return line }
            line += 1
            start = i + 1
        }
        return line
    }
}
