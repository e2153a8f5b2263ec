import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation

/// Reads a JSONL file into one JSON value per non-blank line, keeping line
/// numbers so later checks can name the line they reject. The lines are read
/// by `JSONLinesReader`, as `collect`, `tokenizer` and `tokenize` read theirs:
/// plain or gzip, a leading byte order mark skipped, LF or CRLF line ends, and
/// a broken line named by file, line and column.
enum JSONLines {
    struct Line {
        var number: Int
        var value: Value
    }

    static func read(_ path: String) throws -> [Line] {
        var lines: [Line] = []
        do {
            let reader = try JSONLinesReader(path: path)
            while try reader.nextObject({ bytes in
                lines.append(Line(number: reader.lineNumber, value: try JSONReader.parse(Array(bytes))))
            }) {}
        } catch let e as TextError {
            throw StepFailure(e.message)
        }
        return lines
    }
}
