import Foundation
import Testing
@testable import AnnealText

/// The one way JSONL is read: a byte order mark at the start and CRLF line
/// ends are accepted, and anything refused is named by file, line and column.
struct JSONLinesReaderTests {
    func objects(_ text: String) throws -> (lines: [Int], texts: [String], path: String) {
        let dir = try FixtureFile.temporaryDirectory("jsonl")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.jsonl").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try JSONLinesReader(path: path, displayPath: "x.jsonl")
        var lines: [Int] = [], texts: [String] = []
        while try reader.nextObject({ texts.append(String(decoding: $0, as: UTF8.self)); lines.append(reader.lineNumber) }) {}
        return (lines, texts, path)
    }

    func failure(_ text: String) -> String {
        do {
            _ = try objects(text)
            return ""
        } catch { return "\(error)" }
    }

    @Test func aByteOrderMarkAndCRLFLineEndsAreAccepted() throws {
        let read = try objects("\u{FEFF}{\"a\": 1}\r\n\r\n  \r\n{\"a\": \"b\"}\r\n{\"a\": 3}")
        #expect(read.texts == [#"{"a": 1}"#, #"{"a": "b"}"#, #"{"a": 3}"#])
        #expect(read.lines == [1, 4, 5])
    }

    @Test func aBrokenLineIsNamedByFileLineAndColumn() {
        #expect(failure("{\"a\": 1}\n{\"a\": 1,}\n") == "x.jsonl:2:9: expected a quoted key; each line must be one JSON object")
        #expect(failure("[1, 2]\n") == "x.jsonl:1:1: expected a JSON object ('{'); each line must be one JSON object")
        // A byte order mark is only skipped at the start of the file.
        #expect(failure("{\"a\": 1}\n\u{FEFF}{\"a\": 2}\n").hasPrefix("x.jsonl:2:1: expected a JSON object"))
        // Every string is checked, not only the ones a reader asks for.
        #expect(failure("{\"a\": \"ok\", \"b\": \"\u{00}\"}\n").hasPrefix("x.jsonl:1:"))
    }

    @Test func invalidUTF8InAnyStringIsRefused() throws {
        let dir = try FixtureFile.temporaryDirectory("jsonl-utf8")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.jsonl").path
        try Data(Array(#"{"a": "ok", "b": ""#.utf8) + [0xC3, 0x28] + Array("\"}\n".utf8)).write(to: URL(fileURLWithPath: path))
        let reader = try JSONLinesReader(path: path, displayPath: "x.jsonl")
        #expect { while try reader.nextObject({ _ in }) {} } throws: {
            ($0 as? TextError)?.message.hasPrefix("x.jsonl:1:") == true && "\($0)".contains("UTF-8")
        }
    }
}
