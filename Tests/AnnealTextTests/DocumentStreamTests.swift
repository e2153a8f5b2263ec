import Foundation
import Testing
@testable import AnnealText

/// Reading across block boundaries, long lines, gzip, CRLF and a byte order mark.
struct DocumentStreamTests {
    @Test func longLinesAcrossBlocksAndTheSizeCap() throws {
        let dir = try FixtureFile.temporaryDirectory("stream")
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = String(repeating: "word ", count: 500_000)   // 2.5 MB, longer than a read block
        let lines = [#"{"text": "first"}"#, #"{"text": "\#(long)"}"#, #"{"text": "last"}"#]
        try lines.joined(separator: "\r\n").write(to: dir.appendingPathComponent("x.jsonl"), atomically: true, encoding: .utf8)

        func read(_ max: Int, _ policy: CollectConfig.ErrorPolicy) throws -> ([DocumentStream.Document], DocumentStream) {
            let s = try DocumentStream(config: CollectConfig(sources: [.jsonl("x.jsonl")], onError: policy,
                                                             maxDocumentBytes: max, baseDirectory: dir.path))
            var docs: [DocumentStream.Document] = []
            while let d = try s.next() { docs.append(d) }
            return (docs, s)
        }
        let (all, s1) = try read(4 << 20, .fail)
        #expect(all.map(\.source) == ["x.jsonl:1", "x.jsonl:2", "x.jsonl:3"])
        #expect(all[1].text == long && all[2].text == "last")
        #expect(s1.bytesRead == lines.joined(separator: "\r\n").utf8.count)
        let (some, s2) = try read(1 << 20, .skip)
        #expect(some.map(\.source) == ["x.jsonl:1", "x.jsonl:3"])
        #expect(s2.errors.tooLarge == 1)
        #expect { try read(1 << 20, .fail) } throws: { ($0 as? TextError)?.message.hasPrefix("x.jsonl:2: line longer") == true }
    }

    /// A file saved by a Windows editor: a byte order mark before the first line, CRLF line ends.
    @Test func aByteOrderMarkBeforeTheFirstLineIsSkipped() throws {
        let dir = try FixtureFile.temporaryDirectory("bom")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("\u{FEFF}{\"text\": \"first\"}\r\n{\"text\": \"second\"}\r\n".utf8).write(to: dir.appendingPathComponent("x.jsonl"))
        let s = try DocumentStream(config: CollectConfig(sources: [.jsonl("x.jsonl")], baseDirectory: dir.path))
        var texts: [String] = []
        while let d = try s.next() { texts.append(d.text) }
        #expect(texts == ["first", "second"])
        #expect(s.bytesRead == 3 + 19 + 20)
    }

    @Test func damagedGzipIsAnErrorNamingTheFile() throws {
        let dir = try FixtureFile.temporaryDirectory("gz")
        defer { try? FileManager.default.removeItem(at: dir) }
        // A gzip header followed by garbage.
        try Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 0x03, 0xFF, 0xFF, 0xFF, 0x00, 0x12])
            .write(to: dir.appendingPathComponent("bad.jsonl.gz"))
        let s = try DocumentStream(config: CollectConfig(sources: [.jsonl("bad.jsonl.gz")], baseDirectory: dir.path))
        #expect { try s.next() } throws: { ($0 as? TextError)?.message.hasPrefix("bad.jsonl.gz: cannot read") == true }
    }
}
