import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation
import Testing

@Suite struct DataStepCollectTests {
    static func pipeline(onError: String = "skip", extra: String = "      split: { validation: 0.2, test: 0.1 }") -> String {
        "name: messy\nsteps:\n" + MessyCorpus.collectStep(onError: onError, extra: extra) + "\n"
    }

    @Test func aMessyCorpusIsCleanedFilteredDeduplicatedAndSplit() throws {
        let w = try DataStepWorkspace()
        try MessyCorpus.write(into: w)
        try w.write("p.yaml", Self.pipeline())
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(record.steps.map(\.reasons))")

        let stats = try w.json(record, "corpus", "stats")
        // 16 files under data/text, page.html (not notes.txt, not drafts/), docs.jsonl.
        #expect(stats["files"] as? Int == 18)
        let read = stats["read"] as! [String: Any]
        #expect(read["documents"] as? Int == 20, "16 text files, 1 page, 3 good JSONL lines")
        let removed = stats["removed_by_filter"] as! [String: Int]
        #expect(removed["min_chars"] == 1, "the empty file")
        #expect(removed["min_words"] == 1, "the short file")
        #expect(removed.values.reduce(0, +) == 2)
        #expect(stats["exact_duplicates_removed"] as? Int == 1)
        #expect(stats["near_duplicates_removed"] as? Int == 1)
        let errors = stats["errors"] as! [String: Any]
        #expect(errors["malformed_json"] as? Int == 1)
        #expect((errors["examples"] as? [String])?.first?.hasPrefix("sources.2:3:1: ") == true)

        let train = try w.lines(record, "corpus", "train")
        let validation = try w.lines(record, "corpus", "validation")
        let test = try w.lines(record, "corpus", "test")
        #expect(train.count + validation.count + test.count == 16)
        #expect(train.count > validation.count)
        let all = train + validation + test
        let sources = Set(all.map { $0["source"] as! String })
        #expect(sources.contains("sources.0/doc03.txt:1") && sources.contains("sources.0/doc05.txt:1"), "the first of each copy is kept")
        #expect(!sources.contains("sources.0/more/dup.txt:1") && !sources.contains("sources.0/more/near.md:1"))
        #expect(sources.contains("sources.1/page.html:1"))
        #expect(sources.filter { $0.hasPrefix("sources.2:") }.sorted() == ["sources.2:1", "sources.2:2", "sources.2:4"])
        let page = all.first { $0["source"] as? String == "sources.1/page.html:1" }?["text"] as? String ?? ""
        #expect(page.contains("The roses & the tulips came up early"))
        #expect(!page.contains("<") && !page.contains("tracking") && !page.contains("color"))

        // The same numbers are the step's metrics.
        let metrics = try #require(record.step("corpus")?.metrics)
        #expect(metrics["documents_in"] == .int(20))
        #expect(metrics["documents_out"] == .int(16))
        #expect(metrics["exact_duplicates_removed"] == .int(1))
        #expect(metrics["near_duplicates_removed"] == .int(1))
        #expect(metrics["removed_by_filter"]?["min_words"] == .int(1))
        #expect(metrics["inputs_skipped"] == .int(1))
        #expect(metrics["train_documents"] == .int(train.count))
        #expect(metrics["test_documents"] == .int(test.count))
    }

    @Test func aMalformedLineFailsNamingFileAndLineUnlessSkipped() throws {
        let w = try DataStepWorkspace()
        try MessyCorpus.write(into: w)
        try w.write("p.yaml", Self.pipeline(onError: "fail"))
        let failed = try w.run()
        #expect(failed.outcome == .failed)
        let step = try #require(failed.step("corpus"))
        #expect(step.outcome == .failed)
        let log = try String(contentsOfFile: try #require(step.log), encoding: .utf8)
        // The message names the real file (not the step's internal name for it) and the line.
        #expect(log.contains("\(w.root)/data/docs.jsonl:3:1: expected a JSON object"), "\(log)")
        #expect(!log.contains("sources.2"))

        try w.write("p.yaml", Self.pipeline(onError: "skip"))
        let skipped = try w.run()
        #expect(skipped.outcome == .succeeded)
        #expect(skipped.step("corpus")?.metrics["inputs_skipped"] == .int(1))
    }

    @Test func aSecondRunIsCachedAndEditingAFileAGlobReachesReruns() throws {
        let w = try DataStepWorkspace()
        try MessyCorpus.write(into: w)
        try w.write("p.yaml", Self.pipeline())
        let first = try w.run()
        #expect(first.outcome == .succeeded)
        let second = try w.run()
        #expect(second.step("corpus")?.outcome == .cached)
        #expect(w.digests(first) == w.digests(second))

        // Two folders down, reached only through `**`.
        try w.write("data/text/more/near.md", MessyCorpus.document(30) + "\n")
        let third = try w.run()
        #expect(third.step("corpus")?.outcome == .ran)
        #expect(third.step("corpus")?.reasons.contains { $0.contains("sources[0].files") } == true, "\(third.step("corpus")?.reasons ?? [])")
        #expect(try w.lines(third, "corpus", "train").count + w.lines(third, "corpus", "validation").count
                + w.lines(third, "corpus", "test").count == 17, "no longer a near duplicate")
    }

    @Test func outputsDoNotDependOnThreadsOrOnWhereTheWorkspaceIs() throws {
        func run(cpus: Int) throws -> [String: String] {
            let w = try DataStepWorkspace()
            try MessyCorpus.write(into: w)
            try w.write("p.yaml", """
                name: messy
                steps:
                \(MessyCorpus.collectStep(extra: "      split: { validation: 0.2 }"))
                    resources: { cpus: \(cpus) }
                  tokenizer:
                    kind: tokenizer
                    with: { text: "${corpus.train}", vocab_size: 400 }
                  tokens:
                    kind: tokenize
                    resources: { cpus: \(cpus) }
                    with: { tokenizer: "${tokenizer.tokenizer}", text: "${corpus.train}", validation: "${corpus.validation}", tokens_per_shard: 500 }

                """)
            let record = try w.run(jobs: 4)
            #expect(record.outcome == .succeeded, "\(record.steps.map(\.reasons))")
            return w.digests(record)
        }
        let one = try run(cpus: 1)
        let three = try run(cpus: 3)
        #expect(one.count == 6)
        #expect(one == three)
    }

    @Test func theTestOutputIsEmptyWithoutATestShare() throws {
        let w = try DataStepWorkspace()
        try MessyCorpus.write(into: w)
        try w.write("p.yaml", Self.pipeline(extra: ""))
        let record = try w.run()
        #expect(record.outcome == .succeeded)
        #expect(try w.text(record, "corpus", "test") == "")
        #expect(try w.lines(record, "corpus", "train").count + w.lines(record, "corpus", "validation").count == 16)
    }

    @Test func annealShowPrintsTheStatsAsMetrics() throws {
        let w = try DataStepWorkspace()
        try MessyCorpus.write(into: w)
        try w.write("p.yaml", Self.pipeline())
        _ = try w.anneal(["run", "p.yaml"])
        let (status, output) = try w.anneal(["show", "corpus"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("\"documents_in\": 20"), "\(output)")
        #expect(output.contains("\"near_duplicates_removed\": 1"))
        #expect(output.contains("\"min_words\": 1"))
    }

    @Test func eachPathOfAListIsNamedByItsPlaceAndOddFileNamesAreReadAsThemselves() throws {
        let w = try DataStepWorkspace()
        try w.write("a/one.txt", MessyCorpus.document(1))
        try w.write("a/x[1]*?.txt", MessyCorpus.document(2))
        try w.write("a/x1.txt", MessyCorpus.document(3))
        try w.write("b.jsonl", "{\"text\": \"\(MessyCorpus.document(4))\"}\n")
        try w.write("p.yaml", """
            name: names
            steps:
              corpus:
                kind: collect
                with:
                  sources:
                    - files: [a/*.txt, b.jsonl]
                  split: { validation: 0 }

            """)
        let record = try w.run()
        #expect(record.outcome == .succeeded, "\(record.steps.map(\.reasons))")
        let sources = try w.lines(record, "corpus", "train").map { $0["source"] as! String }
        #expect(sources == ["sources.0.0/one.txt:1", "sources.0.0/x1.txt:1", "sources.0.0/./x[1]*?.txt:1", "sources.0.1:1"])
    }
}
