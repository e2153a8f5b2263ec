import Foundation

/// Where tests find the package and the `anneal` binary that
/// `swift build --build-tests` builds next to the test bundle.
public enum PackagePaths {
    /// The folder holding Package.swift.
    public static var root: String {
        var dir = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir.deleteLastPathComponent()
        }
        return dir.path
    }

    /// The anneal binary next to the test bundle, else the debug build's.
    public static var anneal: String {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.deletingLastPathComponent().appendingPathComponent("anneal").path,
                          bundle.appendingPathComponent("anneal").path,
                          root + "/.build/debug/anneal"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }
}
