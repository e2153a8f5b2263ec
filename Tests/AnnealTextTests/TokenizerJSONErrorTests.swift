import Foundation
import Testing
@testable import AnnealText

/// A broken or unsupported tokenizer.json is an error naming what is wrong.
struct TokenizerJSONErrorTests {
    func message(_ json: String) -> String? {
        do {
            _ = try BPETokenizer(huggingFaceJSON: Data(json.utf8), source: "t.json")
            return nil
        } catch let e as TextError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    let pre = #""pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}"#

    @Test func rejectsWithAMessageNamingTheProblem() throws {
        #expect(message("not json")?.hasPrefix("t.json: not valid JSON") == true)
        #expect(message(#"{"model": {"type": "WordPiece"}}"#)?.contains("model.type is 'WordPiece'") == true)
        #expect(message(#"{\#(pre), "model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": ["a c"]}}"#)?
            .contains("model.merges[0]") == true)
        #expect(message(#"{\#(pre), "model": {"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]}}"#)?
            .contains("not in the vocabulary") == true)
        #expect(message(#"{"normalizer": {"type": "NFC"}, \#(pre), "model": {"type": "BPE", "vocab": {}, "merges": []}}"#)?
            .contains("normalizer") == true)
        #expect(message(#"{\#(pre), "model": {"type": "BPE", "vocab": {"a": -3}, "merges": []}}"#)?
            .contains("model.vocab['a']") == true)
    }

    @Test func acceptsAMinimalTokenizer() throws {
        let tok = try BPETokenizer(huggingFaceJSON: Data(#"{\#(pre), "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b"]}}"#.utf8))
        #expect(tok.encode("abab") == [2, 2])
    }
}
