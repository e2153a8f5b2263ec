import CGit2

/// A failure of the lineage layer: what went wrong, libgit2's own message when it
/// came from libgit2, and what the person running Anneal can do about it.
///
/// Every public operation of `LineageRepository` and `WorkspaceGitState` throws
/// this type only, so callers can switch on `kind` and print `description`.
public struct LineageError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The class of failure, for callers that react differently to each.
    public enum Kind: String, Sendable, Equatable {
        /// A commit, ref, remote or repository that was asked for does not exist.
        case notFound
        /// A hex prefix matches more than one object.
        case ambiguous
        /// A ref changed between reading its tip and updating it (another writer won).
        case refMoved
        /// Moving a ref to the new commit would drop commits it has (diverged history).
        case nonFastForward
        /// A file path, ref name, revision or refspec given by the caller is malformed.
        case invalidArgument
        /// Something exists at the path but is not what was expected (a directory, not a file; a tree, not a commit).
        case wrongType
        /// The remote rejected the push or could not be reached.
        case remote
        /// Any other libgit2 or file-system failure.
        case failed
    }

    /// The class of failure.
    public let kind: Kind
    /// What went wrong, in one sentence naming the thing involved.
    public let message: String
    /// What to do about it.
    public let hint: String?
    /// libgit2's message (`git_error_last`), when libgit2 reported the failure.
    public let libgit2Message: String?
    /// libgit2's return code, when libgit2 reported the failure.
    public let libgit2Code: Int32?

    /// Makes an error; `hint` says what to do.
    public init(_ kind: Kind, _ message: String, hint: String? = nil,
                libgit2Message: String? = nil, libgit2Code: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.hint = hint
        self.libgit2Message = libgit2Message
        self.libgit2Code = libgit2Code
    }

    public var description: String {
        var text = message
        if let libgit2Message, !libgit2Message.isEmpty { text += " (libgit2: \(libgit2Message))" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }

    /// An error for libgit2 return code `code`, reading `git_error_last()` now,
    /// before any other libgit2 call can replace it.
    static func libgit2(_ code: Int32, _ message: String, hint: String? = nil,
                        kind: Kind? = nil) -> LineageError {
        let detail = git_error_last().flatMap { $0.pointee.message.map { String(cString: $0) } }
        return LineageError(kind ?? Kind(libgit2Code: code), message, hint: hint ?? defaultHint(code),
                            libgit2Message: detail, libgit2Code: code)
    }

    /// Throws a `libgit2` error when `code` is negative; returns `code` otherwise
    /// (some calls return a positive count or flag).
    @discardableResult
    static func check(_ code: Int32, _ message: @autoclosure () -> String,
                      hint: String? = nil) throws -> Int32 {
        if code < 0 { throw libgit2(code, message(), hint: hint) }
        return code
    }

    private static func defaultHint(_ code: Int32) -> String? {
        switch code {
        case GIT_EOWNER.rawValue:
            return "the repository belongs to another user; run as its owner or fix its ownership"
        case GIT_ELOCKED.rawValue:
            return "another process holds a lock file; wait and retry, or remove the stale .lock file if no git process is running"
        case GIT_EAUTH.rawValue:
            return "check the remote's credentials (an ssh agent with a key, or a URL that needs none)"
        default:
            return nil
        }
    }
}

extension LineageError.Kind {
    init(libgit2Code code: Int32) {
        switch code {
        case GIT_ENOTFOUND.rawValue: self = .notFound
        case GIT_EAMBIGUOUS.rawValue: self = .ambiguous
        case GIT_EMODIFIED.rawValue, GIT_EEXISTS.rawValue: self = .refMoved
        case GIT_ENONFASTFORWARD.rawValue: self = .nonFastForward
        case GIT_EINVALIDSPEC.rawValue, GIT_EINVALID.rawValue: self = .invalidArgument
        case GIT_EPEEL.rawValue, GIT_EDIRECTORY.rawValue: self = .wrongType
        case GIT_EAUTH.rawValue, GIT_ECERTIFICATE.rawValue: self = .remote
        default: self = .failed
        }
    }
}
