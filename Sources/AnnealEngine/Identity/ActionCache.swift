import AnnealSpec
import Foundation

/// Fingerprint to outputs: `actions/ab/<fingerprint>`, written atomically and
/// only once every output is safely in the store.
public final class ActionCache: @unchecked Sendable {
    // @unchecked: state is on disk, written by rename.
    public let root: String

    public struct Entry: Sendable {
        public var fingerprint: Digest
        public var components: Fingerprint.Components
        public var outputs: [String: StoredArtifact]
        public var metrics: Value

        var value: Value {
            .map([
                "fingerprint": .string(fingerprint.hex),
                "components": components.value,
                "outputs": .map(outputs.mapValues(\.value)),
                "metrics": metrics,
            ])
        }
    }

    public init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func path(_ fingerprint: Digest) -> String {
        "\(root)/\(fingerprint.hex.prefix(2))/\(fingerprint.hex)"
    }

    public func lookup(_ fingerprint: Digest) -> Entry? {
        guard let text = try? String(contentsOfFile: path(fingerprint), encoding: .utf8),
              let value = try? JSONReader.parse(text),
              let components = value["components"].flatMap(Fingerprint.Components.init),
              let outputs = value["outputs"]?.map else { return nil }
        return Entry(fingerprint: fingerprint, components: components,
                     outputs: outputs.compactMapValues(StoredArtifact.init), metrics: value["metrics"] ?? .map([:]))
    }

    public func store(_ entry: Entry) throws {
        try AtomicFile.write(CanonicalJSON.encodePretty(entry.value) + "\n", to: path(entry.fingerprint))
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
