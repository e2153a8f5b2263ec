import AnnealEngine
import AnnealSpec
import AnnealText
import Foundation

/// The `collect` step kind: reads text files, folders and JSONL, cleans,
/// scrubs, filters, deduplicates and splits them into `train.jsonl`,
/// `validation.jsonl` and `test.jsonl`, with `stats.json`. The fields map one
/// to one onto `AnnealText`'s `CollectConfig`, with its defaults.
public struct Collect: StepImplementation {
    public init() {}

    /// `off` for a setting that can be switched off.
    static let off = FieldType.enumeration(["off"])

    static let sourceSchema: Schema = {
        let library = SourceSpec()
        return Schema([
            Field("files", .either(.files, .list(.files)),
                  doc: "text files: a path or glob (*, ?, [abc], ** for any depth), or a list; a .jsonl or .jsonl.gz file is read as JSONL"),
            Field("dir", .file, doc: "a folder, searched recursively for files that match include and not exclude"),
            Field("include", .list(.string), default: .list(library.include.map { .string($0) }),
                  doc: "with dir: globs, relative to the folder, of the files to read"),
            Field("exclude", .list(.string), default: .list(library.exclude.map { .string($0) }),
                  doc: "with dir: globs, relative to the folder, of files to leave out"),
            Field("jsonl", .either(.files, .list(.files)),
                  doc: "JSONL files (plain or gzip): a path or glob, or a list; one document per line"),
            Field("field", .string, default: .string(library.field), doc: "the JSONL field that holds the text"),
        ], rules: [.exactlyOne(of: ["files", "dir", "jsonl"], why: "each entry of sources reads one kind of input")])
    }()

    static let cleanSchema: Schema = {
        let library = CleaningConfig()
        return Schema([
            Field("normalization", .enumeration(CleaningConfig.Normalization.allCases.map(\.rawValue)),
                  default: .string(library.normalization.rawValue),
                  doc: "Unicode normalisation: nfc, nfkc (also folds ligatures, full-width forms) or none"),
            Field("normalize_newlines", .bool, default: .bool(library.normalizeNewlines),
                  doc: "CRLF, CR, NEL, U+2028 and U+2029 become LF"),
            Field("remove_control", .bool, default: .bool(library.removeControl),
                  doc: "drop control characters other than tab and newline, and the byte-order mark"),
            Field("strip_html", .bool, default: .bool(library.stripHTML),
                  doc: "remove tags, comments, script and style elements; decode entities"),
            Field("collapse_whitespace", .bool, default: .bool(library.collapseWhitespace),
                  doc: "runs of blanks become one space, 3+ newlines two, and the text is trimmed"),
        ])
    }()

    static let filtersSchema: Schema = {
        let library = QualityFilterConfig()
        func intOrOff(_ v: Int?) -> Value { v.map { .int($0) } ?? .string("off") }
        func floatOrOff(_ v: Double?) -> Value { v.map { .float($0) } ?? .string("off") }
        let ngrams: Value = library.maxTopNgramRatio.map { ratios in
            .map(Dictionary(uniqueKeysWithValues: ratios.map { (String($0.key), Value.float($0.value)) }))
        } ?? .string("off")
        return Schema([
            Field("min_chars", .either(.int(min: 0), off), default: intOrOff(library.minChars),
                  doc: "fewest characters after cleaning (1 drops empty documents), or off"),
            Field("max_chars", .either(.int(min: 1), off), default: intOrOff(library.maxChars),
                  doc: "most characters, or off"),
            Field("min_words", .either(.int(min: 0), off), default: intOrOff(library.minWords),
                  doc: "fewest words (runs of letters or digits), or off"),
            Field("max_words", .either(.int(min: 1), off), default: intOrOff(library.maxWords),
                  doc: "most words, or off"),
            Field("max_symbol_ratio", .either(.float(min: 0, max: 1), off), default: floatOrOff(library.maxSymbolRatio),
                  doc: "largest share of non-blank characters that are neither letters nor digits, or off"),
            Field("max_duplicate_line_ratio", .either(.float(min: 0, max: 1), off),
                  default: floatOrOff(library.maxDuplicateLineRatio),
                  doc: "largest share of non-blank lines that repeat an earlier line (Gopher), or off"),
            Field("max_top_ngram_ratio", .either(.map(.float(min: 0, max: 1)), off), default: ngrams,
                  doc: "n -> largest share of the characters covered by the most frequent repeated word n-gram (Gopher), or off"),
            Field("required_script", .enumeration(UnicodeScript.allCases.map(\.rawValue) + ["off"]),
                  default: .string(library.requiredScript?.rawValue ?? "off"),
                  doc: "a script most letters must be in, or off"),
            Field("min_script_ratio", .float(min: 0, max: 1), default: .float(library.minScriptRatio),
                  doc: "share of letters that must be in required_script"),
        ])
    }()

    static let piiSchema: Schema = {
        let library = PIIConfig()
        return Schema([
            Field("enabled", .bool, default: .bool(library.enabled), doc: "scrub personal data at all"),
            Field("emails", .bool, default: .bool(library.emails), doc: "e-mail addresses become <EMAIL>"),
            Field("phones", .bool, default: .bool(library.phones), doc: "phone numbers of 10 to 15 digits become <PHONE>"),
            Field("ip_addresses", .bool, default: .bool(library.ipAddresses), doc: "IPv4 and IPv6 addresses become <IP_ADDRESS>"),
        ])
    }()

    static let dedupSchema: Schema = {
        let library = DedupConfig()
        return Schema([
            Field("exact", .bool, default: .bool(library.exact),
                  doc: "drop documents whose lower-cased, whitespace-collapsed text was seen before"),
            Field("near", .either(.float(min: 0, max: 1), off), default: library.near.map { .float($0) } ?? .string("off"),
                  doc: "Jaccard similarity of word shingles above which a document is a near duplicate (MinHash LSH), or off"),
            Field("shingle_size", .int(min: 1, max: 64), default: .int(library.shingleSize), doc: "words per shingle"),
            Field("num_perm", .int(min: 1, max: 4096), default: .int(library.numPerm), doc: "MinHash permutations (signature length)"),
            Field("bands", .either(.int(min: 1), .enumeration(["auto"])), default: library.bands.map { .int($0) } ?? .string("auto"),
                  doc: "LSH bands (num_perm / bands rows each), or auto to choose them for near"),
            Field("seed", .int(min: 0), default: .int(Int(library.seed)), doc: "seed of the MinHash permutations"),
        ])
    }()

    static let splitSchema: Schema = {
        let library = SplitConfig()
        return Schema([
            Field("validation", .float(min: 0, max: 1), default: .float(library.validation), doc: "share of documents for validation"),
            Field("test", .float(min: 0, max: 1), default: .float(library.test),
                  doc: "share for test (0: test.jsonl is written empty)"),
            Field("seed", .int(min: 0), default: .int(Int(library.seed)), doc: "reshuffles which document goes to which split"),
        ])
    }()

    public static let descriptor = StepKindDescriptor(
        name: "collect",
        version: 1,
        summary: "Collect text from files, folders and JSONL: clean, filter, deduplicate and split it into JSONL.",
        schema: Schema([
            Field("sources", .list(.record(sourceSchema)), required: true,
                  doc: "where the documents come from, read in order: each entry sets one of files, dir or jsonl"),
            Field("on_error", .enumeration(CollectConfig.ErrorPolicy.allCases.map(\.rawValue)),
                  default: .string(CollectConfig.ErrorPolicy.fail.rawValue),
                  doc: "an unreadable file, invalid UTF-8 or a malformed JSONL line: fail naming file and line, or skip and count it"),
            Field("clean", .record(cleanSchema), default: cleanSchema.defaults, doc: "normalisation and cleaning, before everything else"),
            Field("filters", .record(filtersSchema), default: filtersSchema.defaults,
                  doc: "quality filters; a document is counted under the first that rejects it"),
            Field("pii", .record(piiSchema), default: piiSchema.defaults, doc: "personal data replaced by placeholders"),
            Field("dedup", .record(dedupSchema), default: dedupSchema.defaults, doc: "exact and near-duplicate removal; the first occurrence is kept"),
            Field("split", .record(splitSchema), default: splitSchema.defaults,
                  doc: "train / validation / test shares, by a hash of each document's text"),
            Field("max_document_bytes", .int(min: 1), default: .int(CollectConfig(sources: []).maxDocumentBytes),
                  doc: "a larger text file or JSONL line is an input error (keeps memory bounded)"),
        ]),
        outputs: .fixed([
            OutputDeclaration("train", path: "train.jsonl", shape: .file,
                              doc: "one {\"text\", \"source\"} object per line"),
            OutputDeclaration("validation", path: "validation.jsonl", shape: .file, doc: "the same, for validation"),
            OutputDeclaration("test", path: "test.jsonl", shape: .file, doc: "the same, for test; empty when split.test is 0"),
            OutputDeclaration("stats", path: "stats.json", shape: .file,
                              doc: "documents and characters after each stage, removals by filter, duplicates, skipped inputs"),
        ]),
        defaultCPUs: nil)

    public var descriptor: StepKindDescriptor { Self.descriptor }

    public func run(_ context: StepContext) throws {
        let settings: Configuration = try configuration(context)
        var config = try Self.collectConfig(settings)
        config.threads = context.cpus
        let view = try SourceView(entries: Self.sourceEntries(settings),
                                  in: "\(context.workDirectory)/sources-\(getpid())")
        defer { view.remove() }
        config.sources = view.sources
        config.baseDirectory = view.directory
        context.report(progress: 0, status: "\(view.sources.count) files")

        let stats: CollectStats
        do {
            stats = try Collector(config).run(outputDirectory: URL(fileURLWithPath: context.outputDirectory))
        } catch let e as TextError {
            throw StepFailure(view.realPaths(in: e.message))
        }
        let test = context.outputPath("test")
        if !FileManager.default.fileExists(atPath: test) {
            guard FileManager.default.createFile(atPath: test, contents: Data()) else {
                throw StepFailure("cannot create \(test)")
            }
        }
        context.record(metrics: Self.metrics(stats))
        print(Self.summary(stats))
        if let failure = Self.emptyTrainFailure(stats) { throw StepFailure(view.realPaths(in: failure.message)) }
    }

    /// Why `train.jsonl` came out empty, when it did: every kind downstream
    /// (tokenizer, tokenize, pretrain) would have nothing to learn from.
    static func emptyTrainFailure(_ s: CollectStats) -> StepFailure? {
        guard s.train.documents == 0 else { return nil }
        let removed = s.removedByFilter.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        let reason: String
        if s.read.documents == 0 {
            let skipped = s.errors.total == 0 ? "" : "; \(s.errors.total) inputs were skipped, the first: \(s.errors.examples.first ?? "")"
            reason = "the \(s.files) source files hold no documents\(skipped). Check that the sources name the files you meant and that they hold text"
        } else if s.deduplicated.documents == 0 {
            reason = "all \(s.read.documents) documents read were removed ("
                + (removed.map { "\($0.value) by \($0.key)" } + ["\(s.exactDuplicatesRemoved) exact and \(s.nearDuplicatesRemoved) near duplicates"])
                    .joined(separator: ", ")
                + "). Loosen 'filters' or 'dedup', or add text"
        } else {
            reason = "all \(s.deduplicated.documents) documents kept went to validation (\(s.validation.documents)) and test (\(s.test.documents)). "
                + "Lower split.validation and split.test, or add text"
        }
        return StepFailure("collect: train.jsonl would be empty, so there is nothing to learn from: \(reason)")
    }

    /// The numbers `anneal show` and `anneal metrics` print.
    static func metrics(_ s: CollectStats) -> [String: Value] {
        [
            "files": .int(s.files),
            "bytes_read": .int(s.bytesRead),
            "inputs_skipped": .int(s.errors.total),
            "documents_in": .int(s.read.documents),
            "documents_out": .int(s.deduplicated.documents),
            "characters_out": .int(s.deduplicated.characters),
            "removed_by_filter": .map(s.removedByFilter.mapValues { .int($0) }),
            "exact_duplicates_removed": .int(s.exactDuplicatesRemoved),
            "near_duplicates_removed": .int(s.nearDuplicatesRemoved),
            "pii_replaced": .int(s.pii.total),
            "train_documents": .int(s.train.documents),
            "validation_documents": .int(s.validation.documents),
            "test_documents": .int(s.test.documents),
        ]
    }

    /// One line for the step's log.
    static func summary(_ s: CollectStats) -> String {
        let removed = s.removedByFilter.values.reduce(0, +)
        return "collect: \(s.files) files, \(s.read.documents) documents in, \(removed) removed by filters, "
            + "\(s.exactDuplicatesRemoved) exact and \(s.nearDuplicatesRemoved) near duplicates, \(s.errors.total) inputs skipped; "
            + "\(s.deduplicated.documents) out (train \(s.train.documents), validation \(s.validation.documents), test \(s.test.documents))"
    }
}
