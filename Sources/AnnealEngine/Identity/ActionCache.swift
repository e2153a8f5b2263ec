import AnnealFiles
import AnnealSpec
import Foundation

/// Fingerprint to outputs: `actions/ab/<fingerprint>`, written atomically and
/// only once every output is safely in the store.
///
/// An entry is checked before it is trusted: a checksum over the whole entry,
/// including the fingerprint it is filed under, must match, so an edited or
/// damaged output digest, or an entry moved to another fingerprint's name,
/// cannot make a step resolve to another step's output.
public final class ActionCache: @unchecked Sendable {
    // @unchecked: state is on disk, written by rename.
    public let root: String

    public struct Entry: Sendable {
        public var fingerprint: Digest
        public var components: Fingerprint.Components
        public var outputs: [String: StoredArtifact]
        public var metrics: Value

        /// The entry without its checksum; the checksum is over its canonical
        /// encoding, whose fingerprint is the file's name.
        var body: Value {
            .map([
                "fingerprint": .string(fingerprint.hex),
                "components": components.value,
                "outputs": .map(outputs.mapValues(\.value)),
                "metrics": metrics,
            ])
        }

        var checksum: Digest { Digest.of(CanonicalJSON.encode(body)) }
    }

    /// Why an entry on disk cannot be trusted.
    public struct Damage: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "corrupt cache entry \(path): \(reason)" }
    }

    public init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    public func path(_ fingerprint: Digest) -> String {
        "\(root)/\(fingerprint.hex.prefix(2))/\(fingerprint.hex)"
    }

    /// The entry for a fingerprint; nil when there is none or it is damaged
    /// (a damaged entry is a miss: the step reruns and writes a good one).
    public func lookup(_ fingerprint: Digest) -> Entry? {
        try? load(fingerprint)
    }

    /// The entry for a fingerprint, nil when absent; throws `Damage` when the
    /// file is there but fails a check.
    public func load(_ fingerprint: Digest) throws -> Entry? {
        let file = path(fingerprint)
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        func damaged(_ reason: String) -> Damage { Damage(path: file, reason: reason) }
        guard let text = String(data: data, encoding: .utf8), let value = try? JSONReader.parse(text) else {
            throw damaged("not JSON")
        }
        guard let components = value["components"].flatMap(Fingerprint.Components.init),
              let outputs = value["outputs"]?.map else { throw damaged("components or outputs missing") }
        let entry = Entry(fingerprint: fingerprint, components: components,
                          outputs: outputs.compactMapValues(StoredArtifact.init), metrics: value["metrics"] ?? .map([:]))
        guard entry.outputs.count == outputs.count else { throw damaged("an output is not a digest and shape") }
        guard let recorded = value["checksum"]?.string else { throw damaged("no checksum (written by an older anneal)") }
        guard recorded == entry.checksum.hex else { throw damaged("checksum mismatch (the entry was changed after it was written)") }
        return entry
    }

    public func store(_ entry: Entry) throws {
        guard case .map(var fields) = entry.body else { return }
        fields["checksum"] = .string(entry.checksum.hex)
        try AtomicFile.write(CanonicalJSON.encodePretty(.map(fields)) + "\n", to: path(entry.fingerprint))
    }

    public func remove(_ fingerprint: Digest) {
        unlink(path(fingerprint))
    }

    public func allFingerprints() -> [Digest] {
        var out: [Digest] = []
        for prefix in (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(prefix)")) ?? [] {
                if let d = Digest(hex: name) { out.append(d) }
            }
        }
        return out
    }
}
