import AnnealEngine
import AnnealSpec
import AnnealText

/// Reading the step's resolved `with:` into `AnnealText`'s configuration.
extension Collect {
    /// Everything but the sources, which `SourceView` lays out.
    static func collectConfig(_ config: Value) throws -> CollectConfig {
        var c = CollectConfig(sources: [])
        c.onError = config["on_error"]?.string.flatMap(CollectConfig.ErrorPolicy.init(rawValue:)) ?? .fail
        if let v = config["max_document_bytes"]?.int { c.maxDocumentBytes = v }

        let clean = config["clean"] ?? .map([:])
        if let n = clean["normalization"]?.string.flatMap(CleaningConfig.Normalization.init(rawValue:)) { c.cleaning.normalization = n }
        if let b = clean["normalize_newlines"]?.bool { c.cleaning.normalizeNewlines = b }
        if let b = clean["remove_control"]?.bool { c.cleaning.removeControl = b }
        if let b = clean["strip_html"]?.bool { c.cleaning.stripHTML = b }
        if let b = clean["collapse_whitespace"]?.bool { c.cleaning.collapseWhitespace = b }

        // A field the schema filled is always present; `off` (text) reads as nil.
        let filters = config["filters"] ?? .map([:])
        if let v = filters["min_chars"] { c.filters.minChars = v.int }
        if let v = filters["max_chars"] { c.filters.maxChars = v.int }
        if let v = filters["min_words"] { c.filters.minWords = v.int }
        if let v = filters["max_words"] { c.filters.maxWords = v.int }
        if let v = filters["max_symbol_ratio"] { c.filters.maxSymbolRatio = v.double }
        if let v = filters["max_duplicate_line_ratio"] { c.filters.maxDuplicateLineRatio = v.double }
        if let v = filters["max_top_ngram_ratio"] {
            if let ratios = v.map {
                var byN: [Int: Double] = [:]
                for (key, ratio) in ratios {
                    guard let n = Int(key), n >= 1, n <= 64 else {
                        throw StepFailure("filters.max_top_ngram_ratio: '\(key)' is not an n-gram size; write sizes 1 to 64 as keys, like { 2: 0.2, 3: 0.18 }")
                    }
                    byN[n] = ratio.double
                }
                c.filters.maxTopNgramRatio = byN.isEmpty ? nil : byN
            } else {
                c.filters.maxTopNgramRatio = nil
            }
        }
        if let v = filters["required_script"]?.string { c.filters.requiredScript = UnicodeScript(rawValue: v) }
        if let v = filters["min_script_ratio"]?.double { c.filters.minScriptRatio = v }

        let pii = config["pii"] ?? .map([:])
        if let b = pii["enabled"]?.bool { c.pii.enabled = b }
        if let b = pii["emails"]?.bool { c.pii.emails = b }
        if let b = pii["phones"]?.bool { c.pii.phones = b }
        if let b = pii["ip_addresses"]?.bool { c.pii.ipAddresses = b }

        let dedup = config["dedup"] ?? .map([:])
        if let b = dedup["exact"]?.bool { c.dedup.exact = b }
        if let v = dedup["near"] { c.dedup.near = v.double }
        if let v = dedup["shingle_size"]?.int { c.dedup.shingleSize = v }
        if let v = dedup["num_perm"]?.int { c.dedup.numPerm = v }
        if let v = dedup["bands"] { c.dedup.bands = v.int }
        if let v = dedup["seed"]?.int { c.dedup.seed = UInt64(v) }

        let split = config["split"] ?? .map([:])
        if let v = split["validation"]?.double { c.split.validation = v }
        if let v = split["test"]?.double { c.split.test = v }
        if let v = split["seed"]?.int { c.split.seed = UInt64(v) }
        return c
    }

    /// Each path of each source, named by its place in `sources`.
    static func sourceEntries(_ config: Value) throws -> [SourceView.Entry] {
        var entries: [SourceView.Entry] = []
        for (i, source) in (config["sources"]?.list ?? []).enumerated() {
            let given = ["files", "dir", "jsonl"].filter { source[$0] != nil }
            guard given.count == 1, let kind = SourceView.Entry.Kind(rawValue: given[0]), let value = source[given[0]] else {
                throw StepFailure("sources[\(i)] sets \(given.isEmpty ? "none" : given.joined(separator: " and ")) of files, dir and jsonl; set exactly one per entry")
            }
            let include = source["include"]?.list?.compactMap(\.string) ?? SourceSpec().include
            let exclude = source["exclude"]?.list?.compactMap(\.string) ?? []
            let field = source["field"]?.string ?? "text"
            let paths = value.pathList
            for (j, path) in paths.enumerated() {
                let label = value.list == nil ? "sources.\(i)" : "sources.\(i).\(j)"
                entries.append(SourceView.Entry(label: label, kind: kind, path: path, include: include, exclude: exclude, field: field))
            }
        }
        return entries
    }
}
