import Kubernetes

/// The AdmissionReview answer, in the version the request used: always allowed, same uid: a node
/// operation is never blocked by this product.
enum AdmissionResponse {
    /// Written as bytes straight into one buffer: this runs for every review, and building it through String
    /// interpolation cost more instructions than reading the review's envelope.
    static func allowed(apiVersion: String, uid: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(88 + apiVersion.utf8.count + uid.utf8.count)
        out.append(contentsOf: "{\"apiVersion\":".utf8)
        JSONString.appendQuoted(apiVersion, to: &out)
        out.append(contentsOf: ",\"kind\":\"AdmissionReview\",\"response\":{\"uid\":".utf8)
        JSONString.appendQuoted(uid, to: &out)
        out.append(contentsOf: ",\"allowed\":true}}".utf8)
        return out
    }
}
