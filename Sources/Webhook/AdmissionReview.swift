import Kubernetes

/// The parts of an `admission.k8s.io/v1` or `v1beta1` AdmissionReview the webhook reads. Both versions have
/// the same request shape. The reviewed object is decoded as a Node only when the review is about a Node;
/// anything else in it is skipped, never materialised.
struct AdmissionReview: Decodable {
    static let supportedVersions = ["admission.k8s.io/v1", "admission.k8s.io/v1beta1"]

    var apiVersion: String?
    var kind: String?
    var request: Request?

    struct Request: Decodable {
        var uid: String
        var kind: GroupVersionKind?
        var resource: GroupVersionResource?
        var subResource: String?
        var name: String?
        /// CREATE, UPDATE, DELETE or CONNECT.
        var operation: String?
        var dryRun: Bool?
        /// The Node after the change (CREATE, UPDATE); `nil` when the review is not about a Node.
        var node: Node?
        /// The Node before the change (UPDATE, DELETE).
        var oldNode: Node?

        enum CodingKeys: String, CodingKey {
            case uid, kind, resource, subResource, name, operation, dryRun, object, oldObject
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            uid = try container.decode(String.self, forKey: .uid)
            kind = try container.decodeIfPresent(GroupVersionKind.self, forKey: .kind)
            resource = try container.decodeIfPresent(GroupVersionResource.self, forKey: .resource)
            subResource = try container.decodeIfPresent(String.self, forKey: .subResource)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            operation = try container.decodeIfPresent(String.self, forKey: .operation)
            dryRun = try container.decodeIfPresent(Bool.self, forKey: .dryRun)
            if kind?.isNode == true {
                node = try container.decodeIfPresent(Node.self, forKey: .object)
                oldNode = try container.decodeIfPresent(Node.self, forKey: .oldObject)
            }
        }
    }

    struct GroupVersionKind: Decodable {
        var group: String?
        var version: String?
        var kind: String?

        /// `core/v1` Node: the empty group.
        var isNode: Bool { (group ?? "") == "" && kind == "Node" }
    }

    struct GroupVersionResource: Decodable {
        var group: String?
        var version: String?
        var resource: String?
    }
}
