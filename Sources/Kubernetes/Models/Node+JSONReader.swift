extension Node {
    /// Reads a Node, taking name, uid, resourceVersion, every label and annotation, the taints and the conditions, and skipping
    /// everything else (images, managedFields, addresses: most of a node's 10-15 KB). The webhook and the resync
    /// both read Nodes this way, so healing sees the same Node whichever path delivered it.
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
                    if try reader.readNull() { return }
                    var list: [Taint] = []
                    try reader.readArray { (reader: inout JSONReader) throws(JSONReadError) in
                        var taintKey = ""
                        var value: String?
                        var effect = ""
                        var timeAdded: String?
                        try reader.readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                            if key == "key" {
                                taintKey = try reader.readOptionalString() ?? ""
                            } else if key == "value" {
                                value = try reader.readOptionalString()
                            } else if key == "effect" {
                                effect = try reader.readOptionalString() ?? ""
                            } else if key == "timeAdded" {
                                timeAdded = try reader.readOptionalString()
                            } else {
                                try reader.skipValue()
                            }
                        }
                        list.append(Taint(key: taintKey, value: value, effect: effect, timeAdded: timeAdded))
                    }
                    taints = list
                }
            } else if key == "status" {
                try reader.readObjectIfPresent { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                    guard key == "conditions" else { return try reader.skipValue() }
                    if try reader.readNull() { return }
                    var list: [Condition] = []
                    try reader.readArray { (reader: inout JSONReader) throws(JSONReadError) in
                        var type = ""
                        var status = ""
                        try reader.readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                            if key == "type" {
                                type = try reader.readOptionalString() ?? ""
                            } else if key == "spec" {
                                try reader.readObjectIfPresent {
                                    (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                                    guard key == "taints" else { return try reader.skipValue() }
                                    if try reader.readNull() { return }
                                    var list: [Taint] = []
                                    try reader.readArray { (reader: inout JSONReader) throws(JSONReadError) in
                                        var taintKey = ""
                                        var value: String?
                                        var effect = ""
                                        var timeAdded: String?
                                        try reader.readObject {
                                            (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                                            if key == "key" {
                                                taintKey = try reader.readOptionalString() ?? ""
                                            } else if key == "value" {
                                                value = try reader.readOptionalString()
                                            } else if key == "effect" {
                                                effect = try reader.readOptionalString() ?? ""
                                            } else if key == "timeAdded" {
                                                timeAdded = try reader.readOptionalString()
                                            } else {
                                                try reader.skipValue()
                                            }
                                        }
                                        list.append(
                                            Taint(key: taintKey, value: value, effect: effect, timeAdded: timeAdded))
                                    }
                                    taints = list
                                }
                            } else if key == "status" {
                                status = try reader.readOptionalString() ?? ""
                            } else {
                                try reader.skipValue()
                            }
                        }
                        list.append(Condition(type: type, status: status))
                    }
                    conditions = list
                }
            } else {
                try reader.skipValue()
            }
        }
        self.init(
            metadata: metadata, spec: taints.map { Spec(taints: $0) }, status: conditions.map { Status(conditions: $0) }
        )
    }
}
