import CGit2

/// The full SHA-1 of a git commit, as 40 lowercase hex digits.
///
/// A value type rather than a bare `String` so that an id read from a repository
/// cannot be confused with a revision typed by a person (which goes through
/// `LineageRepository.resolve(revision:)`).
public struct CommitID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    /// The 40 lowercase hex digits.
    public let hex: String

    /// Accepts exactly 40 hex digits (either case); nil otherwise.
    public init?(hex: String) {
        guard hex.utf8.count == 40, hex.utf8.allSatisfy(\.isHexDigit) else { return nil }
        self.hex = hex.lowercased()
    }

    init(_ oid: git_oid) {
        var oid = oid
        // GIT_OID_HEXSZ digits plus the terminating NUL.
        var text = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&text, text.count, &oid)
        self.hex = String(decoding: text.prefix(40).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The first `length` hex digits, as git prints abbreviated ids.
    public func abbreviated(_ length: Int = 7) -> String { String(hex.prefix(max(4, length))) }

    public var description: String { hex }

    /// Decodes the 40 hex digits, rejecting anything else.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = CommitID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not a 40-digit commit id"))
        }
        self = id
    }

    /// Encodes the 40 hex digits as a string.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    public static func < (lhs: CommitID, rhs: CommitID) -> Bool { lhs.hex < rhs.hex }

    var oid: git_oid {
        var oid = git_oid()
        // `hex` is always 40 valid digits, so parsing cannot fail.
        _ = git_oid_fromstr(&oid, hex)
        return oid
    }
}

extension UInt8 {
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}
