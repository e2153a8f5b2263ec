import CGit2
import Foundation

extension CommitAuthor {
    /// The person git would name as author for work done in `directory`: the
    /// `GIT_AUTHOR_NAME` / `GIT_AUTHOR_EMAIL` environment variables first, then
    /// `user.name` / `user.email` from git config (the repository around `directory`
    /// when there is one, then the global, XDG and system files, as git reads them).
    ///
    /// Returns nil when no name is configured anywhere; the email falls back to
    /// `<name>@localhost` when only a name is known, since git needs one.
    public static func configured(directory: String?, time: Int64, offsetMinutes: Int32 = 0) -> CommitAuthor? {
        LibGit2.ensureInitialized()
        let environment = ProcessInfo.processInfo.environment
        var name = environment["GIT_AUTHOR_NAME"].flatMap(nonEmpty)
        var email = environment["GIT_AUTHOR_EMAIL"].flatMap(nonEmpty)
        if name == nil || email == nil {
            let config = configValues(directory: directory)
            name = name ?? config.name
            email = email ?? config.email
        }
        guard let name, !name.contains("<"), !name.contains(">") else { return nil }
        let address = email.flatMap { $0.contains("<") || $0.contains(">") ? nil : $0 } ?? "\(name.filter { !$0.isWhitespace })@localhost"
        return CommitAuthor(name: name, email: address, time: time, offsetMinutes: offsetMinutes)
    }

    /// `user.name` and `user.email` from the config git would use in `directory`.
    private static func configValues(directory: String?) -> (name: String?, email: String?) {
        var config: OpaquePointer?
        var repo: OpaquePointer?
        defer {
            git_config_free(config)
            git_repository_free(repo)
        }
        if let directory, git_repository_open_ext(&repo, directory, 0, nil) == 0 {
            guard git_repository_config_snapshot(&config, repo) == 0 else { return (nil, nil) }
        } else {
            var defaults: OpaquePointer?
            guard git_config_open_default(&defaults) == 0 else { return (nil, nil) }
            defer { git_config_free(defaults) }
            guard git_config_snapshot(&config, defaults) == 0 else { return (nil, nil) }
        }
        return (string(config!, "user.name"), string(config!, "user.email"))
    }

    private static func string(_ config: OpaquePointer, _ key: String) -> String? {
        var value: UnsafePointer<CChar>?
        guard git_config_get_string(&value, config, key) == 0, let value else { return nil }
        return nonEmpty(String(cString: value))
    }

    private static func nonEmpty(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
