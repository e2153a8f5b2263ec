import AnnealEngine
import Foundation
import Testing

@Suite struct TimestampTests {
    @Test func formatsUTCWithMilliseconds() {
        // 2026-11-26T20:24:59.123Z
        let date = Date(timeIntervalSince1970: 1_795_724_699.123_4)
        #expect(Timestamps.format(date) == "2026-11-26T20:24:59.123Z")
        #expect(Timestamps.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamps.format(Date(timeIntervalSince1970: -1.5)) == "1969-12-31T23:59:58.500Z")
    }

    @Test func parsingGivesBackTheMillisecond() throws {
        for t in [0.0, 1_795_724_699.123, 951_782_400.999, 4_102_444_799.5] {
            let date = Date(timeIntervalSince1970: t)
            let back = try #require(Timestamps.parse(Timestamps.format(date)))
            #expect(abs(back.timeIntervalSince1970 - t) < 0.0015, "\(t)")
        }
    }
}
