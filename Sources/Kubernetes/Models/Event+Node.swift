extension Event {
    /// The reporting controller of every Event this product creates.
    public static let reportingController = "cops-vigilante"

    /// An Event about `node`, named `<node>.<hex nanoseconds>` as client-go's recorder names them (unique per
    /// node and instant), in namespace `default` because a Node has no namespace of its own.
    public static func about(
        node: Node, reason: String, note: String, type: EventType, action: String, reportingInstance: String,
        at time: MicroTime
    ) -> Event {
        let nanoseconds = UInt64(clamping: time.microsecondsSince1970) &* 1000
        let name = "\(node.name).\(String(nanoseconds, radix: 16))"
        return Event(
            metadata: ObjectMeta(name: name, namespace: "default"),
            eventTime: time,
            reportingController: reportingController,
            reportingInstance: reportingInstance,
            action: action,
            reason: reason,
            regarding: ObjectReference(apiVersion: "v1", kind: "Node", name: node.name, uid: node.metadata.uid),
            note: Self.truncated(note, toUTF8Bytes: 1024),
            type: type)
    }

    /// `note` cut at a character boundary to at most `limit` UTF-8 bytes (the API server refuses longer notes).
    static func truncated(_ note: String, toUTF8Bytes limit: Int) -> String {
        guard note.utf8.count > limit else { return note }
        var bytes = 0
        var end = note.startIndex
        for index in note.indices {
            let size = note[index].utf8.count
            guard bytes + size <= limit else { break }
            bytes += size
            end = note.index(after: index)
        }
        return String(note[..<end])
    }
}
