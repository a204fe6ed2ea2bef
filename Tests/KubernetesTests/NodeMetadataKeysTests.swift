import Kubernetes
import Testing

/// A Node reader asked for some labels and annotations keeps those and skips the rest, still checking them.
@Suite struct NodeMetadataKeysTests {
    static let node = #"""
        {"metadata":{"name":"akswin000001",
          "labels":{"kubernetes.io/os":"windows","kubernetes.io/hostname":"akswin000001","agentpool":"win",
                    "kubernetes.io\/arch":"amd64"},
          "annotations":{"cops-vigilante-snat-node-healed":"false","node.alpha.kubernetes.io/ttl":"0"}},
         "status":{"conditions":[{"type":"Ready","status":"True"}]}}
        """#

    func read(_ json: String, keeping keys: NodeMetadataKeys) throws(JSONReadError) -> Node {
        try JSONReader.read(Array(json.utf8)) { (reader: inout JSONReader) throws(JSONReadError) in
            try Node(reading: &reader, keeping: keys)
        }
    }

    @Test func keepsOnlyTheNamedLabelsAndAnnotations() throws {
        let keys = NodeMetadataKeys(
            labels: ["kubernetes.io/os", "kubernetes.io/arch", "absent"],
            annotations: ["cops-vigilante-snat-node-healed"])
        let node = try read(Self.node, keeping: keys)
        #expect(node.metadata.labels == ["kubernetes.io/os": "windows", "kubernetes.io/arch": "amd64"])
        #expect(node.metadata.annotations == ["cops-vigilante-snat-node-healed": "false"])
        #expect(node.name == "akswin000001")
        #expect(node.isReady)
    }

    @Test func all_keepsEverything_andNoKeys_keepsNothingButTheMapItself() throws {
        #expect(try read(Self.node, keeping: .all).metadata.labels?.count == 4)
        let none = try read(Self.node, keeping: NodeMetadataKeys(labels: [], annotations: []))
        #expect(none.metadata.labels == [:])
        #expect(none.metadata.annotations == [:])
        let nullMaps = try read(
            #"{"metadata":{"labels":null}}"#, keeping: NodeMetadataKeys(labels: [], annotations: []))
        #expect(nullMaps.metadata.labels == nil)
    }

    @Test func aSkippedEntryThatIsNotAString_isRefusedAsReadingItWould() {
        let json = #"{"metadata":{"labels":{"kubernetes.io/os":"windows","replicas":3}}}"#
        let keys = NodeMetadataKeys(labels: ["kubernetes.io/os"], annotations: [])
        #expect(throws: JSONReadError(message: "expected a string", offset: 63)) { try read(json, keeping: keys) }
        #expect(throws: JSONReadError(message: "expected a string", offset: 63)) { try read(json, keeping: .all) }
    }
}
