import Foundation
import Kubernetes

/// JSON request and answer bodies of the small objects (pods, events, statuses); nodes are read with
/// `JSONReader` instead, which skips what it does not need.
enum JSONBody {
    static func encode(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The models hold only strings, numbers, booleans and containers of them: encoding cannot fail.
        return (try? [UInt8](encoder.encode(value))) ?? Array("{}".utf8)
    }

    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(JSONBodyError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch let error as DecodingError {
            throw JSONBodyError(message: describe(error))
        } catch {
            throw JSONBodyError(message: "\(error)")
        }
    }

    /// A body read with `JSONReader`; errors name the kind read (`Node: … at byte N`).
    static func read<T>(
        _ kind: String, _ bytes: [UInt8], _ body: (inout JSONReader) throws(JSONReadError) -> T
    ) throws(JSONBodyError) -> T {
        do {
            return try JSONReader.read(bytes, body)
        } catch {
            throw JSONBodyError(message: "\(kind): \(error)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let found), .valueNotFound(_, let found), .keyNotFound(_, let found),
            .dataCorrupted(let found):
            context = found
        @unknown default:
            return "\(error)"
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        let underlying = (context.underlyingError as NSError?).map { ": \($0.localizedDescription)" } ?? ""
        return (path.isEmpty ? "" : "at \(path): ") + context.debugDescription + underlying
    }
}

/// Why a body could not be decoded.
struct JSONBodyError: Error {
    var message: String
}
