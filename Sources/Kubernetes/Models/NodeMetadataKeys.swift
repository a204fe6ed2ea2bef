/// Which labels and annotations a Node reader keeps. The others are still checked (each value must be a
/// string) but skipped, not materialised: a reviewed Node carries a few dozen, and a reader that needs four
/// should not build, hash and store the rest on every admission call.
public struct NodeMetadataKeys: Sendable {
    /// `nil` keeps every label.
    let labels: [[UInt8]]?
    /// `nil` keeps every annotation.
    let annotations: [[UInt8]]?

    /// Keeps every label and annotation.
    public static let all = NodeMetadataKeys()

    private init() {
        labels = nil
        annotations = nil
    }

    public init(labels: [String], annotations: [String]) {
        self.labels = labels.map { Array($0.utf8) }
        self.annotations = annotations.map { Array($0.utf8) }
    }
}
