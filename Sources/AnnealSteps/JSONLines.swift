import AnnealEngine
import AnnealSpec
import Foundation

/// Reads a JSONL file into one JSON value per non-blank line, keeping line
/// numbers so later checks can name the line they reject.
enum JSONLines {
    struct Line {
        var number: Int
        var value: Value
    }

    static func read(_ path: String) throws -> [Line] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StepFailure("cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw StepFailure("\(path) is not UTF-8 text; JSONL files must be UTF-8")
        }
        var lines: [Line] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let value: Value
            do { value = try JSONReader.parse(line) } catch {
                throw StepFailure("\(path):\(number): not valid JSON (\(error)); each line must be one JSON object")
            }
            guard value.map != nil else {
                throw StepFailure("\(path):\(number): a JSON \(value.typeName), not an object; each line must be one JSON object")
            }
            lines.append(Line(number: number, value: value))
        }
        return lines
    }
}
