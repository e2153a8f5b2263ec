import AnnealLineage
import Foundation
import Testing

@Suite struct CommitIDTests {
    private let hex = "0123456789abcdef0123456789abcdef01234567"

    @Test func acceptsExactlyFortyHexDigits() throws {
        #expect(CommitID(hex: hex)?.hex == hex)
        #expect(CommitID(hex: hex.uppercased())?.hex == hex)
        #expect(CommitID(hex: String(hex.dropLast())) == nil)
        #expect(CommitID(hex: hex + "0") == nil)
        #expect(CommitID(hex: "g" + hex.dropFirst()) == nil)
        #expect(try #require(CommitID(hex: hex)).abbreviated() == "0123456")
        #expect(try #require(CommitID(hex: hex)).abbreviated(2) == "0123")
    }

    @Test func encodesAsItsHexStringAndRejectsOthers() throws {
        let id = try #require(CommitID(hex: hex))
        let json = try JSONEncoder().encode([id])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(hex)\"]")
        #expect(try JSONDecoder().decode([CommitID].self, from: json) == [id])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CommitID].self, from: Data("[\"abc\"]".utf8)) }
    }
}
