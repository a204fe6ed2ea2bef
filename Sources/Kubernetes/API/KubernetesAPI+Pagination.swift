extension KubernetesAPI {
    /// Calls `body` with the nodes matching `labelSelector`, a page at a time, in pages of `chunkSize` (kubectl's
    /// default is 500), so that a cluster of thousands of nodes never needs one huge answer nor all of it in memory.
    /// Returns the list's `resourceVersion` (that of its first page; every page reads the same snapshot).
    ///
    /// `freshness` says which state the first page reads (a quorum read by default). Later pages send only their
    /// `continue` token, as client-go's pager does: the API server refuses a version beside a token, and the token
    /// already names the snapshot. With `.any` the API server ignores the page size and answers in one page.
    ///
    /// When a `continue` token has expired (410 `Expired`: the listing took longer than the API server keeps its
    /// snapshot), the listing starts again from the first page, as client-go's pager does, and the nodes already
    /// handed to `body` are left out of the pages that follow: every node that exists throughout the listing is
    /// handed over exactly once. A second expiry in the same listing is thrown, and so is a listing that would
    /// not end (`PageGuard`: a repeated token, or more pages than 50,000 nodes need).
    @discardableResult
    public func forEachNodePage(
        labelSelector: String? = nil, freshness: ListFreshness = .mostRecent, chunkSize: Int = 500,
        _ body: ([Node]) -> Void
    ) async throws(KubernetesError) -> String? {
        let (version, match) = freshness.parameters
        let first = NodeListOptions(
            labelSelector: labelSelector, resourceVersion: version, resourceVersionMatch: match,
            limit: chunkSize > 0 ? chunkSize : nil)
        var listVersion: String?
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
            if options.continueToken == nil { listVersion = page.resourceVersion }
            let fresh = page.items.filter { handedOver.insert($0.name).inserted }
            if !fresh.isEmpty { body(fresh) }
            guard page.hasMore else { return listVersion }
            options.continueToken = page.continueToken
            options.resourceVersion = nil
            options.resourceVersionMatch = nil
        }
    }
}
