import Foundation
import Testing
@testable import AnnealText

/// The Jinja subset of chat templates, feature by feature, against transformers'
/// rendering of the same small templates (Fixtures/families/chat_template_features.json),
/// and the errors for what lies outside it.
struct ChatTemplateInterpreterTests {
    struct Message: Decodable { let role: String; let content: String }
    struct Feature: Decodable { let name: String; let template: String; let text: String }
    struct Features: Decodable { let messages: [Message]; let features: [Feature] }

    @Test func eachFeatureRendersLikeTransformers() throws {
        let f = try JSONDecoder().decode(Features.self, from: FixtureFile.data("families/chat_template_features.json"))
        let messages = f.messages.map { ChatMessage(role: $0.role, content: $0.content) }
        #expect(f.features.count == 11)
        for feature in f.features {
            let template = try HuggingFaceChatTemplate(source: feature.template, name: feature.name, bosToken: "<s>", eosToken: "</s>")
            let text = try template.render(messages)
            #expect(Array(text.utf8) == Array(feature.text.utf8), "\(feature.name): \(text.debugDescription) vs \(feature.text.debugDescription)")
        }
    }

    func error(_ source: String, render: Bool = false) -> String? {
        do {
            let t = try HuggingFaceChatTemplate(source: source, name: "t.jinja")
            if render { _ = try t.render([ChatMessage(role: "user", content: "hi")]) }
            return nil
        } catch let e as TextError {
            return e.message
        } catch {
            return "\(error)"
        }
    }

    @Test func unsupportedSyntaxIsAnErrorNamingLineAndColumn() {
        #expect(error("a\n{% macro m() %}x{% endmacro %}")
                == "t.jinja line 2, column 4: statement 'macro' is not supported; supported: if, elif, else, for, set, generation")
        #expect(error("{{ x }}\n  {{ messages | wordcount }}", render: true)?
                    .hasPrefix("t.jinja line 2, column 15: filter 'wordcount' is not supported") == true)
        #expect(error("{% if messages is sameas none %}{% endif %}", render: true)?
                    .hasPrefix("t.jinja line 1, column 16: test 'sameas' is not supported") == true)
        #expect(error("x\n {% if true %}open") == "t.jinja line 2, column 5: this block is never closed; expected one of elif, else, endif before the template ends")
        #expect(error("{{ 'x' ") == "t.jinja line 1, column 1: expression is not closed with }}")
        #expect(error("{{ messages[0].content.zfill(3) }}", render: true)?
                    .hasPrefix("t.jinja line 1, column 23: strings have no attribute or method 'zfill'") == true)
        #expect(error("{{ raise_exception('bad turn order') }}", render: true) == "t.jinja line 1, column 19: raise_exception: bad turn order")
        #expect(error("{{ 1 + 'a' }}", render: true) == "t.jinja line 1, column 6: unsupported operand types for '+': integer and string")
    }
}
