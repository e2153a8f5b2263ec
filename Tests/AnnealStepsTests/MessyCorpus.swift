import Foundation

/// A small corpus with the problems `collect` exists for, written into a
/// workspace: distinct documents, an exact duplicate (other case and
/// spacing), a near duplicate (one word changed), a short and an empty
/// document, an HTML page with a script, files a folder source must leave out,
/// and a JSONL file whose third line is not JSON.
enum MessyCorpus {
    static let distinctDocuments = 12

    /// Deterministic prose: pseudo-words from syllables, in sentences.
    static func document(_ n: Int, words: Int = 70) -> String {
        let syllables = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "pe", "da", "go", "hu", "ji", "ze", "wa", "fi", "bo", "ly"]
        var state = UInt64(n + 1) &* 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        var out: [String] = []
        for i in 0..<words {
            var word = ""
            for _ in 0..<(2 + next() % 2) { word += syllables[next() % syllables.count] }
            if i % 9 == 0 { word = word.prefix(1).uppercased() + word.dropFirst() }
            out.append(word + (i % 9 == 8 ? "." : ""))
        }
        return out.joined(separator: " ") + "."
    }

    /// The files, by path relative to the workspace.
    static var files: [String: String] {
        var f: [String: String] = [:]
        for n in 0..<distinctDocuments { f["data/text/doc\(String(format: "%02d", n)).txt"] = document(n) + "\n" }
        // Read after doc03 and doc05 (paths sort by bytes), so the originals are kept.
        f["data/text/more/dup.txt"] = document(3).uppercased().replacingOccurrences(of: " ", with: "   ") + "\n"
        var words = document(5).split(separator: " ").map(String.init)
        words[30] = "zzzzz"
        f["data/text/more/near.md"] = words.joined(separator: " ") + "\n"
        f["data/text/short.txt"] = "Too short.\n"
        f["data/text/empty.txt"] = "  \n\t\n"
        f["data/web/page.html"] = """
            <html><head><style>p { color: red }</style></head><body>
            <h1>Garden notes</h1><p>The roses &amp; the tulips came up early this spring, and the old apple tree flowered again.</p>
            <script>var tracking = "secret";</script></body></html>

            """
        f["data/web/notes.txt"] = document(40) + "\n"          // not *.html: left out by include
        f["data/web/drafts/old.html"] = "<p>\(document(41))</p>\n" // left out by exclude
        f["data/docs.jsonl"] = """
            {"text": "\(document(20))"}
            {"text": "\(document(21))", "id": 2}
            not json at all
            {"id": 4, "text": "\(document(22))"}

            """
        return f
    }

    static func write(into workspace: DataStepWorkspace) throws {
        for (path, text) in files { try workspace.write(path, text) }
    }

    /// The collect step over the corpus; `extra` is added under `with:`.
    static func collectStep(name: String = "corpus", onError: String = "skip", extra: String = "") -> String {
        """
          \(name):
            kind: collect
            with:
              sources:
                - files: data/text/**/*.*
                - dir: data/web
                  include: ["**/*.html"]
                  exclude: ["drafts/**"]
                - jsonl: data/docs.jsonl
              on_error: \(onError)
              clean: { strip_html: true }
              filters: { min_words: 5 }
        \(extra)
        """
    }
}
