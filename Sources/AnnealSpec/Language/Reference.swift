import Foundation

/// A `${...}` reference, parsed.
///
/// Forms: `${params.a.b}`, `${matrix.key}`, `${env.NAME}`, `${step.output}`,
/// `${step[key=value].output}` (one instance of a matrix step),
/// `${step[*].output}` (all instances), and in template fields the run-time
/// forms such as `${inputs.name}`.
public struct Reference: Hashable, Sendable, CustomStringConvertible {
    public enum Target: Hashable, Sendable {
        case param([String])
        case matrix(String)
        case env(String)
        case step(name: String, selector: MatrixSelector?, output: String)
        /// A name in a namespace the step fills in when it runs.
        case runtime(namespace: String, name: String)
    }

    public var target: Target
    /// The text between `${` and `}`.
    public var text: String

    public var description: String { "${\(text)}" }

    /// Parses the text between `${` and `}`; `runtimeNamespaces` are the
    /// namespaces the enclosing field leaves for run time. Returns an error
    /// message when the text is not a reference.
    public static func parse(_ text: String, runtimeNamespaces: [String] = []) -> Result<Reference, ReferenceSyntaxError> {
        var scanner = Substring(text)
        func name() -> String? {
            let n = scanner.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
            guard !n.isEmpty else { return nil }
            scanner = scanner.dropFirst(n.count)
            return String(n)
        }
        guard let head = name() else {
            return .failure(ReferenceSyntaxError("'${\(text)}' does not start with a name",
                                                 hint: "write ${params.NAME}, ${STEP.OUTPUT}, ${matrix.KEY} or ${env.NAME}"))
        }
        var selector: MatrixSelector?
        if scanner.hasPrefix("[") {
            guard let close = scanner.firstIndex(of: "]") else {
                return .failure(ReferenceSyntaxError("'[' without ']' in '${\(text)}'"))
            }
            let inside = scanner[scanner.index(after: scanner.startIndex)..<close]
            switch MatrixSelector.parse(String(inside)) {
            case .success(let s): selector = s
            case .failure(let e): return .failure(e)
            }
            scanner = scanner[scanner.index(after: close)...]
        }
        var path: [String] = []
        while !scanner.isEmpty {
            guard scanner.hasPrefix(".") else {
                return .failure(ReferenceSyntaxError("unexpected '\(scanner.first!)' in '${\(text)}'",
                                                     hint: "names are joined with '.', like ${params.model.width}"))
            }
            scanner = scanner.dropFirst()
            guard let part = name() else {
                return .failure(ReferenceSyntaxError("a name is missing after '.' in '${\(text)}'"))
            }
            path.append(part)
        }
        let target: Target
        switch head {
        case "params" where selector == nil:
            guard !path.isEmpty else {
                return .failure(ReferenceSyntaxError("'${params}' names no param", hint: "write ${params.NAME}"))
            }
            target = .param(path)
        case "matrix" where selector == nil:
            guard path.count == 1 else {
                return .failure(ReferenceSyntaxError("'${\(text)}' must name one matrix key", hint: "write ${matrix.KEY}"))
            }
            target = .matrix(path[0])
        case "env" where selector == nil:
            guard path.count == 1 else {
                return .failure(ReferenceSyntaxError("'${\(text)}' must name one environment variable", hint: "write ${env.NAME}"))
            }
            target = .env(path[0])
        case _ where runtimeNamespaces.contains(head) && selector == nil:
            guard path.count == 1 else {
                return .failure(ReferenceSyntaxError("'${\(text)}' must name one entry of '\(head)'", hint: "write ${\(head).NAME}"))
            }
            target = .runtime(namespace: head, name: path[0])
        default:
            guard path.count == 1 else {
                let hint = path.isEmpty ? "name the output too, like ${\(head).model}" : "a step reference is ${STEP.OUTPUT}, with one output name"
                return .failure(ReferenceSyntaxError("'${\(text)}' is not a step output reference", hint: hint))
            }
            target = .step(name: head, selector: selector, output: path[0])
        }
        return .success(Reference(target: target, text: text))
    }
}

/// The `[...]` after a matrix step's name: one instance by its values, or `*`.
public enum MatrixSelector: Hashable, Sendable {
    case all
    case instance([(key: String, value: String)])

    public static func == (a: MatrixSelector, b: MatrixSelector) -> Bool {
        switch (a, b) {
        case (.all, .all): return true
        case (.instance(let x), .instance(let y)): return x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .all: hasher.combine(0)
        case .instance(let pairs): for p in pairs { hasher.combine(p.key); hasher.combine(p.value) }
        }
    }

    static func parse(_ text: String) -> Result<MatrixSelector, ReferenceSyntaxError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return .success(.all) }
        var pairs: [(String, String)] = []
        for part in trimmed.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else {
                return .failure(ReferenceSyntaxError("'[\(text)]' must be '[*]' or '[key=value,...]'"))
            }
            pairs.append((kv[0].trimmingCharacters(in: .whitespaces), kv[1].trimmingCharacters(in: .whitespaces)))
        }
        guard !pairs.isEmpty else { return .failure(ReferenceSyntaxError("'[]' selects nothing", hint: "write '[*]' or '[key=value]'")) }
        return .success(.instance(pairs))
    }
}

/// A reference that could not be parsed, with what to write instead.
public struct ReferenceSyntaxError: Error, Sendable {
    public var message: String
    public var hint: String?
    /// Where in the text the problem is, in characters, when known.
    public var offset: Int?

    init(_ message: String, hint: String? = nil, offset: Int? = nil) {
        self.message = message
        self.hint = hint
        self.offset = offset
    }
}

/// A string split into literal text and `${...}` references. `$${` writes a
/// literal `${`.
public struct TemplateString: Sendable {
    public enum Part: Sendable {
        case text(String)
        /// A reference with its offset in the string, in characters.
        case reference(String, offset: Int)
    }

    public var parts: [Part]

    /// The single reference when the whole string is `${...}`.
    public var wholeReference: String? {
        if parts.count == 1, case .reference(let r, _) = parts[0] { return r }
        return nil
    }

    public var hasReferences: Bool {
        parts.contains { if case .reference = $0 { return true } else { return false } }
    }

    /// Splits `text`; returns the offset of an unclosed `${` as a failure.
    public static func parse(_ text: String) -> Result<TemplateString, ReferenceSyntaxError> {
        guard text.contains("${") else { return .success(TemplateString(parts: [.text(text)])) }
        var parts: [Part] = []
        var literal = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == "$", i + 2 < chars.count, chars[i + 1] == "$", chars[i + 2] == "{" {
                literal += "${"
                i += 3
                continue
            }
            if chars[i] == "$", i + 1 < chars.count, chars[i + 1] == "{" {
                guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                    return .failure(ReferenceSyntaxError("'${' is not closed with '}'",
                                                         hint: "close the reference, or write '$${' for a literal '${'", offset: i))
                }
                if !literal.isEmpty { parts.append(.text(literal)); literal = "" }
                parts.append(.reference(String(chars[(i + 2)..<close]), offset: i))
                i = close + 1
                continue
            }
            literal.append(chars[i])
            i += 1
        }
        if !literal.isEmpty || parts.isEmpty { parts.append(.text(literal)) }
        return .success(TemplateString(parts: parts))
    }
}
