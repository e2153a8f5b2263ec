import AnnealFiles
import Foundation

/// Reading and writing Hugging Face `tokenizer.json` files.
///
/// Read: model `BPE` with a byte-level vocabulary, merges either as pairs
/// (`[["Ġ", "t"], ...]`, tokenizers >= 0.20) or as legacy strings (`["Ġ t", ...]`),
/// `added_tokens`, a `ByteLevel` pre-tokenizer with the GPT-2 regex (its
/// `add_prefix_space` is honoured) and no normalizer. Anything else (another
/// model, a normalizer, a custom split regex, byte fallback) is refused with an
/// error naming the field, rather than encoded differently from Hugging Face;
/// `HuggingFaceTokenizer` reads those (the Llama, Qwen2, SmolLM, Mistral and Gemma families).
/// Written: the same layout `tokenizers` writes for a ByteLevel BPE.
extension BPETokenizer {
    /// Reads a `tokenizer.json` file.
    public static func load(contentsOf url: URL) throws -> BPETokenizer {
        try BPETokenizer(huggingFaceJSON: readTokenizerFile(url), source: url.path)
    }

    /// The bytes of a tokenizer file, or an error naming it.
    static func readTokenizerFile(_ url: URL) throws -> Data {
        do { return try Data(contentsOf: url) } catch {
            throw TextError("cannot read tokenizer \(url.path): \(error.localizedDescription)")
        }
    }

    /// The top-level object of a `tokenizer.json`, or an error saying why it is not one.
    static func tokenizerJSONRoot(_ data: Data, _ fail: (String) -> TextError) throws -> [String: Any] {
        do {
            guard let r = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw fail("the top level is not a JSON object; expected a Hugging Face tokenizer.json")
            }
            return r
        } catch let e as TextError { throw e } catch {
            throw fail("not valid JSON (\(error.localizedDescription))")
        }
    }

    /// Parses the contents of a `tokenizer.json`; `source` names it in errors.
    public convenience init(huggingFaceJSON data: Data, source: String = "tokenizer.json") throws {
        func fail(_ what: String) -> TextError { TextError("\(source): \(what)") }
        let root = try BPETokenizer.tokenizerJSONRoot(data, fail)
        guard let model = root["model"] as? [String: Any] else { throw fail("no 'model' object") }
        if let type = model["type"] as? String, type != "BPE" {
            throw fail("model.type is '\(type)'; only byte-level BPE tokenizers are supported")
        }
        if let n = root["normalizer"], !(n is NSNull) {
            throw fail("has a normalizer; only tokenizers without one (GPT-2 style byte-level BPE) are supported")
        }
        if model["byte_fallback"] as? Bool == true { throw fail("model.byte_fallback is true; not supported by byte-level BPE") }
        for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
            if let v = model[key] as? String, !v.isEmpty { throw fail("model.\(key) is set; not supported") }
        }
        var addPrefixSpace = false
        if let pre = root["pre_tokenizer"] as? [String: Any] {
            guard pre["type"] as? String == "ByteLevel" else {
                throw fail("pre_tokenizer.type is '\(pre["type"] ?? "?")'; only ByteLevel (GPT-2 regex) is supported")
            }
            if pre["use_regex"] as? Bool == false { throw fail("pre_tokenizer.use_regex is false; only the GPT-2 regex is supported") }
            addPrefixSpace = pre["add_prefix_space"] as? Bool ?? false
        } else if let pre = root["pre_tokenizer"], !(pre is NSNull) {
            throw fail("pre_tokenizer is not an object")
        } else {
            throw fail("has no pre_tokenizer; a ByteLevel pre-tokenizer is required")
        }
        let parts = try BPETokenizer.modelParts(root: root, byteLevel: true, fail: fail)
        do {
            try self.init(tokenBytes: parts.tokenBytes, merges: parts.merges, addedTokens: parts.addedTokens,
                          addPrefixSpace: addPrefixSpace, ignoreMerges: model["ignore_merges"] as? Bool ?? false)
        } catch let e as TextError {
            throw fail(e.message)
        }
    }

    /// The vocabulary, merges and added tokens of a parsed `tokenizer.json`.
    /// With `byteLevel`, vocabulary entries are spelled in the ByteLevel alphabet
    /// and become the bytes they stand for; otherwise (SentencePiece-style) each
    /// entry is its own UTF-8 text, `▁` and `<0x41>` included.
    static func modelParts(root: [String: Any], byteLevel: Bool, fail: (String) -> TextError) throws
        -> (tokenBytes: [[UInt8]], merges: [(Int, Int)], addedTokens: [AddedToken], idOfText: [String: Int]) {
        guard let model = root["model"] as? [String: Any] else { throw fail("no 'model' object") }
        guard let vocab = model["vocab"] as? [String: Any] else { throw fail("model.vocab is missing or not an object") }
        var tokenBytes: [[UInt8]] = []
        for (text, value) in vocab {
            guard let id = (value as? NSNumber)?.intValue, id >= 0, id < 10_000_000 else {
                throw fail("model.vocab['\(text)'] is not a token id (a non-negative integer)")
            }
            if id >= tokenBytes.count { tokenBytes += Array(repeating: [], count: id + 1 - tokenBytes.count) }
            if byteLevel, let bytes = ByteLevelAlphabet.decode(text) {
                tokenBytes[id] = bytes
            } else {
                // Added tokens sit in the vocabulary as literal text.
                tokenBytes[id] = Array(text.utf8)
            }
        }
        var idOf: [String: Int] = [:]
        for (text, value) in vocab { idOf[text] = (value as? NSNumber)?.intValue }
        guard let rawMerges = model["merges"] as? [Any] else { throw fail("model.merges is missing or not a list") }
        var merges: [(Int, Int)] = []
        merges.reserveCapacity(rawMerges.count)
        for (i, m) in rawMerges.enumerated() {
            let pair: (String, String)
            if let s = m as? String {
                guard let space = s.firstIndex(of: " ") else {
                    throw fail("model.merges[\(i)] '\(s)' is not of the form 'left right'")
                }
                pair = (String(s[..<space]), String(s[s.index(after: space)...]))
            } else if let a = m as? [Any], a.count == 2, let l = a[0] as? String, let r = a[1] as? String {
                pair = (l, r)
            } else {
                throw fail("model.merges[\(i)] is neither a pair of strings nor a 'left right' string")
            }
            guard let l = idOf[pair.0], let r = idOf[pair.1] else {
                throw fail("model.merges[\(i)] ('\(pair.0)', '\(pair.1)') names a token missing from model.vocab")
            }
            merges.append((l, r))
        }
        var added: [AddedToken] = []
        for (i, t) in (root["added_tokens"] as? [Any] ?? []).enumerated() {
            guard let o = t as? [String: Any], let id = (o["id"] as? NSNumber)?.intValue,
                  let content = o["content"] as? String else {
                throw fail("added_tokens[\(i)] lacks an integer 'id' or a string 'content'")
            }
            added.append(AddedToken(id: id, content: content, special: o["special"] as? Bool ?? true))
        }
        for t in added where byteLevel && t.id < tokenBytes.count && tokenBytes[t.id] == ByteLevelAlphabet.decode(t.content) {
            tokenBytes[t.id] = Array(t.content.utf8)
        }
        return (tokenBytes, merges, added, idOf)
    }

    /// The tokenizer as `tokenizer.json` text, in the layout Hugging Face writes
    /// (vocab in id order, merges as pairs).
    public func huggingFaceJSON() -> String {
        let addedIds = Set(addedTokens.map(\.id))
        func spelled(_ id: Int) -> String {
            addedIds.contains(id) ? String(decoding: tokenBytes[id], as: UTF8.self) : ByteLevelAlphabet.encode(tokenBytes[id])
        }
        var o: [UInt8] = []
        func w(_ s: String) { o.append(contentsOf: s.utf8) }
        w("{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [")
        for (i, t) in addedTokens.enumerated() {
            w(i == 0 ? "\n" : ",\n")
            w("    {\"id\": \(t.id), \"content\": ")
            JSONText.append(t.content, to: &o)
            w(", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": \(t.special)}")
        }
        w(addedTokens.isEmpty ? "],\n" : "\n  ],\n")
        w("  \"normalizer\": null,\n")
        w("  \"pre_tokenizer\": {\"type\": \"ByteLevel\", \"add_prefix_space\": \(addPrefixSpace), \"trim_offsets\": true, \"use_regex\": true},\n")
        w("  \"post_processor\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": false, \"use_regex\": true},\n")
        w("  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true},\n")
        w("  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": null,\n")
        w("    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n    \"fuse_unk\": false,\n")
        w("    \"byte_fallback\": false,\n    \"ignore_merges\": \(ignoreMerges),\n    \"vocab\": {")
        var first = true
        for id in tokenBytes.indices where !tokenBytes[id].isEmpty {
            w(first ? "\n      " : ",\n      ")
            first = false
            JSONText.append(spelled(id), to: &o)
            w(": \(id)")
        }
        w("\n    },\n    \"merges\": [")
        for (r, (a, b)) in merges.enumerated() {
            w(r == 0 ? "\n      [" : ",\n      [")
            JSONText.append(spelled(a), to: &o)
            w(", ")
            JSONText.append(spelled(b), to: &o)
            w("]")
        }
        w(merges.isEmpty ? "]\n  }\n}\n" : "\n    ]\n  }\n}\n")
        return String(decoding: o, as: UTF8.self)
    }

    /// Writes `tokenizer.json` atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(Data(huggingFaceJSON().utf8), to: url)
    }
}
