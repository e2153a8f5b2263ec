import Foundation

/// The file system a path lives on: where it is mounted, what it is, and how
/// much space is left, for messages about full disks.
public struct FileSystemSpace: Sendable {
    /// The mount point, found by walking up while the device stays the same.
    public var mountPoint: String
    /// `tmpfs at /mnt/x`, or `/dev/sda1 at /` (from /proc/self/mounts when readable).
    public var name: String
    public var freeBytes: Int

    /// The file system of `path`, or of its nearest existing parent folder.
    public init?(containing path: String) {
        var probe = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var st = stat()
        while lstat(probe, &st) != 0 {
            guard probe != "/", !probe.isEmpty else { return nil }
            probe = (probe as NSString).deletingLastPathComponent
        }
        var space = statvfs()
        guard statvfs(probe, &space) == 0 else { return nil }
        freeBytes = Int(space.f_bavail) * Int(space.f_frsize)
        let device = st.st_dev
        var mount = probe
        while mount != "/" {
            let parent = (mount as NSString).deletingLastPathComponent
            var up = stat()
            guard lstat(parent, &up) == 0, up.st_dev == device else { break }
            mount = parent
        }
        mountPoint = mount
        var source = ""
        if let table = try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8) {
            // The last line for a mount point is the one on top.
            for line in table.split(separator: "\n") {
                let fields = line.split(separator: " ")
                if fields.count >= 2, fields[1] == mount { source = String(fields[0]) }
            }
        }
        name = source.isEmpty ? mount : "\(source) at \(mount)"
    }

    /// 1536 -> "1.5 KB"; whole bytes below a kilobyte.
    public static func format(bytes n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = Double(max(0, n))
        var u = 0
        while v >= 1024, u < units.count - 1 {
            v /= 1024
            u += 1
        }
        return u == 0 ? "\(max(0, n)) B" : String(format: "%.1f %@", v, units[u])
    }
}
