import Foundation

/// One writer per workspace: an exclusive flock(2) on `.anneal/lock`, released
/// by the kernel when the holder dies. The file names the holder, so a second
/// writer can say who has it.
public final class WorkspaceLock {
    let fd: Int32

    public struct Held: Error, CustomStringConvertible {
        public var holder: String
        public var description: String {
            "the workspace is in use by another anneal (\(holder)); wait for it to finish, or stop it"
        }
    }

    /// Takes the lock or throws `Held` naming the process that has it.
    public init(workspace: Workspace, command: String) throws {
        let path = workspace.dot + "/lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StoreError.unwritable(path, String(cString: strerror(errno))) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw Held(holder: holder?.isEmpty == false ? holder! : "unknown process")
        }
        let formatter = ISO8601DateFormatter()
        let text = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName), '\(command)' since \(formatter.string(from: Date()))\n"
        ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
