extension NodeList {
    /// Reads a `NodeList`, each item with `Node(reading:)`: name, labels, annotations and conditions are kept, the
    /// rest (images, managedFields, addresses, …, most of a node's 10–15 KB) is checked and skipped.
    public init(reading reader: inout JSONReader) throws(JSONReadError) {
        var items: [Node] = []
        var continueToken: String?
        var resourceVersion: String?
        try reader.readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
            if key == "items" {
                // `null` is consumed by the check: an empty page.
                guard try !reader.readNull() else { return }
                try reader.readArray { (reader: inout JSONReader) throws(JSONReadError) in
                    items.append(try Node(reading: &reader))
                }
            } else if key == "metadata" {
                guard try !reader.readNull() else { return }
                try reader.readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                    if key == "continue" {
                        continueToken = try reader.readOptionalString()
                    } else if key == "resourceVersion" {
                        resourceVersion = try reader.readOptionalString()
                    } else {
                        try reader.skipValue()
                    }
                }
            } else {
                try reader.skipValue()
            }
        }
        self.init(items: items, continueToken: continueToken, resourceVersion: resourceVersion)
    }
}
