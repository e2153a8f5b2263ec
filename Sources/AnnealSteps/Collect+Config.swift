import AnnealEngine
import AnnealSpec
import AnnealText

/// Reading the step's resolved `with:` into `AnnealText`'s configuration.
extension Collect {
    /// Everything but the sources, which `SourceView` lays out.
    static func collectConfig(_ config: Configuration) throws -> CollectConfig {
        var c = CollectConfig(sources: [])
        c.onError = CollectConfig.ErrorPolicy(rawValue: config.onError) ?? c.onError
        c.maxDocumentBytes = config.maxDocumentBytes

        let clean = config.clean
        if let n = CleaningConfig.Normalization(rawValue: clean.normalization) { c.cleaning.normalization = n }
        c.cleaning.normalizeNewlines = clean.normalizeNewlines
        c.cleaning.removeControl = clean.removeControl
        c.cleaning.stripHTML = clean.stripHtml
        c.cleaning.collapseWhitespace = clean.collapseWhitespace

        // `off` reads as nil.
        let filters = config.filters
        c.filters.minChars = filters.minChars.value
        c.filters.maxChars = filters.maxChars.value
        c.filters.minWords = filters.minWords.value
        c.filters.maxWords = filters.maxWords.value
        c.filters.maxSymbolRatio = filters.maxSymbolRatio.value
        c.filters.maxDuplicateLineRatio = filters.maxDuplicateLineRatio.value
        if let ratios = filters.maxTopNgramRatio.value {
            var byN: [Int: Double] = [:]
            for (key, ratio) in ratios {
                guard let n = Int(key), n >= 1, n <= 64 else {
                    throw StepFailure("filters.max_top_ngram_ratio: '\(key)' is not an n-gram size; write sizes 1 to 64 as keys, like { 2: 0.2, 3: 0.18 }")
                }
                byN[n] = ratio
            }
            c.filters.maxTopNgramRatio = byN.isEmpty ? nil : byN
        } else {
            c.filters.maxTopNgramRatio = nil
        }
        c.filters.requiredScript = UnicodeScript(rawValue: filters.requiredScript)
        c.filters.minScriptRatio = filters.minScriptRatio

        c.pii.enabled = config.pii.enabled
        c.pii.emails = config.pii.emails
        c.pii.phones = config.pii.phones
        c.pii.ipAddresses = config.pii.ipAddresses

        let dedup = config.dedup
        c.dedup.exact = dedup.exact
        c.dedup.near = dedup.near.value
        c.dedup.shingleSize = dedup.shingleSize
        c.dedup.numPerm = dedup.numPerm
        c.dedup.bands = dedup.bands.value
        c.dedup.seed = dedup.seed

        c.split.validation = config.split.validation
        c.split.test = config.split.test
        c.split.seed = config.split.seed
        return c
    }

    /// Each path of each source, named by its place in `sources`.
    static func sourceEntries(_ config: Configuration) throws -> [SourceView.Entry] {
        var entries: [SourceView.Entry] = []
        for (i, source) in config.sources.enumerated() {
            let given: [(SourceView.Entry.Kind, PathList)] = [
                source.files.map { (.files, $0) },
                source.dir.map { (.dir, PathList(single: $0)) },
                source.jsonl.map { (.jsonl, $0) },
            ].compactMap { $0 }
            guard given.count == 1, let (kind, value) = given.first else {
                throw StepFailure("sources[\(i)] sets \(given.isEmpty ? "none" : given.map(\.0.rawValue).joined(separator: " and ")) of files, dir and jsonl; set exactly one per entry")
            }
            for (j, path) in value.paths.enumerated() {
                let label = value.isList ? "sources.\(i).\(j)" : "sources.\(i)"
                entries.append(SourceView.Entry(label: label, kind: kind, path: path, include: source.include, exclude: source.exclude,
                                                field: source.field))
            }
        }
        return entries
    }
}
