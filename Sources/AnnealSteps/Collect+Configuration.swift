extension Collect {
    /// The fields of `collect`, as its schema reads them.
    struct Configuration: Decodable {
        struct Source: Decodable {
            var files: PathList?
            var dir: String?
            var include: [String]
            var exclude: [String]
            var jsonl: PathList?
            var field: String
        }

        struct Clean: Decodable {
            var normalization: String
            var normalizeNewlines: Bool
            var removeControl: Bool
            var stripHtml: Bool
            var collapseWhitespace: Bool
        }

        struct Filters: Decodable {
            var minChars: ValueOrKeyword<Int>
            var maxChars: ValueOrKeyword<Int>
            var minWords: ValueOrKeyword<Int>
            var maxWords: ValueOrKeyword<Int>
            var maxSymbolRatio: ValueOrKeyword<Double>
            var maxDuplicateLineRatio: ValueOrKeyword<Double>
            var maxTopNgramRatio: ValueOrKeyword<[String: Double]>
            var requiredScript: String
            var minScriptRatio: Double
        }

        struct PII: Decodable {
            var enabled: Bool
            var emails: Bool
            var phones: Bool
            var ipAddresses: Bool
        }

        struct Dedup: Decodable {
            var exact: Bool
            var near: ValueOrKeyword<Double>
            var shingleSize: Int
            var numPerm: Int
            var bands: ValueOrKeyword<Int>
            var seed: UInt64
        }

        struct Split: Decodable {
            var validation: Double
            var test: Double
            var seed: UInt64
        }

        var sources: [Source]
        var onError: String
        var clean: Clean
        var filters: Filters
        var pii: PII
        var dedup: Dedup
        var split: Split
        var maxDocumentBytes: Int
    }
}
