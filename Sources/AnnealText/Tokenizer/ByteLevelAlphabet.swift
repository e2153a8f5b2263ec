/// GPT-2's reversible map between the 256 byte values and 256 printable Unicode
/// characters, used by byte-level BPE to spell every token as text.
///
/// Bytes that are already printable (`!`...`~`, `¡`...`¬`, `®`...`ÿ`) map to the
/// character with the same code point; the other 68 bytes map, in byte order, to
/// U+0100, U+0101, ... This is the table Hugging Face `tokenizers` (ByteLevel) and
/// OpenAI's GPT-2 encoder use, so vocabularies written here are readable there.
public enum ByteLevelAlphabet {
    /// `character[b]` is the printable character standing for byte `b`.
    public static let character: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b) {
                table[b] = Unicode.Scalar(UInt32(b))!
            } else {
                table[b] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// The byte a printable character stands for, or nil if it is not one of the 256.
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let v = scalar.value
        if v < 324 { return byteOfCodePoint[Int(v)] }
        return nil
    }

    /// Inverse of `character`, indexed by code point (all 256 characters are below U+0144).
    private static let byteOfCodePoint: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 324)
        for (b, c) in character.enumerated() { table[Int(c.value)] = UInt8(b) }
        return table
    }()

    /// The token text (as stored in `tokenizer.json`) for a byte string.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var s = String.UnicodeScalarView()
        for b in bytes { s.append(character[Int(b)]) }
        return String(s)
    }

    /// The byte string a token text stands for, or nil if the text contains a
    /// character outside the byte-level alphabet.
    public static func decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for c in text.unicodeScalars {
            guard let b = byte(for: c) else { return nil }
            out.append(b)
        }
        return out
    }

    /// The 256 bytes in the order of their characters' code points: the order in
    /// which Hugging Face's trainer assigns the initial alphabet its ids.
    public static let bytesInCharacterOrder: [UInt8] =
        (0..<256).map { UInt8($0) }.sorted { character[Int($0)].value < character[Int($1)].value }
}
