/// Header fields in the order they were received or added. Names keep their spelling; every lookup compares
/// names case-insensitively in ASCII (RFC 9110 §5.1). Repeated fields stay separate entries.
public struct HTTPHeaders: Sendable, Sequence, Equatable, ExpressibleByDictionaryLiteral {
    public typealias Element = (name: String, value: String)

    private var fields: [Element]

    public init() {
        fields = []
    }

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// The number of field lines, repeated names counted each time.
    public var count: Int { fields.count }

    public var isEmpty: Bool { fields.isEmpty }

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? {
        fields.first { Self.namesMatch($0.name, name) }?.value
    }

    /// Every value of `name`, in order.
    public func values(for name: String) -> [String] {
        fields.compactMap { Self.namesMatch($0.name, name) ? $0.value : nil }
    }

    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Lets the parser size the storage once from the number of field lines it counted.
    mutating func reserveCapacity(_ count: Int) {
        fields.reserveCapacity(count)
    }

    public func makeIterator() -> IndexingIterator<[Element]> {
        fields.makeIterator()
    }

    /// Same fields in the same order; names compared case-insensitively, values exactly.
    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { namesMatch($0.name, $1.name) && $0.value == $1.value }
    }

    /// ASCII case-insensitive equality; header names are tokens, so non-ASCII bytes only ever match themselves.
    static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
        // The UTF-8 count of a native String is stored, so most mismatches cost one comparison.
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        var left = lhs.utf8.makeIterator()
        var right = rhs.utf8.makeIterator()
        while true {
            switch (left.next(), right.next()) {
            case (nil, nil):
                return true
            case (let a?, let b?) where HTTPByte.lowercased(a) == HTTPByte.lowercased(b):
                continue
            default:
                return false
            }
        }
    }
}
