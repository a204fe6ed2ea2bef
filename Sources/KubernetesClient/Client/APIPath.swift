/// Builds request paths: names as percent-encoded path segments, options as a percent-encoded query.
enum APIPath {
    /// `value` with every byte but RFC 3986's unreserved characters percent-encoded.
    static func escape(_ value: String) -> String {
        var output = ""
        output.reserveCapacity(value.utf8.count)
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                output.unicodeScalars.append("%")
                output.unicodeScalars.append(hex[Int(byte >> 4)])
                output.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return output
    }

    /// `?name=value&…` of the items that have a value, or "" when none has.
    static func query(_ items: KeyValuePairs<String, String?>) -> String {
        let parts = items.compactMap { name, value in value.map { "\(name)=\(escape($0))" } }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }
}
