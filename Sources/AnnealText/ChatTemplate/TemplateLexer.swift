/// Cuts a chat template into tokens, applying the whitespace rules
/// `transformers` renders with: `-` in a delimiter strips all whitespace on that
/// side, `trim_blocks` drops the first newline after a `{% %}` or `{# #}` tag and
/// `lstrip_blocks` drops spaces and tabs before such a tag at the start of a line;
/// a newline ending the template is dropped.
struct TemplateLexer {
    let source: [Character]
    let name: String
    var i = 0
    var line = 1
    var column = 1
    var tokens: [TemplateToken] = []

    init(_ source: String, name: String) {
        var characters = Array(source)
        // Jinja's default keep_trailing_newline=False: one newline ending the template is dropped.
        if let last = characters.last, last == "\n" || last == "\r\n" { characters.removeLast() }
        self.source = characters
        self.name = name
    }

    func error(_ message: String, _ line: Int, _ column: Int) -> TextError {
        TextError("\(name) line \(line), column \(column): \(message)")
    }

    private func peek(_ offset: Int = 0) -> Character? { i + offset < source.count ? source[i + offset] : nil }

    private mutating func advance(_ n: Int = 1) {
        for _ in 0..<n where i < source.count {
            if source[i] == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
    }

    static func tokenize(_ source: String, name: String) throws -> [TemplateToken] {
        var lexer = TemplateLexer(source, name: name)
        try lexer.run()
        return lexer.tokens
    }

    private mutating func run() throws {
        var text = ""
        var textLine = 1, textColumn = 1
        var stripNextText = false      // after `-}}`/`-%}`: drop all leading whitespace
        var trimNextNewline = false    // trim_blocks after `%}` / `#}`
        func flush(_ tokens: inout [TemplateToken]) {
            if !text.isEmpty { tokens.append(TemplateToken(kind: .text(text), line: textLine, column: textColumn)) }
            text = ""
        }
        while i < source.count {
            let c = source[i]
            if c == "{", let n = peek(1), n == "{" || n == "%" || n == "#" {
                let tagLine = line, tagColumn = column
                let stripBefore = peek(2) == "-"
                let keepBefore = peek(2) == "+"
                if stripBefore {
                    while let last = text.last, last.isWhitespace { text.removeLast() }
                } else if n != "{" && !keepBefore {
                    // lstrip_blocks: spaces and tabs between the start of a source line and the tag.
                    var j = i
                    while j > 0, source[j - 1] == " " || source[j - 1] == "\t" { j -= 1 }
                    if j == 0 || source[j - 1] == "\n" || source[j - 1] == "\r\n" {
                        var n = i - j
                        while n > 0, let last = text.last, last == " " || last == "\t" { text.removeLast(); n -= 1 }
                    }
                }
                flush(&tokens)
                advance(stripBefore || keepBefore ? 3 : 2)
                if n == "#" {
                    var closed = false
                    while i < source.count {
                        if source[i] == "#", peek(1) == "}" { closed = true; break }
                        advance()
                    }
                    guard closed else { throw error("comment is not closed with #}", tagLine, tagColumn) }
                    let stripAfter = i > 0 && source[i - 1] == "-"
                    advance(2)
                    stripNextText = stripAfter
                    trimNextNewline = !stripAfter
                } else {
                    let isStatement = n == "%"
                    tokens.append(TemplateToken(kind: isStatement ? .statementStart : .expressionStart, line: tagLine, column: tagColumn))
                    let stripAfter = try lexExpression(until: isStatement ? "%" : "}", tagLine, tagColumn)
                    stripNextText = stripAfter
                    trimNextNewline = isStatement && !stripAfter
                }
                textLine = line
                textColumn = column
                continue
            }
            if stripNextText {
                if c.isWhitespace { advance(); textLine = line; textColumn = column; continue }
                stripNextText = false
            }
            if trimNextNewline {
                trimNextNewline = false
                if c == "\n" || c == "\r\n" { advance(); textLine = line; textColumn = column; continue }
            }
            if text.isEmpty { textLine = line; textColumn = column }
            text.append(c)
            advance()
        }
        flush(&tokens)
    }

    /// Lexes the inside of `{{ }}` or `{% %}` up to its closing `}}`/`%}` (with an
    /// optional `-` before it); returns whether that `-` was there.
    private mutating func lexExpression(until closer: Character, _ tagLine: Int, _ tagColumn: Int) throws -> Bool {
        let endKind: TemplateToken.Kind = closer == "%" ? .statementEnd : .expressionEnd
        var depth = 0  // open ( [ {: a '}}' inside a dict literal closes braces, not the tag
        while i < source.count {
            let c = source[i]
            let l = line, col = column
            if c.isWhitespace { advance(); continue }
            if "([{".contains(c) { depth += 1 }
            if ")]".contains(c) || (c == "}" && depth > 0) { depth -= 1; tokens.append(TemplateToken(kind: .symbol(String(c)), line: l, column: col)); advance(); continue }
            if depth == 0, c == "-", peek(1) == closer, peek(2) == "}" {
                advance(3)
                tokens.append(TemplateToken(kind: endKind, line: l, column: col))
                return true
            }
            if depth == 0, c == closer, peek(1) == "}" {
                advance(2)
                tokens.append(TemplateToken(kind: endKind, line: l, column: col))
                return false
            }
            if c.isLetter || c == "_" {
                var s = ""
                while let d = peek(), d.isLetter || d.isNumber || d == "_" { s.append(d); advance() }
                tokens.append(TemplateToken(kind: .name(s), line: l, column: col))
                continue
            }
            if c.isNumber {
                var s = ""
                while let d = peek(), d.isNumber || (d == "." && peek(1)?.isNumber == true && !s.contains(".")) { s.append(d); advance() }
                if s.contains("."), let d = Double(s) {
                    tokens.append(TemplateToken(kind: .double(d), line: l, column: col))
                } else if let v = Int(s) {
                    tokens.append(TemplateToken(kind: .int(v), line: l, column: col))
                } else {
                    throw error("'\(s)' is not a number", l, col)
                }
                continue
            }
            if c == "'" || c == "\"" {
                advance()
                var s = ""
                var closed = false
                while let d = peek() {
                    if d == c { advance(); closed = true; break }
                    if d == "\\", let e = peek(1) {
                        // Python string escapes; an unknown one keeps its backslash.
                        switch e {
                        case "n": s.append("\n")
                        case "t": s.append("\t")
                        case "r": s.append("\r")
                        case "\\": s.append("\\")
                        case "'": s.append("'")
                        case "\"": s.append("\"")
                        case "\n": break
                        default: s.append("\\"); s.append(e)
                        }
                        advance(2)
                        continue
                    }
                    s.append(d)
                    advance()
                }
                guard closed else { throw error("string is not closed", l, col) }
                tokens.append(TemplateToken(kind: .string(s), line: l, column: col))
                continue
            }
            let two = String(c) + (peek(1).map { String($0) } ?? "")
            if ["==", "!=", "<=", ">=", "//", "**"].contains(two) {
                tokens.append(TemplateToken(kind: .symbol(two), line: l, column: col))
                advance(2)
                continue
            }
            if "<>+-*/%~=()[]{},.:|".contains(c) {
                tokens.append(TemplateToken(kind: .symbol(String(c)), line: l, column: col))
                advance()
                continue
            }
            throw error("unexpected character '\(c)'", l, col)
        }
        throw error(closer == "%" ? "statement is not closed with %}" : "expression is not closed with }}", tagLine, tagColumn)
    }
}
