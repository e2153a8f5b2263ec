/// Parses the tokens of a chat template into statements. The grammar is the
/// subset of Jinja chat templates use; anything else is an error naming the line
/// and column, never skipped. Operator precedence follows Jinja: `if-else` <
/// `or` < `and` < `not` < comparisons, `in`, `not in` < `+ -` < `~` < `* / // %` <
/// unary `-` < filters `|`, tests `is` < `.`, `[]`, `()`.
struct TemplateParser {
    let tokens: [TemplateToken]
    let name: String
    var p = 0

    static func parse(_ source: String, name: String) throws -> [TemplateNode] {
        var parser = TemplateParser(tokens: try TemplateLexer.tokenize(source, name: name), name: name)
        let (body, end) = try parser.parseBody(until: [])
        if let end { throw parser.error("unexpected '{% \(end) %}' with no block open", parser.tokens[parser.p - 1]) }
        return body
    }

    func error(_ message: String, _ token: TemplateToken?) -> TextError {
        guard let t = token ?? tokens.last else { return TextError("\(name): \(message)") }
        return TextError("\(name) line \(t.line), column \(t.column): \(message)")
    }

    private var current: TemplateToken? { p < tokens.count ? tokens[p] : nil }

    private mutating func next() throws -> TemplateToken {
        guard let t = current else { throw error("unexpected end of template", nil) }
        p += 1
        return t
    }

    private func isSymbol(_ s: String) -> Bool { current?.kind == .symbol(s) }
    private func isName(_ s: String) -> Bool { current?.kind == .name(s) }

    private mutating func expectSymbol(_ s: String) throws {
        let t = try next()
        guard t.kind == .symbol(s) else { throw error("expected '\(s)'", t) }
    }

    private mutating func expectName() throws -> String {
        let t = try next()
        guard case .name(let n) = t.kind else { throw error("expected a name", t) }
        return n
    }

    private mutating func expectKind(_ k: TemplateToken.Kind, _ what: String) throws {
        let t = try next()
        guard t.kind == k else { throw error("expected \(what)", t) }
    }

    /// Statements up to one of `enders` (a block keyword such as `endif`); returns the ender met, nil at the end.
    private mutating func parseBody(until enders: Set<String>, opener: TemplateToken? = nil) throws -> ([TemplateNode], String?) {
        var body: [TemplateNode] = []
        while let t = current {
            switch t.kind {
            case .text(let s):
                p += 1
                body.append(.text(s))
            case .expressionStart:
                p += 1
                let e = try parseExpression()
                try expectKind(.expressionEnd, "'}}'")
                body.append(.output(e))
            case .statementStart:
                p += 1
                let keywordToken = try next()
                guard case .name(let keyword) = keywordToken.kind else { throw error("expected a statement keyword", keywordToken) }
                if enders.contains(keyword) { return (body, keyword) }
                body.append(try parseStatement(keyword, keywordToken))
            default:
                throw error("unexpected token", t)
            }
        }
        if !enders.isEmpty {
            throw error("this block is never closed; expected one of \(enders.sorted().joined(separator: ", ")) before the template ends", opener)
        }
        return (body, nil)
    }

    private mutating func parseStatement(_ keyword: String, _ token: TemplateToken) throws -> TemplateNode {
        switch keyword {
        case "if":
            var branches: [(TemplateExpression, [TemplateNode])] = []
            var condition = try parseExpression()
            try expectKind(.statementEnd, "'%}'")
            while true {
                let (body, end) = try parseBody(until: ["elif", "else", "endif"], opener: token)
                branches.append((condition, body))
                if end == "elif" {
                    condition = try parseExpression()
                    try expectKind(.statementEnd, "'%}'")
                    continue
                }
                var otherwise: [TemplateNode] = []
                if end == "else" {
                    try expectKind(.statementEnd, "'%}'")
                    let (e, _) = try parseBody(until: ["endif"], opener: token)
                    otherwise = e
                }
                try expectKind(.statementEnd, "'%}'")
                return .ifChain(branches, otherwise)
            }
        case "for":
            var targets = [try expectName()]
            while isSymbol(",") { p += 1; targets.append(try expectName()) }
            guard isName("in") else { throw error("expected 'in' in the for statement", current) }
            p += 1
            let iterable = try parseOr()
            var condition: TemplateExpression?
            if isName("if") { p += 1; condition = try parseOr() }
            if isName("recursive") { throw error("recursive loops are not supported", current) }
            try expectKind(.statementEnd, "'%}'")
            let (body, end) = try parseBody(until: ["else", "endfor"], opener: token)
            var otherwise: [TemplateNode] = []
            if end == "else" {
                try expectKind(.statementEnd, "'%}'")
                otherwise = try parseBody(until: ["endfor"], opener: token).0
            }
            try expectKind(.statementEnd, "'%}'")
            return .forLoop(targets: targets, iterable: iterable, condition: condition, body: body, otherwise: otherwise)
        case "set":
            let first = try expectName()
            if isSymbol(".") {
                p += 1
                let attribute = try expectName()
                try expectSymbol("=")
                let value = try parseExpression()
                try expectKind(.statementEnd, "'%}'")
                return .setAttribute(first, attribute, value)
            }
            var targets = [first]
            while isSymbol(",") { p += 1; targets.append(try expectName()) }
            guard isSymbol("=") else { throw error("block 'set' (without '=') is not supported", current) }
            p += 1
            let value = try parseExpression()
            try expectKind(.statementEnd, "'%}'")
            return .set(targets: targets, value)
        case "generation":
            try expectKind(.statementEnd, "'%}'")
            let (body, _) = try parseBody(until: ["endgeneration"], opener: token)
            try expectKind(.statementEnd, "'%}'")
            return .generation(body)
        default:
            throw error("statement '\(keyword)' is not supported; supported: if, elif, else, for, set, generation", token)
        }
    }

    // MARK: Expressions

    mutating func parseExpression() throws -> TemplateExpression {
        let start = current
        let value = try parseOr()
        if isName("if") {
            p += 1
            let condition = try parseOr()
            var otherwise: TemplateExpression?
            if isName("else") { p += 1; otherwise = try parseExpression() }
            return located(.conditional(value, condition, otherwise), start)
        }
        return value
    }

    private func located(_ e: TemplateExpression, _ t: TemplateToken?) -> TemplateExpression {
        guard let t else { return e }
        return .located(e, line: t.line, column: t.column)
    }

    private mutating func parseOr() throws -> TemplateExpression {
        var left = try parseAnd()
        while isName("or") { let t = current; p += 1; left = located(.binary("or", left, try parseAnd()), t) }
        return left
    }

    private mutating func parseAnd() throws -> TemplateExpression {
        var left = try parseNot()
        while isName("and") { let t = current; p += 1; left = located(.binary("and", left, try parseNot()), t) }
        return left
    }

    private mutating func parseNot() throws -> TemplateExpression {
        if isName("not") { let t = current; p += 1; return located(.unary("not", try parseNot()), t) }
        return try parseCompare()
    }

    private mutating func parseCompare() throws -> TemplateExpression {
        var left = try parseAdditive()
        while let t = current {
            var op: String?
            if case .symbol(let s) = t.kind, ["==", "!=", "<", ">", "<=", ">="].contains(s) { op = s; p += 1 }
            else if t.kind == .name("in") { op = "in"; p += 1 }
            else if t.kind == .name("not"), p + 1 < tokens.count, tokens[p + 1].kind == .name("in") { op = "not in"; p += 2 }
            guard let op else { break }
            left = located(.binary(op, left, try parseAdditive()), t)
        }
        return left
    }

    private mutating func parseAdditive() throws -> TemplateExpression {
        var left = try parseConcat()
        while let t = current, t.kind == .symbol("+") || t.kind == .symbol("-") {
            p += 1
            guard case .symbol(let op) = t.kind else { break }
            left = located(.binary(op, left, try parseConcat()), t)
        }
        return left
    }

    private mutating func parseConcat() throws -> TemplateExpression {
        var left = try parseMultiplicative()
        while let t = current, t.kind == .symbol("~") { p += 1; left = located(.binary("~", left, try parseMultiplicative()), t) }
        return left
    }

    private mutating func parseMultiplicative() throws -> TemplateExpression {
        var left = try parseUnary()
        while let t = current, case .symbol(let op) = t.kind, ["*", "/", "//", "%"].contains(op) {
            p += 1
            left = located(.binary(op, left, try parseUnary()), t)
        }
        return left
    }

    private mutating func parseUnary() throws -> TemplateExpression {
        if let t = current, t.kind == .symbol("-") { p += 1; return located(.unary("-", try parseUnary()), t) }
        if let t = current, t.kind == .symbol("+") { p += 1; return try parseUnary() }
        var e = try parsePostfix(try parsePrimary())
        // Filters and tests bind tighter than arithmetic (Jinja's parse_filter_expr).
        while let t = current {
            if t.kind == .symbol("|") {
                p += 1
                let name = try expectName()
                var args: [TemplateExpression] = [], kwargs: [(String, TemplateExpression)] = []
                if isSymbol("(") { (args, kwargs) = try parseArguments() }
                e = located(.filter(e, name, args, kwargs), t)
            } else if t.kind == .name("is") {
                p += 1
                var negated = false
                if isName("not") { p += 1; negated = true }
                let testToken = try next()
                let testName: String
                switch testToken.kind {
                case .name(let n): testName = n
                default: throw error("expected a test name after 'is'", testToken)
                }
                var args: [TemplateExpression] = []
                if isSymbol("(") {
                    args = try parseArguments().0
                } else if let c = current, Self.startsBareTestArgument(c.kind) {
                    // `x is equalto 3`, `x is sameas none`: one argument without parentheses.
                    args = [try parsePostfix(try parsePrimary())]
                }
                e = located(.test(e, testName, args, negated: negated), t)
            } else {
                break
            }
        }
        return e
    }

    private static func startsBareTestArgument(_ k: TemplateToken.Kind) -> Bool {
        switch k {
        case .string, .int, .double: return true
        case .name(let n): return !["and", "or", "else", "if", "in", "not", "is"].contains(n)
        default: return false
        }
    }

    private mutating func parseArguments() throws -> ([TemplateExpression], [(String, TemplateExpression)]) {
        try expectSymbol("(")
        var args: [TemplateExpression] = [], kwargs: [(String, TemplateExpression)] = []
        while !isSymbol(")") {
            if let t = current, case .name(let n) = t.kind, p + 1 < tokens.count, tokens[p + 1].kind == .symbol("=") {
                p += 2
                kwargs.append((n, try parseExpression()))
            } else {
                args.append(try parseExpression())
            }
            if isSymbol(",") { p += 1 } else { break }
        }
        try expectSymbol(")")
        return (args, kwargs)
    }

    private mutating func parsePostfix(_ base: TemplateExpression) throws -> TemplateExpression {
        var e = base
        while let t = current {
            if t.kind == .symbol(".") {
                p += 1
                let nameToken = try next()
                switch nameToken.kind {
                case .name(let n): e = located(.attribute(e, n), t)
                case .int(let i): e = located(.index(e, .literal(.int(i))), t)
                default: throw error("expected an attribute name after '.'", nameToken)
                }
            } else if t.kind == .symbol("[") {
                p += 1
                var parts: [TemplateExpression?] = [nil]
                var colons = 0
                while !isSymbol("]") {
                    if isSymbol(":") { p += 1; colons += 1; parts.append(nil); continue }
                    parts[parts.count - 1] = try parseExpression()
                    if !isSymbol(":") && !isSymbol("]") { throw error("expected ':' or ']'", current) }
                }
                try expectSymbol("]")
                if colons == 0 {
                    guard let index = parts[0] else { throw error("empty subscript", t) }
                    e = located(.index(e, index), t)
                } else {
                    guard colons <= 2 else { throw error("a slice has at most two ':'", t) }
                    e = located(.slice(e, parts[0], parts[1], parts.count > 2 ? parts[2] : nil), t)
                }
            } else if t.kind == .symbol("(") {
                let (args, kwargs) = try parseArguments()
                e = located(.call(e, args, kwargs), t)
            } else {
                break
            }
        }
        return e
    }

    private mutating func parsePrimary() throws -> TemplateExpression {
        let t = try next()
        switch t.kind {
        case .string(var s):
            // Adjacent string literals join, as in Python.
            while let c = current, case .string(let more) = c.kind { s += more; p += 1 }
            return .literal(.string(s))
        case .int(let i): return .literal(.int(i))
        case .double(let d): return .literal(.double(d))
        case .name(let n):
            switch n {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return located(.name(n), t)
            }
        case .symbol("("):
            let e = try parseExpression()
            if isSymbol(",") {
                var items = [e]
                while isSymbol(",") { p += 1; if isSymbol(")") { break }; items.append(try parseExpression()) }
                try expectSymbol(")")
                return .list(items)
            }
            try expectSymbol(")")
            return e
        case .symbol("["):
            var items: [TemplateExpression] = []
            while !isSymbol("]") {
                items.append(try parseExpression())
                if isSymbol(",") { p += 1 } else { break }
            }
            try expectSymbol("]")
            return .list(items)
        case .symbol("{"):
            var entries: [(TemplateExpression, TemplateExpression)] = []
            while !isSymbol("}") {
                let key = try parseExpression()
                try expectSymbol(":")
                entries.append((key, try parseExpression()))
                if isSymbol(",") { p += 1 } else { break }
            }
            try expectSymbol("}")
            return .dict(entries)
        default:
            throw error("unexpected token in an expression", t)
        }
    }
}
