import Foundation
import Testing
@testable import AnnealText

/// A tokenizer.json using a component Anneal does not implement is refused at
/// load, naming the field, the component's type and what is supported, rather
/// than encoded differently from Hugging Face.
struct HuggingFaceTokenizerRefusalTests {
    /// The Llama 2 fixture with one top-level field replaced by `json`.
    func message(replacing field: String, with json: String) throws -> String? {
        var root = try JSONSerialization.jsonObject(with: FixtureFile.data("families/llama2/tokenizer.json")) as! [String: Any]
        root[field] = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        do {
            _ = try HuggingFaceTokenizer(huggingFaceJSON: JSONSerialization.data(withJSONObject: root), source: "tokenizer.json")
            return nil
        } catch let e as TextError {
            return e.message
        }
    }

    @Test func refusesUnsupportedComponentsByNameAndType() throws {
        let cases: [(String, String, String)] = [
            ("pre_tokenizer", #"{"type": "Whitespace"}"#,
             "tokenizer.json: pre_tokenizer type 'Whitespace' is not supported; supported: ByteLevel, Split, Digits, Metaspace, Sequence"),
            ("pre_tokenizer", #"{"type": "Sequence", "pretokenizers": [{"type": "Punctuation"}]}"#,
             "tokenizer.json: pre_tokenizer.pretokenizers[0] type 'Punctuation' is not supported"),
            ("normalizer", #"{"type": "Lowercase"}"#, "normalizer type 'Lowercase' is not supported; supported: NFC, Prepend, Replace, Sequence"),
            ("normalizer", #"{"type": "Replace", "pattern": {"Regex": " +"}, "content": "▁"}"#,
             "normalizer.pattern is not a String pattern"),
            ("decoder", #"{"type": "WordPiece"}"#, "decoder type 'WordPiece' is not supported"),
            ("post_processor", #"{"type": "RobertaProcessing"}"#, "post_processor type 'RobertaProcessing' is not supported"),
            ("pre_tokenizer", #"{"type": "Split", "pattern": {"Regex": "\\w+"}, "behavior": "Isolated", "invert": false}"#,
             "pre_tokenizer.pattern.Regex: the pattern uses the escape '\\w'"),
            ("pre_tokenizer", #"{"type": "Split", "pattern": {"String": " "}, "behavior": "Isolated", "invert": true}"#,
             "pre_tokenizer.invert is true"),
            ("truncation", #"{"max_length": 8}"#, "truncation is set"),
        ]
        for (field, json, expected) in cases {
            let m = try message(replacing: field, with: json)
            #expect(m?.contains(expected) == true, "\(field) \(json): \(m ?? "loaded")")
        }
    }

    @Test func refusesAModelOtherThanBPE() throws {
        var root = try JSONSerialization.jsonObject(with: FixtureFile.data("families/llama2/tokenizer.json")) as! [String: Any]
        var model = root["model"] as! [String: Any]
        model["type"] = "Unigram"
        root["model"] = model
        #expect(throws: TextError("tokenizer.json: model type 'Unigram' is not supported; supported: BPE")) {
            _ = try HuggingFaceTokenizer(huggingFaceJSON: JSONSerialization.data(withJSONObject: root), source: "tokenizer.json")
        }
    }

    @Test func theUnchangedFixtureLoads() throws {
        #expect(try message(replacing: "truncation", with: "null") == nil)
    }
}
