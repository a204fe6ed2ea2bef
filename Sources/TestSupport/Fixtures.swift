public import Foundation

/// The shared test fixtures (`../shared/fixtures` beside the repository): real Kubernetes objects.
public enum Fixtures {
    public static let repositoryRoot = URL(filePath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static var directory: URL {
        repositoryRoot.deletingLastPathComponent().appending(path: "shared/fixtures")
    }

    /// The bytes of `relativePath` under the fixtures directory, e.g. `real/aks-linux-nodelist-ubuntu1804-2021.json`.
    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: directory.appending(path: relativePath))
    }
}
