import AnnealSpec
import Testing

@Suite struct YAMLParserTests {
    func parse(_ text: String, limits: YAMLLimits = YAMLLimits()) throws -> YAMLNode? {
        try YAMLParser(limits: limits).parse(text, file: "t.yaml")
    }

    func message(_ text: String, limits: YAMLLimits = YAMLLimits()) -> String {
        do {
            _ = try parse(text, limits: limits)
            return ""
        } catch let e as DiagnosticError {
            return e.description
        } catch {
            return "\(error)"
        }
    }

    @Test func nodesKeepLineAndColumn() throws {
        let root = try #require(try parse("a: 1\nb:\n  c: [x, \"y\"]\n"))
        #expect(root["a"]?.location == SourceLocation(file: "t.yaml", line: 1, column: 4))
        let c = try #require(root["b"]?["c"])
        #expect(c.location.line == 3 && c.location.column == 6)
        #expect(c.sequence?[1].location.column == 10)
        #expect(root.mapping?[1].keyLocation == SourceLocation(file: "t.yaml", line: 2, column: 1))
    }

    @Test func scalarsStayTextWithTheirStyle() throws {
        let root = try #require(try parse("a: NO\nb: 'NO'\nc: |\n  text\n"))
        #expect(root["a"]?.scalar == YAMLScalar("NO", style: .plain))
        #expect(root["b"]?.scalar == YAMLScalar("NO", style: .quoted))
        #expect(root["c"]?.scalar == YAMLScalar("text\n", style: .quoted))
    }

    @Test func duplicateKeysAreRefused() {
        let m = message("a: 1\nb: 2\na: 3\n")
        #expect(m.contains("t.yaml:3:1: error: duplicate key 'a' (first defined at line 1, column 1)"))
    }

    @Test func anchorsAliasesAndMergeKeysWork() throws {
        let root = try #require(try parse("""
            base: &base { lr: 1, steps: 5 }
            copy: *base
            child:
              <<: *base
              steps: 9
            two:
              <<: [*base, { extra: 1 }]
            """))
        #expect(root["copy"]?["steps"]?.scalar?.value == "5")
        #expect(root["child"]?["steps"]?.scalar?.value == "9")
        #expect(root["child"]?["lr"]?.scalar?.value == "1")
        #expect(root["child"]?.mapping?.count == 2)
        #expect(root["two"]?["extra"]?.scalar?.value == "1")
    }

    @Test func aliasBombFailsFastWithinBudget() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 {
            text += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        let clock = ContinuousClock()
        var m = ""
        let elapsed = clock.measure { m = message(text) }
        #expect(m.contains("expands to more than"))
        // Not a speed target: a guard that the budget stops expansion early.
        #expect(elapsed < .seconds(5))
    }

    @Test func nestingBeyondTheLimitIsRefused() {
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        #expect(message("a: \(deep)").contains("nesting is deeper than 64 levels"))
        var limits = YAMLLimits()
        limits.maxDepth = 200
        #expect(message("a: \(deep)", limits: limits).isEmpty)
    }

    @Test func filesOverTheSizeLimitAreRefused() {
        var limits = YAMLLimits()
        limits.maxBytes = 100
        #expect(message(String(repeating: "# comment\n", count: 20), limits: limits).contains("more than the limit of 100"))
    }

    @Test func aSecondDocumentIsRefused() {
        #expect(message("a: 1\n---\nb: 2\n").contains("t.yaml:2:1: error: a pipeline file holds one YAML document"))
    }

    @Test func syntaxErrorsNameThePlace() {
        let m = message("a:\n  b: 1\n c: 2\n")
        #expect(m.contains("t.yaml:3:"))
        #expect(m.contains("YAML syntax"))
    }

    @Test func emptyDocumentIsNil() throws {
        #expect(try parse("") == nil)
        #expect(try parse("# only a comment\n") == nil)
    }

    @Test func customTagsAreRefusedButStrTagMakesText() throws {
        #expect(message("a: !python/object x").contains("YAML tag '!python/object' is not supported"))
        let root = try #require(try parse("a: !!str 12"))
        #expect(root["a"]?.scalar == YAMLScalar("12", style: .quoted))
    }
}
