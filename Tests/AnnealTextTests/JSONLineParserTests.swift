import Testing
@testable import AnnealText

/// JSONL lines: the text field is decoded, and broken lines say where.
struct JSONLineParserTests {
    func field(_ line: String, _ name: String = "text") throws -> JSONLineParser.Field {
        var l = line
        return try l.withUTF8 { try JSONLineParser.field(name, in: $0) }
    }

    @Test func decodesTheFieldAndSkipsTheRest() throws {
        #expect(try field(#"{"id": [1, {"a": null}], "text": "a\"b\\c\n\u00e9\ud83d\ude42", "n": -1.5e3}"#) == .string("a\"b\\c\né🙂"))
        #expect(try field(#"{"body": "x"}"#) == .missing)
        #expect(try field(#"{"text": 3}"#) == .notString("a number"))
        #expect(try field(#"  {}  "#) == .missing)
    }

    @Test func brokenLinesReportAColumn() {
        func column(_ line: String) -> Int? {
            do { _ = try field(line); return nil } catch let f as JSONLineParser.Failure { return f.column } catch { return nil }
        }
        #expect(column(#"{"text": "x""#) == 13)
        #expect(column(#"{"text" "x"}"#) == 9)
        #expect(column(#"["text"]"#) == 1)
        #expect(column(#"{"text": "\ud800"}"#) != nil)
        #expect(column(#"{"text": "x"} trailing"#) == 15)
        #expect(column(#"{"a": tru}"#) != nil)
    }
}
