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
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(Int(parts.tm_year) + 1900)-\(two(Int(parts.tm_mon) + 1))-\(two(Int(parts.tm_mday))) "
            + "\(two(Int(parts.tm_hour))):\(two(Int(parts.tm_min))):\(two(Int(parts.tm_sec))) "
            + (author.offsetMinutes < 0 ? "-" : "+") + two(offset / 60) + two(offset % 60)
    }
}
