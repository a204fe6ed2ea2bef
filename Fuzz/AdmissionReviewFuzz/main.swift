import Kubernetes

/// The keys healing asks for, so that the path that skips the other labels and annotations is fuzzed too.
let healingKeys = NodeMetadataKeys(
    labels: [Node.osLabel, Node.hostnameLabel],
    annotations: ["cops-vigilante-snat-node-healed", "cops-vigilante-snat-healing-started-at"])

/// libFuzzer entry: any bytes through the AdmissionReview reader (keeping every label and annotation, and only
/// healing's) and the answer encoder. Reading may fail; it must never crash, hang or touch memory it should not
/// (AddressSanitizer watches), and both readings must accept and refuse the same bodies.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAdmissionReview(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    let filtered = try? AdmissionReview.decode(body, keeping: healingKeys)
    let review = try? AdmissionReview.decode(body)
    precondition((filtered == nil) == (review == nil), "the key filter changed whether a body is accepted")
    guard let review else { return 0 }
    if let request = review.request {
        _ = AdmissionResponse.allowed(apiVersion: review.apiVersion ?? "", uid: request.uid ?? "")
        _ = request.node?.isWindows
        _ = request.node?.isReady
        _ = request.node?.name
    }
    return 0
}
