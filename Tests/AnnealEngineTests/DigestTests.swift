@testable import AnnealEngine
import Foundation
import Testing

@Suite struct DigestTests {
    @Test func sha256OfKnownText() {
        #expect(Digest.of("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.of("").hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func fileHashingMatchesInMemoryHashing() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("digest-\(UUID())").path
        var bytes = [UInt8](repeating: 0, count: 9 << 20)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2654435761 >> 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { unlink(path) }
        #expect(try FileHasher.digest(of: path) == Digest.of(bytes))
    }
}
