import Foundation
import Testing
@testable import AnnealText

/// The collect run end to end: sources, errors, dedup, split, outputs, stats.
struct CollectorTests {
    /// A scratch tree with text files, a JSONL file and its gzip copy.
    func makeTree() throws -> URL {
        let dir = try FixtureFile.temporaryDirectory("collect")
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("docs/sub"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("docs/drafts"), withIntermediateDirectories: true)
        try "Alpha document about rivers and lakes in the north.\r\n".write(to: dir.appendingPathComponent("docs/a.txt"), atomically: true, encoding: .utf8)
        try "# Beta\n\nA markdown page about mountains and valleys.".write(to: dir.appendingPathComponent("docs/sub/b.md"), atomically: true, encoding: .utf8)
        try "Draft text that must be excluded from the corpus.".write(to: dir.appendingPathComponent("docs/drafts/c.txt"), atomically: true, encoding: .utf8)
        try "not included: wrong extension".write(to: dir.appendingPathComponent("docs/d.csv"), atomically: true, encoding: .utf8)
        let lines = [
            #"{"text": "Gamma: a story of ships and the sea, told twice.", "id": 1}"#,
            #"{"text": "gamma:  a story of ships and the SEA, told twice.", "id": 2}"#,
            "",
            #"{"text": "Contact me at someone@example.com about the ship.", "id": 3}"#,
            #"{"text": "Alpha document about rivers and lakes in the north.", "id": 4}"#,
        ]
        try lines.joined(separator: "\n").write(to: dir.appendingPathComponent("data.jsonl"), atomically: true, encoding: .utf8)
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/sh")
        gz.arguments = ["-c", "gzip -c data.jsonl > more.jsonl.gz"]
        gz.currentDirectoryURL = dir
        try gz.run()
        gz.waitUntilExit()
        return dir
    }

    func lines(_ url: URL) throws -> [[String: String]] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: String]
        }
    }

    @Test func collectsCleansDeduplicatesAndSplits() throws {
        let dir = try makeTree()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = CollectConfig(
            sources: [.directory("docs", exclude: ["drafts/**"]), .jsonl("data.jsonl"), .jsonl("*.jsonl.gz")],
            pii: PIIConfig(enabled: true), split: SplitConfig(validation: 0), baseDirectory: dir.path, threads: 2)
        let out = dir.appendingPathComponent("out")
        let stats = try Collector(config).run(outputDirectory: out)
        let train = try lines(out.appendingPathComponent("train.jsonl"))
        #expect(train.map { $0["source"]! } == ["docs/a.txt:1", "docs/sub/b.md:1", "data.jsonl:1", "data.jsonl:4"])
        #expect(train[0]["text"] == "Alpha document about rivers and lakes in the north.")
        #expect(train[3]["text"] == "Contact me at <EMAIL> about the ship.")
        #expect(stats.files == 4)
        #expect(stats.read.documents == 10)
        // data.jsonl:2 (case/space variant), data.jsonl:5 (= a.txt) and all of more.jsonl.gz.
        #expect(stats.exactDuplicatesRemoved == 6)
        #expect(stats.pii.emails == 2)
        #expect(stats.train.documents == 4 && stats.validation.documents == 0)
        #expect(try lines(out.appendingPathComponent("validation.jsonl")).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("test.jsonl").path))
        let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("stats.json"))) as! [String: Any]
        #expect(saved["exact_duplicates_removed"] as? Int == 6)
        #expect((saved["removed_by_filter"] as? [String: Int])?["min_chars"] == 0)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func outputIsTheSameForAnyThreadCount() throws {
        let dir = try makeTree()
        defer { try? FileManager.default.removeItem(at: dir) }
        var outputs: [Data] = []
        for threads in [1, 3] {
            let config = CollectConfig(sources: [.files("docs/**/*.txt", "docs/**/*.md"), .jsonl("data.jsonl")],
                                       split: SplitConfig(validation: 0.4, test: 0.2), baseDirectory: dir.path, threads: threads)
            let out = dir.appendingPathComponent("out\(threads)")
            try Collector(config).run(outputDirectory: out)
            for name in ["train.jsonl", "validation.jsonl", "test.jsonl", "stats.json"] {
                outputs.append(try Data(contentsOf: out.appendingPathComponent(name)))
            }
        }
        #expect(outputs[0..<4].elementsEqual(outputs[4..<8]))
    }

    @Test func badInputFailsNamingFileAndLineOrIsSkippedAndCounted() throws {
        let dir = try makeTree()
        defer { try? FileManager.default.removeItem(at: dir) }
        var bad = Data((#"{"text": "fine line one here"}"# + "\n").utf8)
        bad.append(Data((#"{"text": "broken"# + "\n").utf8))
        bad.append(Data((#"{"body": "no text field"}"# + "\n").utf8))
        bad.append(Data([0x7B, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D, 0x0A]))
        try bad.write(to: dir.appendingPathComponent("bad.jsonl"))
        try Data([0x61, 0xC3, 0x28]).write(to: dir.appendingPathComponent("bad.txt"))
        let sources: [SourceSpec] = [.jsonl("bad.jsonl"), .files("bad.txt"), .files("missing.txt")]
        let failing = CollectConfig(sources: sources, baseDirectory: dir.path)
        #expect { try Collector(failing).run(outputDirectory: dir.appendingPathComponent("o1")) } throws: { e in
            (e as? TextError)?.message.hasPrefix("bad.jsonl:2:") == true
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o1/train.jsonl").path))
        var skipping = failing
        skipping.onError = .skip
        let stats = try Collector(skipping).run(outputDirectory: dir.appendingPathComponent("o2"))
        #expect(stats.errors.malformedJSON == 1)
        #expect(stats.errors.missingField == 1)
        #expect(stats.errors.invalidUTF8 == 2)
        #expect(stats.errors.unreadableFiles == 1)
        #expect(stats.errors.examples.contains { $0.hasPrefix("bad.txt:1: invalid UTF-8") })
        #expect(stats.errors.examples.contains { $0.hasPrefix("missing.txt: cannot open") })
        #expect(stats.read.documents == 1)
    }

    @Test func configurationMistakesAreErrors() throws {
        let dir = try makeTree()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(throws: TextError.self) {
            try Collector(CollectConfig(sources: [.files("nothing/*.txt")], baseDirectory: dir.path)).run(outputDirectory: dir.appendingPathComponent("x"))
        }
        #expect(throws: TextError.self) {
            try Collector(CollectConfig(sources: [SourceSpec(files: ["a"], jsonl: ["b"])], baseDirectory: dir.path)).run(outputDirectory: dir.appendingPathComponent("x"))
        }
    }

    @Test func nearDuplicatesAndFiltersAreCounted() throws {
        let dir = try FixtureFile.temporaryDirectory("near")
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = (0..<120).map { "word\($0 * 37 % 101)x\($0)" }.joined(separator: " ")
        var changed = base.split(separator: " ").map(String.init)
        changed[60] = "different"
        let docs = [base, changed.joined(separator: " "), "tiny", "%%%% #### @@@@ !!!! ok fine"]
        try docs.map { #"{"text": \#(JSONText.quote($0))}"# }.joined(separator: "\n")
            .write(to: dir.appendingPathComponent("d.jsonl"), atomically: true, encoding: .utf8)
        var filters = QualityFilterConfig()
        filters.minWords = 2
        let config = CollectConfig(sources: [.jsonl("d.jsonl")], filters: filters, dedup: DedupConfig(near: 0.8),
                                   split: SplitConfig(validation: 0), baseDirectory: dir.path)
        let stats = try Collector(config).run(outputDirectory: dir.appendingPathComponent("out"))
        #expect(stats.nearDuplicatesRemoved == 1)
        #expect(stats.removedByFilter["min_words"] == 1)
        #expect(stats.removedByFilter["max_symbol_ratio"] == 1)
        #expect(stats.train.documents == 1)
        let near = try #require(stats.nearDedup)
        #expect(abs(near.falseNegativeRateAtThreshold - pow(1 - pow(0.8, Double(near.rows)), Double(near.bands))) < 1e-12)
        #expect(near.falseNegativeRateAt095 < 0.01)
    }
}
