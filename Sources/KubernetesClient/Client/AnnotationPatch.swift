/// The JSON merge patch (RFC 7386) `{"metadata":{"annotations":{…}}}`: a value sets a key, `null` removes it.
struct AnnotationPatch: Encodable {
    var annotations: [String: String?]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var root = encoder.container(keyedBy: Key.self)
        var metadata = root.nestedContainer(keyedBy: Key.self, forKey: Key("metadata"))
        var container = metadata.nestedContainer(keyedBy: Key.self, forKey: Key("annotations"))
        for (key, value) in annotations {
            if let value {
                try container.encode(value, forKey: Key(key))
            } else {
                // An explicit null: the merge patch removes the key.
                try container.encodeNil(forKey: Key(key))
            }
        }
    }
}
