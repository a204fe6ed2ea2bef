import Foundation

/// One line of a node watch stream: `{"type": "ADDED", "object": {…}}`.
public enum WatchLine: Sendable, Equatable {
    case event(NodeWatchEvent)
    /// An ERROR event: the Status the server sent (410 `Expired` when the version asked for is too old).
    case error(Status)

    /// Reads one line; the object is read as a Node for ADDED, MODIFIED and DELETED, its `resourceVersion` for
    /// BOOKMARK, as a Status for ERROR. Any other type, or a malformed line, is an error naming it.
    public static func decode(_ line: [UInt8]) throws(JSONReadError) -> WatchLine {
        var type: String?
        var object: Range<Int>?
        try JSONReader.read(line) { (reader: inout JSONReader) throws(JSONReadError) in
            try reader.readObject { (key: JSONKey, reader: inout JSONReader) throws(JSONReadError) in
                if key == "type" {
                    type = try reader.readOptionalString()
                } else if key == "object" {
                    object = try reader.captureValue()
                } else {
                    try reader.skipValue()
                }
            }
        }
        guard let object else { throw JSONReadError(message: "a watch event without an object", offset: 0) }
        switch type {
        case "ADDED", "MODIFIED", "DELETED", "BOOKMARK":
            let node = try JSONReader.read(line, in: object) { (reader: inout JSONReader) throws(JSONReadError) in
                try Node(reading: &reader)
            }
            switch type {
            case "ADDED": return .event(.added(node))
            case "MODIFIED": return .event(.modified(node))
            case "DELETED": return .event(.deleted(node))
            default: return .event(.bookmark(resourceVersion: node.metadata.resourceVersion ?? ""))
            }
        case "ERROR":
            guard let status = try? JSONDecoder().decode(Status.self, from: Data(line[object])) else {
                throw JSONReadError(
                    message: "an ERROR watch event whose object is not a Status", offset: object.lowerBound)
            }
            return .error(status)
        default:
            throw JSONReadError(message: "unknown watch event type \(type.map { "\"\($0)\"" } ?? "(none)")", offset: 0)
        }
    }
}

/// Splits a watch stream into lines as its bytes arrive, holding at most `maxLineBytes` of an unfinished line.
public struct WatchLineSplitter: Sendable {
    public let maxLineBytes: Int
    private var pending: [UInt8] = []

    public init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// The complete lines in what has arrived so far (empty lines skipped); `nil` when a line grows over the
    /// limit (the stream must be abandoned).
    public mutating func append(_ bytes: some Collection<UInt8>) -> [[UInt8]]? {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if pending.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) {
                    lines.append(pending)
                }
                pending.removeAll(keepingCapacity: true)
            } else {
                guard pending.count < maxLineBytes else { return nil }
                pending.append(byte)
            }
        }
        return lines
    }
}
