/// Splits text into words (maximal runs of letters and digits, by Unicode
/// general category) and gives each its lower-cased 64-bit hash and its length
/// in characters. Shared by the quality filters and MinHash so both see the
/// same words.
struct WordScanner {
    /// A word: hash of its lower-cased UTF-8, and its length in scalars.
    struct Word { var hash: UInt64; var length: Int }

    /// Per-document character counts gathered in the same pass.
    struct Counts {
        var characters = 0
        var whitespace = 0
        var symbols = 0
        var letters = 0
    }

    /// The words of `text`, and the character counts; `letter` sees every letter scalar.
    static func scan(_ text: String, letter: (Unicode.Scalar) -> Void = { _ in }) -> (words: [Word], counts: Counts) {
        var words: [Word] = []
        var counts = Counts()
        var buffer: [UInt8] = []
        var length = 0
        func flush() {
            if length > 0 {
                words.append(Word(hash: Hash64.hash(buffer), length: length))
                buffer.removeAll(keepingCapacity: true)
                length = 0
            }
        }
        GPT2PreTokenizer.bmpClass.withUnsafeBufferPointer { table in
            for s in text.unicodeScalars {
                counts.characters += 1
                let v = s.value
                let cls: GPT2PreTokenizer.CharClass = v < 65536
                    ? GPT2PreTokenizer.CharClass(rawValue: table[Int(v)])! : GPT2PreTokenizer.classify(s)
                switch cls {
                case .letter, .number:
                    if cls == .letter { counts.letters += 1; letter(s) }
                    length += 1
                    if v < 0x80 {
                        buffer.append(UInt8(v >= 0x41 && v <= 0x5A ? v + 0x20 : v))
                    } else if s.properties.changesWhenLowercased {
                        buffer.append(contentsOf: s.properties.lowercaseMapping.utf8)
                    } else {
                        buffer.append(contentsOf: String(s).utf8)
                    }
                case .whitespace:
                    counts.whitespace += 1
                    flush()
                case .other:
                    counts.symbols += 1
                    flush()
                }
            }
            flush()
        }
        return (words, counts)
    }
}
