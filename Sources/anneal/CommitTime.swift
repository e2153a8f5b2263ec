import AnnealLineage
import Foundation

/// A commit's time as people read it in a log, in the zone it was recorded in:
/// `2026-11-26 18:46:14 +0100`.
enum CommitTime {
    static func text(_ author: CommitAuthor) -> String {
        var seconds = time_t(author.time + Int64(author.offsetMinutes) * 60)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let offset = abs(Int(author.offsetMinutes))
        return String(format: "%04d-%02d-%02d %02d:%02d:%02d ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
            + (author.offsetMinutes < 0 ? "-" : "+") + String(format: "%02d%02d", offset / 60, offset % 60)
    }
}
