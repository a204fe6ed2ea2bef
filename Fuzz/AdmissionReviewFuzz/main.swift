import Kubernetes

/// libFuzzer entry: any bytes through the AdmissionReview reader and the answer encoder. Reading may fail; it must
/// never crash, hang or touch memory it should not (AddressSanitizer watches).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAdmissionReview(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    guard let review = try? AdmissionReview.decode(body) else { return 0 }
    if let request = review.request {
        _ = AdmissionResponse.allowed(apiVersion: review.apiVersion ?? "", uid: request.uid ?? "")
        _ = request.node?.isWindows
        _ = request.node?.isReady
        _ = request.node?.name
    }
    return 0
}
