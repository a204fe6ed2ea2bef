import Foundation
import Kubernetes

/// libFuzzer entry: any bytes through the AdmissionReview decoder and the answer encoder. Decoding may fail;
/// it must never crash, hang or leak (AddressSanitizer watches).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAdmissionReview(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let body = Data(bytes: data, count: size)
    guard let review = try? JSONDecoder().decode(AdmissionReview.self, from: body) else { return 0 }
    if let request = review.request {
        _ = AdmissionResponse.allowed(apiVersion: review.apiVersion ?? "", uid: request.uid)
        _ = request.node?.isWindows
        _ = request.node?.isReady
        _ = request.oldNode?.name
    }
    return 0
}
