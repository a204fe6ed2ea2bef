import Kubernetes

/// The parts of an `admission.k8s.io/v1` or `v1beta1` AdmissionReview the webhook reads (both versions share the
/// request shape), read with `JSONReader`: the envelope's few fields, and the reviewed Node's name, the labels
/// and annotations the sink asks for, and conditions — nothing else of the ~20 KB a Node review carries is
/// materialised.
struct AdmissionReview {
    static let supportedVersions = ["admission.k8s.io/v1", "admission.k8s.io/v1beta1"]

    var apiVersion: String?
    var kind: String?
    var request: Request?

    struct Request {
        var uid: String?
        /// `kind.group` and `kind.kind` of the reviewed object.
        var objectGroup: String?
        var objectKind: String?
        var subResource: String?
        var name: String?
        /// CREATE, UPDATE, DELETE or CONNECT.
        var operation: String?
        var dryRun = false
        /// The reviewed Node: the new one for CREATE and UPDATE, the old one for DELETE; `nil` for other kinds.
        var node: Node?
        /// Whether `node` was read from `oldObject` (`true`) or `object`: a repeated member replaces it.
        var nodeIsOld: Bool?
        /// For an UPDATE of a Node, the `resourceVersion` of `oldObject`: the version stored when the API server
        /// called; a read that still shows it means the change is not stored yet.
        var previousResourceVersion: String?

        /// `core/v1` Node: the empty group.
        var isNode: Bool { (objectGroup ?? "") == "" && objectKind == "Node" }

        enum ObjectHandling {
            /// Read the Node now, in the one pass over the body.
            case read
            /// Not wanted: another kind, or the Node was already read.
            case skip
            /// Not known yet (the body names the kind or operation only later), or an UPDATE's `oldObject`, whose
            /// `resourceVersion` is wanted: keep its range for afterwards.
            case capture
        }

        /// The API server writes `kind` and `operation` before `object` and `oldObject`, so the wanted object is
        /// normally read as it passes; a body in another order falls back to capturing both and choosing after.
        func handling(ofObject isOld: Bool) -> ObjectHandling {
            guard objectKind != nil else { return .capture }
            guard isNode else { return .skip }
            if isOld && operation == "UPDATE" { return .capture }
            // The member the Node came from, repeated, replaces it (the last one wins); the other one is not wanted.
            if let nodeIsOld { return nodeIsOld == isOld ? .read : .skip }
            guard let operation else { return .capture }
            return (operation == "DELETE") == isOld ? .read : .capture
        }
    }

    /// Why a body is not a readable AdmissionReview: which field, and what was wrong at which byte.
    struct DecodingError: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ body: [UInt8]) throws(DecodingError) -> AdmissionReview {
        var objectRange: Range<Int>?
        var oldObjectRange: Range<Int>?
        var path = ""
        var review = AdmissionReview()
        do throws(JSONReadError) {
            review = try JSONReader.read(body) { (reader: inout JSONReader) throws(JSONReadError) in
                var review = AdmissionReview()
                path = ""
                guard try reader.peek() == .object else { throw reader.error("expected an object") }
                try reader.readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                    // Duplicate keys behave as in Go's encoding/json, which decodes the API server's side: the last
                    // one wins, and null leaves a string as it was but empties a pointer (`request`).
                    if key == "apiVersion" {
                        path = "apiVersion"
                        if let value = try reader.readOptionalString() { review.apiVersion = value }
                    } else if key == "kind" {
                        path = "kind"
                        if let value = try reader.readOptionalString() { review.kind = value }
                    } else if key == "request" {
                        path = "request"
                        objectRange = nil
                        oldObjectRange = nil
                        review.request =
                            try reader.readNull()
                            ? nil
                            : try readRequest(&reader, path: &path, object: &objectRange, oldObject: &oldObjectRange)
                    } else {
                        try reader.skipValue()
                    }
                    path = ""
                }
                return review
            }
        } catch {
            throw DecodingError(description: path.isEmpty ? "\(error)" : "\(path): \(error)")
        }
        if var request = review.request, request.isNode {
            if request.node == nil {
                let preferred =
                    request.operation == "DELETE" ? [oldObjectRange, objectRange] : [objectRange, oldObjectRange]
                if let range = preferred.compactMap({ $0 }).first {
                    request.node = try readNode(
                        body, range, path: range == objectRange ? "request.object" : "request.oldObject")
                }
            }
            if request.operation == "UPDATE", let range = oldObjectRange {
                request.previousResourceVersion =
                    try readNode(body, range, path: "request.oldObject").metadata.resourceVersion
            }
            review.request = request
        }
        return review
    }

    private static func readRequest(
        _ reader: inout JSONReader, path: inout String, object: inout Range<Int>?, oldObject: inout Range<Int>?
    ) throws(JSONReadError) -> Request {
        var request = Request()
        try reader.readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
            // The path is only built when a member is wrong: naming every member as it passes cost more than
            // reading them.
            do throws(JSONReadError) {
                try readMember(key, of: &request, &reader, object: &object, oldObject: &oldObject)
            } catch {
                path = "request." + key.string
                throw error
            }
        }
        return request
    }

    private static func readMember(
        _ key: JSONKey, of request: inout Request, _ reader: inout JSONReader, object: inout Range<Int>?,
        oldObject: inout Range<Int>?
    ) throws(JSONReadError) {
        if key == "uid" {
            if let value = try reader.readOptionalString() { request.uid = value }
        } else if key == "kind" {
            try reader.readObjectIfPresent { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                if key == "group" {
                    if let value = try reader.readOptionalString() { request.objectGroup = value }
                } else if key == "kind" {
                    if let value = try reader.readOptionalString() { request.objectKind = value }
                } else {
                    try reader.skipValue()
                }
            }
        } else if key == "subResource" {
            if let value = try reader.readOptionalString() { request.subResource = value }
        } else if key == "name" {
            if let value = try reader.readOptionalString() { request.name = value }
        } else if key == "operation" {
            if let value = try reader.readOptionalString() { request.operation = value }
        } else if key == "dryRun" {
            request.dryRun = try reader.readNull() ? false : reader.readBool()
        } else if key == "object" || key == "oldObject" {
            let isOld = key == "oldObject"
            if try reader.readNull() { return }
            switch request.handling(ofObject: isOld) {
            case .read:
                request.node = try Node(reading: &reader)
                request.nodeIsOld = isOld
            case .skip: try reader.skipValue()
            case .capture:
                let range = try reader.captureValue()
                if isOld { oldObject = range } else { object = range }
            }
        } else {
            try reader.skipValue()
        }
    }

    private static func readNode(_ body: [UInt8], _ range: Range<Int>, path: String) throws(DecodingError) -> Node {
        do {
            return try JSONReader.read(body, in: range) { (reader: inout JSONReader) throws(JSONReadError) in
                try Node(reading: &reader)
            }
        } catch {
            throw DecodingError(description: "\(path): \(error)")
        }
    }
}
