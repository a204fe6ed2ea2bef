import Kubernetes
import Testing

/// A Node's taints are read whole, in their place in the list, whatever their effect, so that a JSON patch can test
/// one entry exactly as it is stored.
@Suite struct NodeTaintReadingTests {
    @Test func taintsAndConditionsAreRead_andTheRestSkipped() throws {
        let json = """
            {"metadata":{"name":"akswin1"},"spec":{"podCIDR":"10.0.0.0/24","taints":[
             {"key":"node.kubernetes.io/unreachable","effect":"NoExecute","timeAdded":"2026-12-05T09:00:00Z"},
             {"key":"cops-vigilante/snat-unhealed","value":"true","effect":"NoSchedule"},
             {"key":"future","effect":"SomethingNew"}]},
             "status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}]}}
            """
        let node = try JSONReader.read(Array(json.utf8)) { (reader: inout JSONReader) throws(JSONReadError) in
            try Node(reading: &reader)
        }
        #expect(
            node.taints == [
                Taint(key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: "2026-12-05T09:00:00Z"),
                Taint(key: "cops-vigilante/snat-unhealed", value: "true", effect: "NoSchedule"),
                Taint(key: "future", effect: "SomethingNew"),
            ])
        #expect(node.isReady)
    }

    @Test func aNullOrAbsentTaintList_isNone() throws {
        for json in [#"{"metadata":{"name":"n"},"spec":{"taints":null}}"#, #"{"metadata":{"name":"n"}}"#] {
            let node = try JSONReader.read(Array(json.utf8)) { (reader: inout JSONReader) throws(JSONReadError) in
                try Node(reading: &reader)
            }
            #expect(node.taints.isEmpty)
        }
    }
}
