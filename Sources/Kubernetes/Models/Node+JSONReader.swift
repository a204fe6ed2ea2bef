extension Node {
    /// Reads a Node, taking name, uid, resourceVersion, every label and annotation, the taints and the conditions, and
    /// skipping everything else (images, managedFields, addresses: most of a node's 10-15 KB). The webhook, the
    /// resync and the watch all read Nodes this way, so healing sees the same Node whichever path delivered it.
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var metadata = ObjectMeta()
        var conditions: [Condition]?
        var taints: [Taint]?
        try reader.readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
            if key == "metadata" {
                try reader.readObjectIfPresent { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                    if key == "name" {
                        metadata.name = try reader.readOptionalString()
                    } else if key == "labels" {
                        metadata.labels = try reader.readStringMap()
                    } else if key == "annotations" {
                        metadata.annotations = try reader.readStringMap()
                    } else if key == "uid" {
                        metadata.uid = try reader.readOptionalString()
                    } else if key == "resourceVersion" {
                        metadata.resourceVersion = try reader.readOptionalString()
                    } else {
                        try reader.skipValue()
                    }
                }
            } else if key == "spec" {
                try reader.readObjectIfPresent { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                    guard key == "taints" else { return try reader.skipValue() }
                    taints = try Self.readList(&reader) { (reader: inout JSONReader) throws(JSONReadError) in
                        try Taint(reading: &reader)
                    }
                }
            } else if key == "status" {
                try reader.readObjectIfPresent { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                    guard key == "conditions" else { return try reader.skipValue() }
                    conditions = try Self.readList(&reader) { (reader: inout JSONReader) throws(JSONReadError) in
                        try Condition(reading: &reader)
                    }
                }
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            metadata: metadata, spec: taints.map { Spec(taints: $0) }, status: conditions.map { Status(conditions: $0) }
        )
    }

    /// An array of objects, each read with `element`; `nil` for a JSON `null`.
    private static func readList<Element>(
        _ reader: inout JSONReader, _ element: (inout JSONReader) throws(JSONReadError) -> Element
    ) throws(JSONReadError) -> [Element]? {
        if try reader.readNull() { return nil }
        var list: [Element] = []
        try reader.readArray { (reader: inout JSONReader) throws(JSONReadError) in list.append(try element(&reader)) }
        return list
    }
}

extension Node.Condition {
    /// `type` and `status`; the rest (reason, message, times) is skipped.
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var type = ""
        var status = ""
        try reader.readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
            if key == "type" {
                type = try reader.readOptionalString() ?? ""
            } else if key == "status" {
                status = try reader.readOptionalString() ?? ""
            } else {
                try reader.skipValue()
            }
        }
        self.init(type: type, status: status)
    }
}

extension Taint {
    /// Every field of a taint, so that a JSON patch can test the entry exactly as stored.
    init(reading reader: inout JSONReader) throws(JSONReadError) {
        var key = ""
        var value: String?
        var effect = ""
        var timeAdded: String?
        try reader.readObject { (field: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
            if field == "key" {
                key = try reader.readOptionalString() ?? ""
            } else if field == "value" {
                value = try reader.readOptionalString()
            } else if field == "effect" {
                effect = try reader.readOptionalString() ?? ""
            } else if field == "timeAdded" {
                timeAdded = try reader.readOptionalString()
            } else {
                try reader.skipValue()
            }
        }
        self.init(key: key, value: value, effect: effect, timeAdded: timeAdded)
    }
}
