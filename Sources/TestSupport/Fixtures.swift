public import Foundation

/// Real Kubernetes objects committed in `Tests/Fixtures/` (sources and licences in its README).
public enum Fixtures {
    public static let repositoryRoot = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var directory: URL {
        repositoryRoot.appending(path: "Tests/Fixtures")
    }

    /// The bytes of `relativePath` under the fixtures directory, e.g. `real/aks-linux-nodelist-ubuntu1804-2021.json`.
    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: directory.appending(path: relativePath))
    }
}
