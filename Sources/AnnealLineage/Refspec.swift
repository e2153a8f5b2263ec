import CGit2

/// A parsed git refspec (`[+]src:dst`, with at most one `*` on each side) that
/// matches ref names and maps them to their destination.
final class Refspec {
    /// The refspec as given.
    let text: String
    private let spec: OpaquePointer

    /// Parses `text` as a fetch (`forFetch`) or push refspec.
    init(_ text: String, forFetch: Bool) throws {
        var parsed: OpaquePointer?
        let code = git_refspec_parse(&parsed, text, forFetch ? 1 : 0)
        guard code == 0, let parsed else {
            throw LineageError.libgit2(code, "'\(text)' is not a valid refspec",
                                       hint: "write it as SOURCE:DESTINATION, for example \(LineageRepository.runRefspec)",
                                       kind: .invalidArgument)
        }
        guard git_refspec_dst(parsed) != nil, git_refspec_src(parsed) != nil,
              !String(cString: git_refspec_src(parsed)).isEmpty else {
            git_refspec_free(parsed)
            throw LineageError(.invalidArgument, "refspec '\(text)' needs both a source and a destination",
                               hint: "write it as SOURCE:DESTINATION, for example \(LineageRepository.runRefspec)")
        }
        self.text = text
        self.spec = parsed
    }

    deinit {
        git_refspec_free(spec)
    }

    /// Whether the refspec starts with `+` (update even when not a fast-forward).
    var isForced: Bool { git_refspec_force(spec) != 0 }

    /// The destination of source ref `name`, or nil when the refspec does not match it.
    func destination(of name: String) throws -> String? {
        guard git_refspec_src_matches(spec, name) == 1 else { return nil }
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try LineageError.check(git_refspec_transform(&buffer, spec, name), "cannot map '\(name)' through refspec '\(text)'")
        return buffer.text
    }
}
