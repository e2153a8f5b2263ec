import Foundation

/// Reads a step's `with:` YAML under its kind's schema: types each value by
/// its field, fills defaults, substitutes references, and records every
/// problem with its place instead of stopping at the first.
struct ConfigResolver {
    /// What the resolver knows about the step instance being resolved.
    struct Scope {
        var step: String
        var instance: String
        var matrix: [String: YAMLNode]
        var environment: [String: String]
        /// Step base name to its instance names, for references.
        var instances: [String: [Instance]]
        var baseDirectory: String
    }

    /// A step instance, as references see it.
    struct Instance {
        var name: String
        var values: [(key: String, text: String)]
    }

    /// A step output reference found in a config, checked once every step's
    /// outputs are known.
    struct PendingReference {
        var reference: ArtifactReference
        var location: SourceLocation
        var text: String
    }

    /// A `${inputs.x}`-style name found in a template field, checked against
    /// the sibling field of that namespace.
    struct RuntimeName {
        var namespace: String
        var name: String
        var location: SourceLocation
    }

    var params: ParamTable
    var diagnostics: [Diagnostic] = []
    var pending: [PendingReference] = []
    var runtimeNames: [RuntimeName] = []
    var environmentUsed: [String: String] = [:]
    var checkPaths = true
    /// Guards against params that reference each other in a loop.
    private var depth = 0

    init(params: ParamTable) {
        self.params = params
    }

    mutating func error(_ location: SourceLocation?, _ message: String, hint: String? = nil) {
        diagnostics.append(.error(location, message, hint: hint))
    }

    // MARK: Records

    mutating func resolveRecord(_ node: YAMLNode?, schema: Schema, field: String, scope: Scope, fallback: SourceLocation) -> [String: Value] {
        var result: [String: Value] = [:]
        let entries = node?.mapping ?? []
        let names = schema.fields.map(\.name)
        let place = field == "with" ? "step '\(scope.step)'" : "'\(field)' of step '\(scope.step)'"
        var misspelled = Set<String>()
        for entry in entries where schema[entry.key] == nil {
            if schema.allowsOtherKeys {
                if let v = resolve(entry.value, as: .any, field: join(field, entry.key), scope: scope) { result[entry.key] = v }
            } else {
                let suggestion = Suggestion.closest(to: entry.key, in: names)
                if let suggestion { misspelled.insert(suggestion) }
                error(entry.keyLocation, "unknown field '\(entry.key)' in \(place)\(suggestion.map { " (did you mean '\($0)'?)" } ?? "")",
                      hint: "the fields are: \(names.joined(separator: ", ")) (see 'anneal kinds')")
            }
        }
        for f in schema.fields {
            let entry = entries.first { $0.key == f.name }
            if let entry, !entry.value.isNull {
                if let v = resolve(entry.value, as: f.type, field: join(field, f.name), scope: scope) { result[f.name] = v }
            } else if let d = f.defaultValue {
                result[f.name] = d
            } else if f.required, !misspelled.contains(f.name) {
                error(entry?.keyLocation ?? node?.location ?? fallback, "\(place) is missing the required field '\(f.name)'",
                      hint: "add '\(f.name):' (\(f.type.name)): \(f.doc)")
            }
        }
        // Requirements across fields, on the values read (a field that did not
        // read was reported already); a misspelt key was reported already too.
        if misspelled.isEmpty {
            var values = result
            for entry in entries where values[entry.key] == nil && !entry.value.isNull { values[entry.key] = .string("") }
            for rule in schema.rules {
                guard let v = rule.violation(values) else { continue }
                error(v.at.flatMap { Self.location(of: $0, in: entries) } ?? node?.location ?? fallback, "\(place) \(v.message)",
                      hint: Self.hint(rule, pointingAt: v.at))
            }
        }
        return result
    }

    func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : "\(a).\(b)" }

    /// Where the value at `path` is written: its key, or the place of the value inside a record.
    static func location(of path: [String], in entries: [YAMLEntry]) -> SourceLocation? {
        guard let entry = entries.first(where: { $0.key == path[0] }) else { return nil }
        if path.count == 1 { return entry.keyLocation }
        return location(of: Array(path.dropFirst()), in: entry.value.mapping ?? []) ?? entry.value.location
    }

    /// What to do about a broken rule.
    static func hint(_ rule: FieldRule, pointingAt path: [String]?) -> String {
        switch rule {
        case .atLeastOne(let names, _), .exactlyOne(let names, _):
            return path.map { "remove '\($0.joined(separator: ".")):'" } ?? "add \(names.map { "'\($0):'" }.joined(separator: " or "))"
        case .divides(let divisor, let dividend, _):
            return "make '\(dividend)' a multiple of '\(divisor)'"
        case .namesKey(let map, _, _):
            return "write one of the names under '\(map)'"
        }
    }

    // MARK: Values

    /// The value of `node` as `type`, or nil after recording why not.
    mutating func resolve(_ node: YAMLNode, as type: FieldType, field: String, scope: Scope) -> Value? {
        if case .scalar(let scalar) = node.content, scalar.value.contains("${") {
            return resolveTemplate(scalar, at: node.location, as: type, field: field, scope: scope)
        }
        switch type {
        case .either(let a, let b):
            // Pick the alternative whose shape fits the node, so errors speak
            // of the type the user evidently meant.
            let fitsA = a.accepts(node), fitsB = b.accepts(node)
            if fitsA != fitsB { return resolve(node, as: fitsA ? a : b, field: field, scope: scope) }
            let mark = diagnostics.count
            if let v = resolve(node, as: a, field: field, scope: scope) { return v }
            let firstErrors = Array(diagnostics[mark...])
            diagnostics.removeSubrange(mark...)
            if let v = resolve(node, as: b, field: field, scope: scope) {
                return v
            }
            diagnostics.removeSubrange(mark...)
            diagnostics.append(contentsOf: firstErrors)
            return nil
        case .any:
            return resolveAny(node, field: field, scope: scope)
        case .list(let element):
            guard let items = node.sequence else { return mismatch(node, type, field) }
            var out: [Value] = []
            var ok = true
            for (i, item) in items.enumerated() {
                if let v = resolve(item, as: element, field: "\(field)[\(i)]", scope: scope) { out.append(v) } else { ok = false }
            }
            return ok ? .list(out) : nil
        case .map(let element):
            guard let entries = node.mapping else { return mismatch(node, type, field) }
            var out: [String: Value] = [:]
            var ok = true
            for e in entries {
                if let v = resolve(e.value, as: element, field: join(field, e.key), scope: scope) { out[e.key] = v } else { ok = false }
            }
            return ok ? .map(out) : nil
        case .record(let schema):
            guard node.mapping != nil else { return mismatch(node, type, field) }
            let mark = diagnostics.count
            let r = resolveRecord(node, schema: schema, field: field, scope: scope, fallback: node.location)
            return diagnostics.count == mark ? .map(r) : nil
        default:
            guard let scalar = node.scalar else { return mismatch(node, type, field) }
            return typedScalar(scalar, at: node.location, as: type, field: field, scope: scope)
        }
    }

    mutating func mismatch(_ node: YAMLNode, _ type: FieldType, _ field: String) -> Value? {
        var hint: String?
        switch type {
        case .list: hint = "write a list, like [a, b] or one '- item' per line"
        case .map, .record: hint = "write a mapping of names to values, indented under '\(field.split(separator: ".").last ?? "")'"
        default: hint = nil
        }
        error(node.location, "'\(field)' must be \(FieldTypeWords.describe(type)), not \(node.shapeName)", hint: hint)
        return nil
    }

    mutating func resolveAny(_ node: YAMLNode, field: String, scope: Scope) -> Value? {
        switch node.content {
        case .scalar(let s): return Scalars.untyped(s)
        case .sequence(let items):
            var out: [Value] = []
            for (i, item) in items.enumerated() {
                guard let v = resolve(item, as: .any, field: "\(field)[\(i)]", scope: scope) else { return nil }
                out.append(v)
            }
            return .list(out)
        case .mapping(let entries):
            var out: [String: Value] = [:]
            for e in entries {
                guard let v = resolve(e.value, as: .any, field: join(field, e.key), scope: scope) else { return nil }
                out[e.key] = v
            }
            return .map(out)
        }
    }

    /// A scalar without references, read as `type`.
    mutating func typedScalar(_ s: YAMLScalar, at location: SourceLocation, as type: FieldType, field: String, scope: Scope) -> Value? {
        switch type {
        case .int(let lo, let hi):
            guard let v = Scalars.int(s) else {
                let asFloat = Scalars.float(s) != nil && s.style == .plain
                error(location, "'\(field)' must be a whole number, not '\(s.value)'",
                      hint: asFloat ? "write it without a fraction or exponent" : (s.style == .quoted ? "remove the quotes" : nil))
                return nil
            }
            if let lo, v < lo { error(location, "'\(field)' must be at least \(lo), not \(v)"); return nil }
            if let hi, v > hi { error(location, "'\(field)' must be at most \(hi), not \(v)"); return nil }
            return .int(v)
        case .float(let lo, let hi):
            guard let v = Scalars.float(s), v.isFinite else {
                error(location, "'\(field)' must be a number, not '\(s.value)'",
                      hint: s.style == .quoted ? "remove the quotes" : "write it like 0.0003 or 3e-4")
                return nil
            }
            if let lo, v < lo { error(location, "'\(field)' must be at least \(CanonicalJSON.number(lo)), not \(s.value)"); return nil }
            if let hi, v > hi { error(location, "'\(field)' must be at most \(CanonicalJSON.number(hi)), not \(s.value)"); return nil }
            return .float(v)
        case .bool:
            guard let v = Scalars.bool(s) else {
                let yaml11 = ["yes", "no", "on", "off", "y", "n"].contains(s.value.lowercased())
                error(location, "'\(field)' must be true or false, not '\(s.value)'",
                      hint: yaml11 ? "Anneal reads YAML 1.2: only true and false are booleans" : nil)
                return nil
            }
            return .bool(v)
        case .string, .template:
            return .string(s.value)
        case .enumeration(let cases):
            guard cases.contains(s.value) else {
                error(location, "'\(field)' must be one of \(cases.joined(separator: ", ")), not '\(s.value)'\(Suggestion.didYouMean(s.value, in: cases))")
                return nil
            }
            return .string(s.value)
        case .file, .files:
            return path(s.value, at: location, field: field, glob: { if case .files = type { return true } else { return false } }(), scope: scope)
        case .artifact:
            error(location, "'\(field)' must be another step's output, like ${STEP.OUTPUT}, not '\(s.value)'")
            return nil
        case .any:
            return Scalars.untyped(s)
        case .list, .map, .record, .either:
            return mismatch(YAMLNode(.scalar(s), at: location), type, field)
        }
    }

    /// A workspace path: checked to exist (or, for a glob, to match something).
    mutating func path(_ text: String, at location: SourceLocation, field: String, glob: Bool, scope: Scope) -> Value? {
        guard !text.isEmpty else {
            error(location, "'\(field)' is an empty path")
            return nil
        }
        guard checkPaths else { return .path(text) }
        let full = text.hasPrefix("/") ? text : (scope.baseDirectory.isEmpty ? text : "\(scope.baseDirectory)/\(text)")
        if glob && text.contains(where: { "*?[".contains($0) }) {
            if Glob.matches(full).isEmpty {
                error(location, "'\(field)': the pattern '\(text)' matches no file (looked in \(scope.baseDirectory.isEmpty ? "." : scope.baseDirectory))",
                      hint: "paths are relative to the pipeline file's folder")
                return nil
            }
        } else if !FileManager.default.fileExists(atPath: full) {
            error(location, "'\(field)': input '\(text)' does not exist (looked for \(full))",
                  hint: "paths are relative to the pipeline file's folder; to use another step's output write ${STEP.OUTPUT}")
            return nil
        }
        return .path(text)
    }

    // MARK: References

    /// A scalar containing `${...}`: one whole reference keeps the type of what
    /// it names; references inside longer text are interpolated as text.
    mutating func resolveTemplate(_ s: YAMLScalar, at location: SourceLocation, as type: FieldType, field: String, scope: Scope) -> Value? {
        let runtime: [String]
        if case .template(let namespaces) = type { runtime = namespaces } else { runtime = [] }
        let template: TemplateString
        switch TemplateString.parse(s.value) {
        case .success(let t): template = t
        case .failure(let e):
            let shift = (e.offset ?? 0) + (e.offset != nil && s.style == .quoted ? 1 : 0)
            error(SourceLocation(file: location.file, line: location.line, column: location.column + shift),
                  "'\(field)': \(e.message)", hint: e.hint)
            return nil
        }
        let quoteShift = s.style == .quoted ? 1 : 0
        func place(_ offset: Int) -> SourceLocation {
            SourceLocation(file: location.file, line: location.line, column: location.column + offset + quoteShift)
        }
        if let whole = template.wholeReference, case .reference(_, let offset) = template.parts[0] {
            return resolveWhole(whole, at: place(offset), as: type, field: field, scope: scope, runtime: runtime)
        }
        var text = ""
        var ok = true
        for part in template.parts {
            switch part {
            case .text(let t): text += t
            case .reference(let r, let offset):
                if let piece = interpolate(r, at: place(offset), field: field, scope: scope, runtime: runtime) { text += piece } else { ok = false }
            }
        }
        guard ok else { return nil }
        return typedScalar(YAMLScalar(text, style: s.style), at: location, as: type, field: field, scope: scope)
    }

    mutating func parseReference(_ text: String, at location: SourceLocation, field: String, runtime: [String]) -> Reference? {
        switch Reference.parse(text, runtimeNamespaces: runtime) {
        case .success(let r): return r
        case .failure(let e):
            error(location, "'\(field)': \(e.message)", hint: e.hint)
            return nil
        }
    }

    mutating func resolveWhole(_ text: String, at location: SourceLocation, as type: FieldType, field: String, scope: Scope, runtime: [String]) -> Value? {
        guard let ref = parseReference(text, at: location, field: field, runtime: runtime) else { return nil }
        switch ref.target {
        case .step(let name, let selector, let output):
            return stepReference(name, selector, output, ref: ref, at: location, as: type, field: field, scope: scope)
        case .runtime(let namespace, let name):
            runtimeNames.append(RuntimeName(namespace: namespace, name: name, location: location))
            return .string("${\(text)}")
        default:
            guard let node = referencedNode(ref, at: location, field: field, scope: scope) else { return nil }
            depth += 1
            defer { depth -= 1 }
            guard depth < 16 else {
                error(location, "'\(field)': references nest more than 16 deep; params probably refer to each other in a loop")
                return nil
            }
            let mark = diagnostics.count
            let value = resolve(node, as: type, field: field, scope: scope)
            if value == nil, diagnostics.count > mark, node.location != location {
                // Say where the reference is, not only where the value was written.
                for i in mark..<diagnostics.count {
                    diagnostics[i].message += " (through \(ref) at \(location))"
                }
            }
            return value
        }
    }

    /// The YAML a param, matrix or env reference stands for.
    mutating func referencedNode(_ ref: Reference, at location: SourceLocation, field: String, scope: Scope) -> YAMLNode? {
        switch ref.target {
        case .param(let path):
            guard let node = params.node(at: path) else {
                let suggestion = Suggestion.didYouMean(path.last!, in: params.siblings(of: path))
                error(location, "'\(field)': \(ref) names no param\(suggestion)",
                      hint: "declare it under 'params:' at the top of the pipeline")
                return nil
            }
            params.markUsed(path)
            return node
        case .matrix(let key):
            guard let node = scope.matrix[key] else {
                if scope.matrix.isEmpty {
                    error(location, "'\(field)': \(ref) is used, but step '\(scope.step)' has no 'matrix:'",
                          hint: "add 'matrix: { \(key): [...] }' to the step")
                } else {
                    error(location, "'\(field)': \(ref) names no matrix key of step '\(scope.step)'\(Suggestion.didYouMean(key, in: scope.matrix.keys))")
                }
                return nil
            }
            return node
        case .env(let name):
            guard let value = scope.environment[name] else {
                error(location, "'\(field)': environment variable \(name) is not set",
                      hint: "export \(name)=... before running, or remove \(ref); its value becomes part of the step's identity")
                return nil
            }
            environmentUsed[name] = value
            return YAMLNode(.scalar(YAMLScalar(value, style: .plain)), at: location)
        case .step, .runtime:
            return nil
        }
    }

    mutating func interpolate(_ text: String, at location: SourceLocation, field: String, scope: Scope, runtime: [String]) -> String? {
        guard let ref = parseReference(text, at: location, field: field, runtime: runtime) else { return nil }
        switch ref.target {
        case .step:
            let hint = runtime.contains("inputs")
                ? "declare it under 'inputs:' (name: \(ref)) and write ${inputs.name} here"
                : "a step's output can only be a whole value: write '\(field.split(separator: ".").last ?? ""): \(ref)' on its own"
            error(location, "'\(field)': \(ref) is a step's output and cannot be part of a longer text", hint: hint)
            return nil
        case .runtime(let namespace, let name):
            runtimeNames.append(RuntimeName(namespace: namespace, name: name, location: location))
            return "${\(text)}"
        default:
            guard let node = referencedNode(ref, at: location, field: field, scope: scope) else { return nil }
            guard let s = node.scalar else {
                error(location, "'\(field)': \(ref) is \(node.shapeName) and cannot be part of a text",
                      hint: "use it as a whole value, or reference one of its entries")
                return nil
            }
            return s.value
        }
    }

    /// `${step.output}` (or `[sel]`) as an artifact, a list or a map of them.
    mutating func stepReference(_ name: String, _ selector: MatrixSelector?, _ output: String, ref: Reference,
                                at location: SourceLocation, as type: FieldType, field: String, scope: Scope) -> Value? {
        guard let instances = scope.instances[name] else {
            let known = scope.instances.keys.filter { $0 != scope.step }
            error(location, "'\(field)': \(ref) names no step '\(name)'\(Suggestion.didYouMean(name, in: known))",
                  hint: ["params", "matrix", "env"].contains(where: { Suggestion.distance($0, name, limit: 2) <= 2 })
                    ? "references start with params., matrix., env. or a step's name" : "the steps are: \(known.sorted().prefix(10).joined(separator: ", "))")
            return nil
        }
        if name == scope.step {
            error(location, "'\(field)': step '\(name)' refers to its own output \(ref)",
                  hint: "a step reads the outputs of other steps; write to its output folder instead")
            return nil
        }
        let isMatrix = !(instances.count == 1 && instances[0].values.isEmpty)
        var chosen: [Instance]
        switch selector {
        case nil:
            guard !isMatrix else {
                let example = instances[0].values.map { "\($0.key)=\($0.text)" }.joined(separator: ",")
                error(location, "'\(field)': step '\(name)' is a matrix of \(instances.count) instances; \(ref) must say which",
                      hint: "write ${\(name)[\(example)].\(output)} for one, or ${\(name)[*].\(output)} for all")
                return nil
            }
            chosen = instances
        case .all:
            chosen = instances
        case .instance(let pairs):
            guard isMatrix else {
                error(location, "'\(field)': step '\(name)' has no matrix, so \(ref) selects nothing", hint: "write ${\(name).\(output)}")
                return nil
            }
            chosen = instances.filter { instance in
                pairs.count == instance.values.count && pairs.allSatisfy { pair in
                    instance.values.contains { $0.key == pair.key && MatrixValues.same($0.text, pair.value) }
                }
            }
            guard chosen.count == 1 else {
                error(location, "'\(field)': \(ref) matches no instance of step '\(name)'",
                      hint: "its instances are: \(instances.map(\.name).prefix(8).joined(separator: ", "))")
                return nil
            }
        }
        for instance in chosen {
            pending.append(PendingReference(reference: ArtifactReference(step: instance.name, output: output), location: location, text: ref.description))
        }
        let many = selector == .all
        return artifactValue(chosen.map { ArtifactReference(step: $0.name, output: output) }, many: many,
                             as: type, ref: ref, at: location, field: field)
    }

    mutating func artifactValue(_ refs: [ArtifactReference], many: Bool, as type: FieldType, ref: Reference,
                                at location: SourceLocation, field: String) -> Value? {
        switch type {
        case .file, .artifact, .files, .any:
            if !many { return .artifact(refs[0]) }
            if case .any = type { return .list(refs.map { .artifact($0) }) }
        case .list(let element):
            if many, element.acceptsArtifact { return .list(refs.map { .artifact($0) }) }
            if !many, element.acceptsArtifact { return .list([.artifact(refs[0])]) }
        case .map(let element):
            if many, element.acceptsArtifact {
                var m: [String: Value] = [:]
                for r in refs { m[r.step] = .artifact(r) }
                return .map(m)
            }
        case .either(let a, let b):
            let mark = diagnostics.count
            if let v = artifactValue(refs, many: many, as: a, ref: ref, at: location, field: field) { return v }
            diagnostics.removeSubrange(mark...)
            return artifactValue(refs, many: many, as: b, ref: ref, at: location, field: field)
        default:
            break
        }
        let what = many ? "the outputs of every instance (a list)" : "a step's output (a file or folder)"
        error(location, "'\(field)' must be \(FieldTypeWords.describe(type)), but \(ref) is \(what)")
        return nil
    }
}

/// Comparing matrix values as written with the values in a selector.
enum MatrixValues {
    /// `0.1` selects `0.10`: numbers compare by value, other text exactly.
    static func same(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        if let x = Scalars.parseFloat(a), let y = Scalars.parseFloat(b) { return x == y }
        return false
    }
}

extension FieldType {
    /// Whether a node of this shape could be a value of this type.
    func accepts(_ node: YAMLNode) -> Bool {
        switch (self, node.content) {
        case (.any, _): return true
        case (.either(let a, let b), _): return a.accepts(node) || b.accepts(node)
        case (.list, .sequence): return true
        case (.map, .mapping), (.record, .mapping): return true
        case (.list, _), (.map, _), (.record, _): return false
        case (_, .scalar): return true
        default: return false
        }
    }

    var acceptsArtifact: Bool {
        switch self {
        case .file, .artifact, .files, .any: return true
        case .either(let a, let b): return a.acceptsArtifact || b.acceptsArtifact
        default: return false
        }
    }
}

/// Field types in words, for messages.
enum FieldTypeWords {
    static func describe(_ type: FieldType) -> String {
        switch type {
        case .int: return "a whole number"
        case .float: return "a number"
        case .string, .template: return "text"
        case .bool: return "true or false"
        case .file: return "a file path or a step output"
        case .files: return "a path or glob pattern, or a step output"
        case .artifact: return "a step output"
        case .enumeration(let cases): return "one of \(cases.joined(separator: ", "))"
        case .list(let e): return "a list of \(plural(e))"
        case .map(let e): return "a mapping of names to \(plural(e))"
        case .record: return "a mapping"
        case .either(let a, let b): return "\(describe(a)) or \(describe(b))"
        case .any: return "a value"
        }
    }

    static func plural(_ type: FieldType) -> String {
        switch type {
        case .int: return "whole numbers"
        case .float: return "numbers"
        case .string, .template: return "texts"
        case .bool: return "booleans"
        case .file: return "file paths or step outputs"
        case .files: return "paths or patterns"
        case .artifact: return "step outputs"
        case .record: return "mappings"
        default: return "values (\(type.name))"
        }
    }
}
