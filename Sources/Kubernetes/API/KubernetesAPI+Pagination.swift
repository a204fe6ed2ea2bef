extension KubernetesAPI {
    /// Calls `body` with the nodes matching `labelSelector`, a page at a time, in pages of `chunkSize` (kubectl's
    /// default is 500), so that a cluster of thousands of nodes never needs one huge answer nor all of it in memory.
    ///
    /// When a `continue` token has expired (410 `Expired`: the listing took longer than the API server keeps its
    /// snapshot), the listing starts again from the first page, as client-go's pager does, and the nodes already
    /// handed to `body` are left out of the pages that follow: every node that exists throughout the listing is
    /// handed over exactly once. A second expiry in the same listing is thrown, and so is a listing that would
    /// not end (`PageGuard`: a repeated token, or more pages than 50,000 nodes need).
    public func forEachNodePage(
        labelSelector: String? = nil, chunkSize: Int = 500, _ body: ([Node]) -> Void
    ) async throws(KubernetesError) {
        let first = NodeListOptions(labelSelector: labelSelector, limit: chunkSize > 0 ? chunkSize : nil)
        var options = first
        var handedOver: Set<String> = []
        var restarted = false
        var pages = PageGuard(
            pageSize: chunkSize > 0 ? chunkSize : PageGuard.maximumObjects,
            call: KubernetesCall(verb: .listNodes, method: "GET", path: "/api/v1/nodes"))
        while true {
            let page: NodeList
            do throws(KubernetesError) {
                page = try await listNodes(options)
            } catch {
                guard case .expired = error, options.continueToken != nil, !restarted else { throw error }
                restarted = true
                options = first
                // A new listing: the API server's tokens carry the list's resource version, so they differ now.
                pages.startAgain()
                continue
            }
            try pages.record(continueToken: page.hasMore ? page.continueToken : nil)
            let fresh = page.items.filter { handedOver.insert($0.name).inserted }
            if !fresh.isEmpty { body(fresh) }
            guard page.hasMore else { return }
            options.continueToken = page.continueToken
        }
    }
}
