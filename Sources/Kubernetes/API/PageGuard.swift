/// Bounds one paginated listing against an API server that never ends it: a `continue` token it already gave, or
/// more pages than any real cluster needs, abandons the listing with `KubernetesError.paginationAbandoned`.
///
/// The bound: Kubernetes supports clusters of up to 5,000 nodes (and AKS allows no more), and a list of nodes or
/// of probe pods never holds more objects than the cluster has nodes; 10 times that, 50,000 objects, in pages of
/// the size asked for, plus one, is a bound a real API server cannot reach (101 pages of 500).
public struct PageGuard: Sendable {
    public static let maximumObjects = 50_000

    public let maximumPages: Int
    private let call: KubernetesCall
    private var pages = 0
    private var tokens: Set<String> = []

    /// `call` names the listing in the error (its verb and path, without a token).
    public init(pageSize: Int, call: KubernetesCall) {
        let size = max(1, pageSize)
        maximumPages = (Self.maximumObjects + size - 1) / size + 1
        self.call = call
    }

    /// The listing starts again from its first page (an expired token): tokens seen before may come again; the
    /// pages read so far still count.
    public mutating func startAgain() {
        tokens.removeAll()
    }

    /// Records one page and the `continue` token it ended with (`nil` or empty: the last page).
    public mutating func record(continueToken: String?) throws(KubernetesError) {
        pages += 1
        guard let token = continueToken, !token.isEmpty else { return }
        guard tokens.insert(token).inserted else {
            throw .paginationAbandoned(
                call, message: "the API server repeated a continue token after \(pages) pages; the listing loops")
        }
        guard pages < maximumPages else {
            throw .paginationAbandoned(
                call,
                message: "the API server still had more after \(pages) pages (the bound for pages of this size: "
                    + "\(Self.maximumObjects) objects)")
        }
    }
}
