import Foundation
import Testing

/// A tmpfs of a few megabytes, mounted for one test so that writes really
/// fail with ENOSPC. Mounting needs root (CI runs tests as root); elsewhere
/// the tests that need it are skipped, and with CI=true they fail instead.
final class SmallDisk {
    let path: String

    /// Whether a test that needs a small disk should run at all.
    static var canTry: Bool { getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true" }

    init(megabytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("anneal-small-disk-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=\(megabytes)m", "tmpfs", path]
        try mount.run()
        mount.waitUntilExit()
        guard mount.terminationStatus == 0 else {
            rmdir(path)
            throw SmallDiskUnavailable(reason: "mount -t tmpfs exited \(mount.terminationStatus) (uid \(getuid()))")
        }
    }

    deinit {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/bin/umount")
        umount.arguments = ["-l", path]
        try? umount.run()
        umount.waitUntilExit()
        rmdir(path)
    }

    /// Bytes free for an unprivileged writer.
    var freeBytes: Int {
        var s = statvfs()
        statvfs(path, &s)
        return Int(s.f_bavail) * Int(s.f_frsize)
    }
}

struct SmallDiskUnavailable: Error, CustomStringConvertible {
    var reason: String
    var description: String { "cannot mount a small tmpfs: \(reason)" }
}
