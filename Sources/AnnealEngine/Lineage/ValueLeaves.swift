import AnnealSpec

/// A nested value as its leaves: dotted paths (`model.width`) to the canonical
/// JSON of each leaf value, so two params, configs or metrics maps can be
/// compared key by key and the differences named.
public enum ValueLeaves {
    /// One leaf that differs between two values.
    public struct Change: Sendable, Equatable {
        /// The dotted path (`model.width`); empty for the root itself.
        public var key: String
        /// Canonical JSON before; nil when absent.
        public var old: String?
        /// Canonical JSON after; nil when absent.
        public var new: String?

        /// Makes a change; `old` or `new` is nil when the leaf is absent on that side.
        public init(key: String, old: String?, new: String?) {
            self.key = key
            self.old = old
            self.new = new
        }

        /// `model.width 128 -> 256`, with `(absent)` for a missing side.
        public var text: String {
            "\(key.isEmpty ? "(root)" : key) \(old ?? "(absent)") -> \(new ?? "(absent)")"
        }
    }

    /// Every leaf of `value` by dotted path, as canonical JSON.
    public static func of(_ value: Value) -> [String: String] {
        var prefixed: [String: String] = [:]
        Explanation.flatten(value, "$", into: &prefixed)
        var out: [String: String] = [:]
        for (key, leaf) in prefixed { out[key == "$" ? "" : String(key.dropFirst(2))] = leaf }
        return out
    }

    /// The leaves that differ from `old` to `new`, sorted by path. An empty map
    /// on one side and an absent key on the other count as equal.
    public static func changes(from old: Value, to new: Value) -> [Change] {
        let before = of(old).filter { $0.value != "{}" }, after = of(new).filter { $0.value != "{}" }
        return Set(before.keys).union(after.keys).sorted().compactMap { key in
            before[key] == after[key] ? nil : Change(key: key, old: before[key], new: after[key])
        }
    }
}
