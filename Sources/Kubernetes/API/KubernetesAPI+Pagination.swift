extension KubernetesAPI {
    /// Every node matching `labelSelector`, read in pages of `chunkSize` (kubectl's default is 500), so that a
    /// cluster of thousands of nodes never needs one huge answer.
    ///
    /// When a `continue` token has expired (410, the list took longer than the API server keeps its snapshot),
    /// the listing starts again once from the beginning, as client-go's pager does; a second expiry is thrown.
    public func listAllNodes(
        labelSelector: String? = nil, chunkSize: Int = 500
    ) async throws(KubernetesError)
        -> [Node]
    {
        var restarted = false
        while true {
            do throws(KubernetesError) {
                var nodes: [Node] = []
                try await forEachNodePage(labelSelector: labelSelector, chunkSize: chunkSize) { page in
                    nodes.append(contentsOf: page.items)
                }
                return nodes
            } catch {
                guard case .expired = error, !restarted else { throw error }
                restarted = true
            }
        }
    }

    /// Calls `body` with each page of nodes matching `labelSelector`, in order, without keeping earlier pages.
    public func forEachNodePage(
        labelSelector: String? = nil, chunkSize: Int = 500, _ body: (NodeList) -> Void
    ) async throws(KubernetesError) {
        var options = NodeListOptions(labelSelector: labelSelector, limit: chunkSize > 0 ? chunkSize : nil)
        while true {
            let page = try await listNodes(options)
            body(page)
            guard page.hasMore else { return }
            options.continueToken = page.continueToken
        }
    }
}
