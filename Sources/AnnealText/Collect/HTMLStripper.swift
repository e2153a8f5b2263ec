/// Removes HTML markup: comments, `<script>` and `<style>` elements with their
/// bodies, every other tag (block-level tags leave a newline, inline ones
/// nothing), and decodes `&amp; &lt; &gt; &quot; &apos; &#39; &nbsp;` and
/// numeric entities. A hand-written scanner, tolerant of broken markup: a `<`
/// that does not start a tag is kept as text.
enum HTMLStripper {
    static let blockTags: Set<String> = ["p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3",
                                         "h4", "h5", "h6", "section", "article", "header", "footer", "pre",
                                         "blockquote", "hr", "title", "td", "th"]
    static let entities: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'",
                                             "nbsp": "\u{A0}", "ndash": "–", "mdash": "—", "hellip": "…",
                                             "copy": "©", "reg": "®", "laquo": "«", "raquo": "»"]

    static func strip(_ text: String) -> String {
        let s = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        let n = s.count
        // Tag names and the delimiters searched for are ASCII: fold A-Z to a-z.
        func folded(_ c: Unicode.Scalar) -> UInt32 {
            (0x41...0x5A).contains(c.value) ? c.value + 0x20 : c.value
        }
        func lowerWord(at j: Int) -> (String, Int) {
            var k = j
            var w = String.UnicodeScalarView()
            while k < n, s[k].isASCII, s[k].properties.isAlphabetic || ("0"..."9").contains(s[k]) {
                w.append(Unicode.Scalar(folded(s[k]))!)
                k += 1
            }
            return (String(w), k)
        }
        func find(_ needle: String, from j: Int) -> Int? {
            let pat = needle.unicodeScalars.map(\.value)
            var k = j
            while k + pat.count <= n {
                var m = 0
                while m < pat.count && folded(s[k + m]) == pat[m] { m += 1 }
                if m == pat.count { return k }
                k += 1
            }
            return nil
        }
        while i < n {
            let c = s[i]
            if c == "<" {
                if i + 3 < n, s[i + 1] == "!", s[i + 2] == "-", s[i + 3] == "-" {
                    i = (find("-->", from: i + 4).map { $0 + 3 }) ?? n
                    continue
                }
                let closing = i + 1 < n && s[i + 1] == "/"
                let (name, after) = lowerWord(at: i + (closing ? 2 : 1))
                let isTag = !name.isEmpty || (i + 1 < n && (s[i + 1] == "!" || s[i + 1] == "?"))
                if isTag, let end = find(">", from: after) {
                    if !closing && (name == "script" || name == "style") {
                        i = (find("</\(name)", from: end + 1).flatMap { find(">", from: $0) }.map { $0 + 1 }) ?? n
                    } else {
                        i = end + 1
                    }
                    if blockTags.contains(name) { out.append("\n") }
                    continue
                }
            } else if c == "&" {
                var k = i + 1
                var name = ""
                while k < n, k - i <= 10, s[k] != ";", s[k].isASCII, s[k] != " " {
                    name.unicodeScalars.append(s[k]); k += 1
                }
                if k < n, s[k] == ";" {
                    var decoded: Unicode.Scalar?
                    if name.hasPrefix("#x") || name.hasPrefix("#X") {
                        decoded = UInt32(name.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                    } else if name.hasPrefix("#") {
                        decoded = UInt32(name.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
                    } else if let e = entities[name] {
                        out.append(contentsOf: e.unicodeScalars)
                        i = k + 1
                        continue
                    }
                    if let d = decoded {
                        out.append(d)
                        i = k + 1
                        continue
                    }
                }
            }
            out.append(c)
            i += 1
        }
        return String(out)
    }
}
