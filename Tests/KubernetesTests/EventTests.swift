import Kubernetes
import Testing

/// An Event about a node, as the healing code creates it.
@Suite struct EventTests {
    static let node = Node(metadata: ObjectMeta(name: "akswin000001", uid: "u-1"))

    @Test func about_aNode_refersToItInNamespaceDefault_namedByNodeAndTime() {
        let event = Event.about(
            node: Self.node, reason: "SnatNodeHealed", note: "healed", type: .normal, action: "Heal",
            reportingInstance: "vigilante-0", at: MicroTime(microsecondsSince1970: 1_000_000))

        #expect(event.metadata.name == "akswin000001.3b9aca00")
        #expect(event.metadata.namespace == "default")
        #expect(event.regarding == ObjectReference(apiVersion: "v1", kind: "Node", name: "akswin000001", uid: "u-1"))
        #expect(event.reportingController == "cops-vigilante")
        #expect(event.apiVersion == "events.k8s.io/v1")
    }

    @Test func note_isCutToOneKilobyte_atACharacterBoundary() {
        let note = String(repeating: "é", count: 600)

        let event = Event.about(
            node: Self.node, reason: "R", note: note, type: .warning, action: "A", reportingInstance: "i",
            at: MicroTime(microsecondsSince1970: 0))

        #expect(event.note?.utf8.count == 1024)
        #expect(event.note?.allSatisfy { $0 == "é" } == true)
    }
}
