import AnnealLineage

/// What `anneal push` and `anneal pull` print: one line per pipeline history.
enum RefUpdateReport {
    static func text(_ updates: [RefUpdate], remote: String, verb: String) -> String {
        guard !updates.isEmpty else { return "no run histories to exchange with \(remote)\n" }
        var rows: [[String]] = []
        for u in updates {
            let name = u.ref.hasPrefix(LineageRepository.runRefPrefix) ? String(u.ref.dropFirst(LineageRepository.runRefPrefix.count)) : u.ref
            let what: String
            switch u.outcome {
            case .created: what = "new, at \(u.new.abbreviated())"
            case .fastForwarded: what = "\(u.old?.abbreviated() ?? "?")..\(u.new.abbreviated())"
            case .forced: what = "forced \(u.old?.abbreviated() ?? "?") -> \(u.new.abbreviated())"
            case .upToDate: what = "up to date"
            case .localAhead: what = "local history is ahead; left as is"
            }
            rows.append([name, what])
        }
        return "\(verb) \(remote):\n" + Table.render(rows).split(separator: "\n").map { "  \($0)\n" }.joined()
    }
}
