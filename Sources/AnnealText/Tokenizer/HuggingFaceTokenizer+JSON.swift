import Foundation

/// Reading a model family's `tokenizer.json`.
///
/// Implemented components (anything else is refused at load, naming the field,
/// its type and what is supported, rather than encoded differently):
/// - normalizer: `NFC`, `Prepend`, `Replace` with a String pattern, `Sequence`, or none;
/// - pre_tokenizer: `ByteLevel`, `Split` (String or Regex pattern, any behaviour, not inverted),
///   `Digits`, `Metaspace`, `Sequence`, or none;
/// - model: `BPE` (merges as pairs or strings, `ignore_merges`, `byte_fallback`, `unk_token`, `fuse_unk`);
/// - decoder: `ByteLevel`, `Replace` with a String pattern, `ByteFallback`, `Fuse`, `Strip`, `Metaspace`, `Sequence`, or none;
/// - post_processor: `TemplateProcessing` (its `single` template), `ByteLevel`, `Sequence`, or none;
/// - no truncation or padding.
extension HuggingFaceTokenizer {
    /// Reads a `tokenizer.json` file.
    public static func load(contentsOf url: URL) throws -> HuggingFaceTokenizer {
        try HuggingFaceTokenizer(huggingFaceJSON: BPETokenizer.readTokenizerFile(url), source: url.path)
    }

    /// Parses the contents of a `tokenizer.json`; `source` names it in errors.
    public convenience init(huggingFaceJSON data: Data, source: String = "tokenizer.json") throws {
        func fail(_ what: String) -> TextError { TextError("\(source): \(what)") }
        let root = try BPETokenizer.tokenizerJSONRoot(data, fail)
        for key in ["truncation", "padding"] where !Self.isNull(root[key]) {
            throw fail("\(key) is set; Anneal encodes without \(key), so set it to null")
        }
        let normalizer = try Self.normalizer(root["normalizer"], at: "normalizer", fail)
        let preTokenizer = try Self.preTokenizer(root["pre_tokenizer"], at: "pre_tokenizer", fail)
        let decoder = try Self.decoder(root["decoder"], at: "decoder", fail)
        let byteLevel = preTokenizer.map(Self.containsByteLevel) ?? false

        guard let model = root["model"] as? [String: Any] else { throw fail("no 'model' object") }
        let type = model["type"] as? String ?? "BPE"
        guard type == "BPE" else {
            throw fail("model type '\(type)' is not supported; supported: BPE")
        }
        if let d = model["dropout"] as? NSNumber, d.doubleValue != 0 {
            throw fail("model.dropout is \(d); BPE dropout makes encoding random, set it to null")
        }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let v = model[key] as? String, !v.isEmpty { throw fail("model.\(key) is set; not supported") }
        }
        let byteFallback = model["byte_fallback"] as? Bool ?? false
        if byteLevel && byteFallback {
            throw fail("model.byte_fallback is true with a ByteLevel pre-tokenizer; not supported (a byte-level vocabulary needs no fallback)")
        }
        let parts = try BPETokenizer.modelParts(root: root, byteLevel: byteLevel, fail: fail)
        var characterSymbols: CharacterSymbols?
        if !byteLevel {
            var unknown: Int?
            if let u = model["unk_token"] as? String {
                guard let id = parts.idOfText[u] else { throw fail("model.unk_token '\(u)' is not in model.vocab") }
                unknown = id
            }
            var bytes: [Int32] = []
            if byteFallback {
                bytes = (0..<256).map { b in Int32(parts.idOfText[String(format: "<0x%02X>", b)] ?? -1) }
            }
            characterSymbols = CharacterSymbols(byteFallbackTokens: bytes, unknownToken: unknown,
                                                fuseUnknown: model["fuse_unk"] as? Bool ?? false)
        }
        let rules = try Self.addedTokenRules(root["added_tokens"], fail)
        let (prefix, suffix) = try Self.postProcessorIds(root["post_processor"], at: "post_processor", fail)

        var strings = [String](repeating: "", count: parts.tokenBytes.count)
        for (text, id) in parts.idOfText {
            if id >= strings.count { strings += Array(repeating: "", count: id + 1 - strings.count) }
            strings[id] = text
        }
        for r in rules {
            if r.id >= strings.count { strings += Array(repeating: "", count: r.id + 1 - strings.count) }
            strings[r.id] = r.content
        }
        let bpe: BPETokenizer
        do {
            bpe = try BPETokenizer(tokenBytes: parts.tokenBytes, merges: parts.merges, addedTokens: parts.addedTokens,
                                   ignoreMerges: model["ignore_merges"] as? Bool ?? false, characterSymbols: characterSymbols)
        } catch let e as TextError {
            throw fail(e.message)
        }
        for id in prefix + suffix where id < 0 || id >= strings.count || strings[id].isEmpty {
            throw fail("post_processor names token id \(id), which is not in the vocabulary")
        }
        self.init(model: bpe, isByteLevel: byteLevel, normalizer: normalizer, preTokenizer: preTokenizer,
                  decoder: decoder, addedTokens: rules, prefixIds: prefix, suffixIds: suffix, tokenStrings: strings)
    }

    private static func isNull(_ v: Any?) -> Bool { v == nil || v is NSNull }

    private static func containsByteLevel(_ p: PreTokenizer) -> Bool {
        switch p {
        case .byteLevel: return true
        case .sequence(let steps): return steps.contains(where: containsByteLevel)
        default: return false
        }
    }

    /// The component object at `path` and its `type`.
    private static func component(_ v: Any?, at path: String, _ fail: (String) -> TextError) throws -> ([String: Any], String)? {
        if isNull(v) { return nil }
        guard let o = v as? [String: Any], let type = o["type"] as? String else {
            throw fail("\(path) is not an object with a 'type'")
        }
        return (o, type)
    }

    /// A `{"String": "..."}` pattern; a Regex one is refused where only literals are implemented.
    private static func literalPattern(_ o: [String: Any], at path: String, _ fail: (String) -> TextError) throws -> [UInt8] {
        guard let p = o["pattern"] as? [String: Any], let s = p["String"] as? String else {
            throw fail("\(path).pattern is not a String pattern; only literal Replace patterns are supported")
        }
        return Array(s.utf8)
    }

    static func normalizer(_ v: Any?, at path: String, _ fail: (String) -> TextError) throws -> TextNormalizer? {
        guard let (o, type) = try component(v, at: path, fail) else { return nil }
        switch type {
        case "NFC": return .nfc
        case "Prepend":
            guard let p = o["prepend"] as? String else { throw fail("\(path).prepend is missing") }
            return .prepend(Array(p.utf8))
        case "Replace":
            return .replace(pattern: try literalPattern(o, at: path, fail), content: Array((o["content"] as? String ?? "").utf8))
        case "Sequence":
            guard let list = o["normalizers"] as? [Any] else { throw fail("\(path).normalizers is missing") }
            return .sequence(try list.enumerated().compactMap { try normalizer($1, at: "\(path).normalizers[\($0)]", fail) })
        default:
            throw fail("\(path) type '\(type)' is not supported; supported: NFC, Prepend, Replace, Sequence")
        }
    }

    static func prependScheme(_ o: [String: Any], at path: String, _ fail: (String) -> TextError) throws -> MetaspacePrependScheme {
        if let s = o["prepend_scheme"] as? String {
            guard let scheme = MetaspacePrependScheme(rawValue: s) else {
                throw fail("\(path).prepend_scheme '\(s)' is not one of always, first, never")
            }
            return scheme
        }
        // Files written before prepend_scheme existed carry add_prefix_space instead.
        return (o["add_prefix_space"] as? Bool ?? true) ? .always : .never
    }

    static func replacementScalar(_ o: [String: Any], at path: String, _ fail: (String) -> TextError) throws -> Unicode.Scalar {
        guard let r = o["replacement"] as? String, r.unicodeScalars.count == 1, let s = r.unicodeScalars.first else {
            throw fail("\(path).replacement is not a single character")
        }
        return s
    }

    static func preTokenizer(_ v: Any?, at path: String, _ fail: (String) -> TextError) throws -> PreTokenizer? {
        guard let (o, type) = try component(v, at: path, fail) else { return nil }
        switch type {
        case "ByteLevel":
            return .byteLevel(addPrefixSpace: o["add_prefix_space"] as? Bool ?? false, useRegex: o["use_regex"] as? Bool ?? true)
        case "Split":
            if o["invert"] as? Bool == true { throw fail("\(path).invert is true; only non-inverted Split is supported") }
            let behaviorName = o["behavior"] as? String ?? ""
            guard let behavior = SplitDelimiterBehavior(rawValue: behaviorName) else {
                throw fail("\(path).behavior '\(behaviorName)' is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous")
            }
            guard let p = o["pattern"] as? [String: Any] else { throw fail("\(path).pattern is missing") }
            if let s = p["String"] as? String { return .split(SplitPattern(literal: s), behavior) }
            guard let r = p["Regex"] as? String else { throw fail("\(path).pattern is neither String nor Regex") }
            do {
                return .split(try SplitPattern(oniguruma: r), behavior)
            } catch let e as TextError {
                throw fail("\(path).pattern.Regex: \(e.message)")
            }
        case "Digits":
            return .digits(individual: o["individual_digits"] as? Bool ?? false)
        case "Metaspace":
            return .metaspace(replacement: Array(String(try replacementScalar(o, at: path, fail)).utf8),
                              prependScheme: try prependScheme(o, at: path, fail), split: o["split"] as? Bool ?? true)
        case "Sequence":
            guard let list = o["pretokenizers"] as? [Any] else { throw fail("\(path).pretokenizers is missing") }
            return .sequence(try list.enumerated().compactMap { try preTokenizer($1, at: "\(path).pretokenizers[\($0)]", fail) })
        default:
            throw fail("\(path) type '\(type)' is not supported; supported: ByteLevel, Split, Digits, Metaspace, Sequence")
        }
    }

    static func decoder(_ v: Any?, at path: String, _ fail: (String) -> TextError) throws -> TokenDecoder? {
        guard let (o, type) = try component(v, at: path, fail) else { return nil }
        switch type {
        case "ByteLevel": return .byteLevel
        case "Replace":
            return .replace(pattern: try literalPattern(o, at: path, fail), content: Array((o["content"] as? String ?? "").utf8))
        case "ByteFallback": return .byteFallback
        case "Fuse": return .fuse
        case "Strip":
            guard let c = o["content"] as? String, c.unicodeScalars.count == 1, let scalar = c.unicodeScalars.first else {
                throw fail("\(path).content is not a single character")
            }
            return .strip(content: scalar, start: (o["start"] as? NSNumber)?.intValue ?? 0, stop: (o["stop"] as? NSNumber)?.intValue ?? 0)
        case "Metaspace":
            return .metaspace(replacement: try replacementScalar(o, at: path, fail), prependScheme: try prependScheme(o, at: path, fail))
        case "Sequence":
            guard let list = o["decoders"] as? [Any] else { throw fail("\(path).decoders is missing") }
            return .sequence(try list.enumerated().compactMap { try decoder($1, at: "\(path).decoders[\($0)]", fail) })
        default:
            throw fail("\(path) type '\(type)' is not supported; supported: ByteLevel, Replace, ByteFallback, Fuse, Strip, Metaspace, Sequence")
        }
    }

    /// The ids before and after `$A` in the post-processor's single-sequence template.
    static func postProcessorIds(_ v: Any?, at path: String, _ fail: (String) -> TextError) throws -> ([Int], [Int]) {
        guard let (o, type) = try component(v, at: path, fail) else { return ([], []) }
        switch type {
        case "ByteLevel":
            return ([], [])  // only adjusts offsets
        case "Sequence":
            guard let list = o["processors"] as? [Any] else { throw fail("\(path).processors is missing") }
            var prefix: [Int] = [], suffix: [Int] = []
            for (i, p) in list.enumerated() {
                let (a, b) = try postProcessorIds(p, at: "\(path).processors[\(i)]", fail)
                prefix = a + prefix
                suffix += b
            }
            return (prefix, suffix)
        case "TemplateProcessing":
            guard let single = o["single"] as? [Any] else { throw fail("\(path).single is missing") }
            let specials = o["special_tokens"] as? [String: Any] ?? [:]
            var prefix: [Int] = [], suffix: [Int] = []
            var seenSequence = false
            for (i, item) in single.enumerated() {
                let itemPath = "\(path).single[\(i)]"
                if let s = item as? [String: Any], let seq = s["Sequence"] as? [String: Any] {
                    guard seq["id"] as? String == "A", !seenSequence else {
                        throw fail("\(itemPath) is a Sequence other than one 'A'; a single-sequence template has exactly one $A")
                    }
                    seenSequence = true
                } else if let s = item as? [String: Any], let tok = s["SpecialToken"] as? [String: Any], let name = tok["id"] as? String {
                    guard let entry = specials[name] as? [String: Any], let ids = entry["ids"] as? [NSNumber] else {
                        throw fail("\(itemPath) names special token '\(name)', which \(path).special_tokens does not define")
                    }
                    if seenSequence { suffix += ids.map(\.intValue) } else { prefix += ids.map(\.intValue) }
                } else {
                    throw fail("\(itemPath) is neither a SpecialToken nor a Sequence")
                }
            }
            guard seenSequence else { throw fail("\(path).single has no $A sequence") }
            return (prefix, suffix)
        default:
            throw fail("\(path) type '\(type)' is not supported; supported: TemplateProcessing, ByteLevel, Sequence")
        }
    }

    static func addedTokenRules(_ v: Any?, _ fail: (String) -> TextError) throws -> [AddedTokenRule] {
        var rules: [AddedTokenRule] = []
        for (i, t) in (v as? [Any] ?? []).enumerated() {
            guard let o = t as? [String: Any], let id = (o["id"] as? NSNumber)?.intValue, id >= 0,
                  let content = o["content"] as? String else {
                throw fail("added_tokens[\(i)] lacks a non-negative integer 'id' or a string 'content'")
            }
            let special = o["special"] as? Bool ?? false
            rules.append(AddedTokenRule(id: id, content: content, special: special,
                                        normalized: o["normalized"] as? Bool ?? !special,
                                        lstrip: o["lstrip"] as? Bool ?? false, rstrip: o["rstrip"] as? Bool ?? false,
                                        singleWord: o["single_word"] as? Bool ?? false))
        }
        return rules.sorted { $0.id < $1.id }
    }
}
