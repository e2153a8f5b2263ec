/// Replaces e-mail addresses, phone numbers and IP addresses by placeholders
/// (`<EMAIL>`, `<PHONE>`, `<IP_ADDRESS>`) and counts them. Hand-written
/// scanners over UTF-8 bytes (all three patterns are ASCII):
///
/// - e-mail: `[A-Za-z0-9._%+-]+ @ label(.label)+` whose last label is 2+ letters;
/// - IPv4: four dot-separated numbers 0...255, not inside a longer number;
///   IPv6: hex groups with 3+ colons, or a `::` form with a 3+ digit group or a leading `::`;
/// - phone: an optional `+`, then digits with single spaces, dashes, dots or
///   parentheses between them, 10 to 15 digits in all, not inside a word or number.
public struct PIIScrubber: Sendable {
    /// Counts of replacements in one document or a whole run.
    public struct Counts: Equatable, Sendable, Codable {
        public var emails = 0
        public var phones = 0
        public var ipAddresses = 0

        public init() {}

        public var total: Int { emails + phones + ipAddresses }

        enum CodingKeys: String, CodingKey { case emails, phones, ipAddresses = "ip_addresses" }
    }

    /// The settings applied.
    public let config: PIIConfig

    public init(config: PIIConfig = PIIConfig(enabled: true)) { self.config = config }

    /// The scrubbed text and what was replaced.
    public func scrub(_ text: String) -> (String, Counts) {
        var counts = Counts()
        guard config.enabled else { return (text, counts) }
        let b = Array(text.utf8)
        // Fast exit: no '@', no digit, no ':' means nothing to find.
        if !b.contains(where: { $0 == 0x40 || $0 == 0x3A || ($0 >= 0x30 && $0 <= 0x39) }) { return (text, counts) }
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            // Matches start at a word boundary, and not inside a dotted or
            // colon-separated number (`1.2.3.4.5`, `12:30`).
            let wordStart = i == 0 || (!isWordByte(b[i - 1])
                && !(i >= 2 && (b[i - 1] == 0x2E || b[i - 1] == 0x3A) && isHex(b[i - 2])))
            if config.emails, wordStart, isLocalByte(b[i]), let end = email(b, i) {
                out.append(contentsOf: Array("<EMAIL>".utf8)); counts.emails += 1; i = end; continue
            }
            if config.ipAddresses, wordStart, isHex(b[i]) || b[i] == 0x3A, let end = ip(b, i) {
                out.append(contentsOf: Array("<IP_ADDRESS>".utf8)); counts.ipAddresses += 1; i = end; continue
            }
            if config.phones, wordStart, b[i] == 0x2B || b[i] == 0x28 || isDigit(b[i]), let end = phone(b, i) {
                out.append(contentsOf: Array("<PHONE>".utf8)); counts.phones += 1; i = end; continue
            }
            out.append(b[i])
            i += 1
        }
        return (counts.total == 0 ? text : String(decoding: out, as: UTF8.self), counts)
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    private func isHex(_ c: UInt8) -> Bool { isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66) }
    private func isWordByte(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) || c == 0x5F || c >= 0x80 }
    private func isLocalByte(_ c: UInt8) -> Bool {
        isDigit(c) || isAlpha(c) || c == 0x2E || c == 0x5F || c == 0x25 || c == 0x2B || c == 0x2D
    }

    /// End of an e-mail address starting at `i`, if one does.
    private func email(_ b: [UInt8], _ i: Int) -> Int? {
        var k = i
        while k < b.count, isLocalByte(b[k]) { k += 1 }
        guard k > i, k < b.count, b[k] == 0x40 else { return nil }
        k += 1
        var labels = 0
        var lastLabelLetters = true
        var lastLabelLength = 0
        var end = -1
        while k < b.count {
            let s = k
            var letters = true
            while k < b.count, isDigit(b[k]) || isAlpha(b[k]) || b[k] == 0x2D {
                if !isAlpha(b[k]) { letters = false }
                k += 1
            }
            guard k > s else { break }
            labels += 1
            lastLabelLetters = letters
            lastLabelLength = k - s
            if labels >= 2 && lastLabelLetters && lastLabelLength >= 2 { end = k }
            guard k + 1 < b.count, b[k] == 0x2E, isDigit(b[k + 1]) || isAlpha(b[k + 1]) else { break }
            k += 1
        }
        return end > 0 ? end : nil
    }

    /// End of an IPv4 or IPv6 address starting at `i`, if one does.
    private func ip(_ b: [UInt8], _ i: Int) -> Int? {
        // IPv4
        var k = i
        var parts = 0
        while parts < 4 {
            let s = k
            var v = 0
            while k < b.count, isDigit(b[k]), k - s < 3 { v = v * 10 + Int(b[k] - 0x30); k += 1 }
            guard k > s, v <= 255, !(k < b.count && isDigit(b[k])) else { break }
            parts += 1
            if parts == 4 {
                let followedByNumber = k + 1 < b.count && b[k] == 0x2E && isDigit(b[k + 1])
                if !followedByNumber && !(k < b.count && isWordByte(b[k])) { return k }
                break
            }
            guard k + 1 < b.count, b[k] == 0x2E else { break }
            k += 1
        }
        // IPv6
        k = i
        var colons = 0
        var doubleColon = false
        var hexDigits = 0
        var groupLength = 0
        var longestGroup = 0
        while k < b.count {
            if isHex(b[k]) {
                groupLength += 1
                longestGroup = max(longestGroup, groupLength)
                hexDigits += 1
                if groupLength > 4 { return nil }
            } else if b[k] == 0x3A {
                if k > i && b[k - 1] == 0x3A { if doubleColon { return nil }; doubleColon = true }
                colons += 1
                groupLength = 0
            } else { break }
            k += 1
        }
        var end = k
        while end > i && b[end - 1] == 0x3A && !(end - 2 >= i && b[end - 2] == 0x3A) { end -= 1; colons -= 1 }
        if end < b.count && isWordByte(b[end]) { return nil }
        // Three or more colons, or a `::` form with a group of 3+ digits (`fe80::1`)
        // or a leading `::` (`::1`); `a::b` and `std::x` stay.
        let leading = end - i >= 2 && b[i] == 0x3A && b[i + 1] == 0x3A
        guard hexDigits > 0, colons <= 7,
              colons >= 3 || (doubleColon && (longestGroup >= 3 || leading)) else { return nil }
        return end
    }

    /// End of a phone number starting at `i`, if one does.
    private func phone(_ b: [UInt8], _ i: Int) -> Int? {
        var k = i
        var digits = 0
        var lastDigitEnd = i
        var separators = 0
        var open = false
        if b[k] == 0x2B { k += 1 }
        while k < b.count {
            let c = b[k]
            if isDigit(c) {
                digits += 1
                k += 1
                lastDigitEnd = k
            } else if (c == 0x20 || c == 0x2D || c == 0x2E) && k > i && k + 1 < b.count
                        && (isDigit(b[k + 1]) || b[k + 1] == 0x28) && (isDigit(b[k - 1]) || b[k - 1] == 0x29) {
                separators += 1
                k += 1
            } else if c == 0x28 && !open {
                open = true; separators += 1; k += 1
            } else if c == 0x29 && open {
                open = false; k += 1
            } else { break }
            if digits > 15 { return nil }
        }
        guard digits >= 10, digits <= 15, separators > 0 || b[i] == 0x2B else { return nil }
        // A word or a time (`2024-01-01 10:00`) right after the digits: not a phone.
        if lastDigitEnd < b.count && (isWordByte(b[lastDigitEnd]) || b[lastDigitEnd] == 0x3A) { return nil }
        return lastDigitEnd
    }
}
