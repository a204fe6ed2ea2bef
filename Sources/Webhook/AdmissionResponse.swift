/// The AdmissionReview answer, in the version the request used: always allowed, same uid (SPEC).
enum AdmissionResponse {
    static func allowed(apiVersion: String, uid: String) -> [UInt8] {
        Array(
            "{\"apiVersion\":\(jsonString(apiVersion)),\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\(jsonString(uid)),\"allowed\":true}}"
                .utf8)
    }

    /// A JSON string literal (RFC 8259 §7).
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
