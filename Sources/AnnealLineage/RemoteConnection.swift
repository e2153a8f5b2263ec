import CGit2
import Foundation

/// An anonymous libgit2 remote for one push or pull: a URL or path, its callbacks
/// and what they reported. Freed (and so disconnected) with the instance.
final class RemoteConnection {
    /// The remote as the person gave it, for messages.
    let location: String
    let remote: OpaquePointer
    private let reports = RemoteReports()

    /// Prepares a remote for `location`: a URL (`https://`, `ssh://`, `file://`,
    /// `user@host:path`) or a path to a local repository.
    init(_ location: String, in repo: OpaquePointer) throws {
        self.location = location
        let url = try Self.url(for: location)
        var options = git_remote_create_options()
        try LineageError.check(git_remote_create_options_init(&options, UInt32(GIT_REMOTE_CREATE_OPTIONS_VERSION)),
                               "cannot prepare remote options")
        options.repository = repo
        // No `url.*.insteadOf` rewriting: the remote is used exactly as given, and
        // libgit2 1.5 leaks its regex match data on every config entry that rewriting scans.
        options.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF.rawValue | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC.rawValue
        var remote: OpaquePointer?
        try LineageError.check(git_remote_create_with_opts(&remote, url, &options),
                               "'\(location)' is not a usable remote",
                               hint: "give a path to a git repository or a URL such as ssh://host/path.git")
        self.remote = remote!
    }

    deinit {
        git_remote_free(remote)
    }

    /// Callbacks that answer ssh credential requests from the ssh agent (once) and
    /// record the remote's verdict on each pushed ref.
    var callbacks: git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.payload = Unmanaged.passUnretained(reports).toOpaque()
        callbacks.credentials = { out, _, username, allowed, payload in
            let reports = Unmanaged<RemoteReports>.fromOpaque(payload!).takeUnretainedValue()
            // libgit2 asks again after every failed attempt; one agent try is enough.
            guard allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0, !reports.triedAgent else {
                return GIT_PASSTHROUGH.rawValue
            }
            reports.triedAgent = true
            guard let username else { return git_credential_ssh_key_from_agent(out, "git") }
            return git_credential_ssh_key_from_agent(out, username)
        }
        callbacks.push_update_reference = { name, status, payload in
            if let name, let status {
                let reports = Unmanaged<RemoteReports>.fromOpaque(payload!).takeUnretainedValue()
                reports.rejections.append("\(String(cString: name)): \(String(cString: status))")
            }
            return 0
        }
        return callbacks
    }

    /// The refs the remote rejected during a push, as "ref: reason".
    var pushRejections: [String] { reports.rejections }

    /// Connects in `direction` and lists the remote's refs (peeled `^{}` entries left out).
    func connectAndListRefs(_ direction: git_direction) throws -> [String: git_oid] {
        var callbacks = self.callbacks
        try LineageError.check(git_remote_connect(remote, direction, &callbacks, nil, nil),
                               "cannot reach the remote '\(location)'",
                               hint: "check the path or URL, the network and the credentials")
        var heads: UnsafeMutablePointer<UnsafePointer<git_remote_head>?>?
        var count = 0
        try LineageError.check(git_remote_ls(&heads, &count, remote), "cannot list the refs of '\(location)'")
        var refs: [String: git_oid] = [:]
        for index in 0..<count {
            guard let head = heads?[index]?.pointee, let name = head.name.map({ String(cString: $0) }),
                  name.hasPrefix("refs/"), !name.hasSuffix("^{}") else { continue }
            refs[name] = head.oid
        }
        return refs
    }

    private static func url(for location: String) throws -> String {
        let isURL = location.contains("://")
            || (location.firstIndex(of: ":").map { colon in !location[..<colon].contains("/") } ?? false)
        if isURL { return location }
        let path = URL(fileURLWithPath: location).standardizedFileURL.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LineageError(.notFound, "no git repository at '\(location)'",
                               hint: "create one with `git init --bare \(location)`, or check the path")
        }
        return path
    }
}

/// What the remote callbacks learned, reached from C through the payload pointer.
private final class RemoteReports {
    var triedAgent = false
    var rejections: [String] = []
}
