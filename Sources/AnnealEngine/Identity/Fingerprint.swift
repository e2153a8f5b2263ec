import AnnealSpec

/// A step's identity: SHA-256 over a canonical encoding of what determines its
/// outputs. Every component is kept beside the digest, so a cache miss can be
/// explained field by field.
///
/// In it: the encoding's format version, the kind and its version, the
/// configuration after defaults with each input replaced by a slot naming its field, the
/// digest of every input, and environment variables the config read (already
/// part of the config's text). Not in it: workspace paths, run ids, retries,
/// threads and other resources, time.
public struct Fingerprint: Sendable {
    /// Bump when the encoding changes; old entries then read as a different format.
    public static let formatVersion = 1

    public var digest: Digest
    public var components: Components

    public struct Components: Sendable, Equatable {
        public var format: Int
        public var kind: String
        public var kindVersion: Int
        /// The canonical configuration with inputs as `{"$input": "field.path"}`.
        public var config: Value
        /// Input name (the config path where it appears) to its digest.
        public var inputs: [String: Digest]

        public var value: Value {
            .map([
                "format": .int(format),
                "kind": .string(kind),
                "kind_version": .int(kindVersion),
                "config": config,
                "inputs": .map(inputs.mapValues { .string($0.hex) }),
            ])
        }

        public init?(_ value: Value) {
            guard let format = value["format"]?.int, let kind = value["kind"]?.string,
                  let version = value["kind_version"]?.int, let config = value["config"],
                  let inputs = value["inputs"]?.map else { return nil }
            self.format = format
            self.kind = kind
            self.kindVersion = version
            self.config = config
            self.inputs = inputs.compactMapValues { $0.string.flatMap(Digest.init(hex:)) }
        }

        init(format: Int, kind: String, kindVersion: Int, config: Value, inputs: [String: Digest]) {
            self.format = format
            self.kind = kind
            self.kindVersion = kindVersion
            self.config = config
            self.inputs = inputs
        }
    }

    public init(components: Components) {
        self.components = components
        digest = Digest.of(CanonicalJSON.encode(components.value))
    }

    /// The fingerprint of a planned step, given the digest of each input.
    /// `resolve` maps an artifact reference or a workspace path to its digest.
    public static func of(_ step: PlannedStep, resolve: (InputSource) throws -> Digest) rethrows -> Fingerprint {
        var inputs: [String: Digest] = [:]
        let config = try inputSlots(step.config, path: "", inputs: &inputs, resolve: resolve)
        return Fingerprint(components: Components(format: formatVersion, kind: step.kind, kindVersion: step.kindVersion,
                                                  config: config, inputs: inputs))
    }

    static func inputSlots(_ value: Value, path: String, inputs: inout [String: Digest],
                             resolve: (InputSource) throws -> Digest) rethrows -> Value {
        switch value {
        case .artifact(let a):
            inputs[path] = try resolve(.artifact(a))
            return .map(["$input": .string(path)])
        case .path(let p):
            inputs[path] = try resolve(.path(p))
            return .map(["$input": .string(path)])
        case .list(let items):
            return .list(try items.enumerated().map { try inputSlots($1, path: "\(path)[\($0)]", inputs: &inputs, resolve: resolve) })
        case .map(let m):
            var out: [String: Value] = [:]
            for key in m.keys.sorted() {
                out[key] = try inputSlots(m[key]!, path: path.isEmpty ? key : "\(path).\(key)", inputs: &inputs, resolve: resolve)
            }
            return .map(out)
        default:
            return value
        }
    }
}

/// Where an input comes from: another step's output or a workspace path.
public enum InputSource: Hashable, Sendable {
    case artifact(ArtifactReference)
    case path(String)
}
