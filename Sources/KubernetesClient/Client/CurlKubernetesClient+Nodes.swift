public import Kubernetes

extension CurlKubernetesClient {
    public func listNodes(_ options: NodeListOptions) async throws(KubernetesError) -> NodeList {
        let query = APIPath.query([
            "labelSelector": options.labelSelector, "resourceVersion": options.resourceVersion,
            "resourceVersionMatch": options.resourceVersionMatch?.rawValue, "limit": options.limit.map { "\($0)" },
            "continue": options.continueToken,
        ])
        return try await executor.execute(
            TransportRequest(method: "GET", path: "/api/v1/nodes" + query), verb: .listNodes, decode: Self.nodeList)
    }

    public func getNode(named name: String) async throws(KubernetesError) -> Node {
        try await executor.execute(
            TransportRequest(method: "GET", path: "/api/v1/nodes/\(APIPath.escape(name))"), verb: .getNode,
            decode: Self.node)
    }

    public func mergePatchAnnotations(
        node name: String, _ annotations: [String: String?]
    ) async throws(KubernetesError)
        -> Node
    {
        let request = TransportRequest(
            method: "PATCH", path: "/api/v1/nodes/\(APIPath.escape(name))",
            // A JSON merge patch (RFC 7386): a value sets a key, `null` (a nil value) removes it.
            body: JSONBody.encode(["metadata": ["annotations": annotations]]),
            contentType: "application/merge-patch+json")
        return try await executor.execute(request, verb: .patchNode, decode: Self.node)
    }

    public func removeTaint(_ taint: Taint, at index: Int, fromNode name: String) async throws(KubernetesError) -> Node
    {
        let path = "/spec/taints/\(index)"
        let request = TransportRequest(
            method: "PATCH", path: "/api/v1/nodes/\(APIPath.escape(name))",
            body: JSONBody.encode([
                TaintPatchOperation(op: "test", path: path, value: taint),
                TaintPatchOperation(op: "remove", path: path, value: nil),
            ]),
            contentType: "application/json-patch+json")
        return try await executor.execute(request, verb: .patchNode, decode: Self.node)
    }

    /// Nodes are read with `JSONReader`, which keeps the few fields healing uses and skips the rest of each
    /// node's 10–15 KB without building it: listing 5,000 nodes stays fast and small.
    static func nodeList(_ body: [UInt8]) throws(JSONBodyError) -> NodeList {
        try JSONBody.read("NodeList", body) { (reader: inout JSONReader) throws(JSONReadError) in
            try NodeList(reading: &reader)
        }
    }

    static func node(_ body: [UInt8]) throws(JSONBodyError) -> Node {
        try JSONBody.read("Node", body) { (reader: inout JSONReader) throws(JSONReadError) in
            try Node(reading: &reader)
        }
    }
}

/// One operation of the JSON patch that removes a taint.
private struct TaintPatchOperation: Encodable {
    var op: String
    var path: String
    var value: Taint?
}
