import Kubernetes

/// The AdmissionReview answer, in the version the request used: always allowed, same uid (SPEC).
enum AdmissionResponse {
    static func allowed(apiVersion: String, uid: String) -> [UInt8] {
        Array(
            "{\"apiVersion\":\(JSONString.quoted(apiVersion)),\"kind\":\"AdmissionReview\",\"response\":{\"uid\":\(JSONString.quoted(uid)),\"allowed\":true}}"
                .utf8)
    }
}
