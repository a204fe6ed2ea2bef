internal import COpenSSL
import Foundation

/// A server TLS configuration (`SSL_CTX`): one certificate pair, TLS 1.2 and 1.3 only, forward-secret AEAD
/// suites only, no renegotiation, no compression, no session resumption, ALPN `http/1.1`, and optionally required
/// client certificates.
///
/// A context is immutable once made; a certificate reload makes a new one. Connections keep the context they
/// started with (OpenSSL counts references), so open connections finish on the old pair.
public final class TLSContext: @unchecked Sendable {
    let context: OpaquePointer
    /// The leaf certificate's notAfter, seconds since 1970.
    public let notAfter: Int64

    /// TLS 1.2 suites: ECDHE key exchange (forward secrecy) with AES-GCM or ChaCha20-Poly1305 (AEAD).
    /// TLS 1.3 suites are all AEAD and forward-secret; OpenSSL's defaults stand.
    static let tls12Ciphers = [
        "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-CHACHA20-POLY1305", "ECDHE-RSA-CHACHA20-POLY1305",
    ].joined(separator: ":")

    /// - Parameter clientCAFile: when set, clients must present a certificate signed by one of its CAs.
    public init(pair: CertificatePair, clientCAFile: String? = nil) throws(TLSError) {
        let certificates = try LoadedCertificates(pair)
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw .fromQueue("SSL_CTX_new") }
        self.context = context
        self.notAfter = certificates.notAfter

        vigilante_ssl_ctx_set_min_proto_version(context, TLS1_2_VERSION)
        vigilante_ssl_ctx_set_max_proto_version(context, TLS1_3_VERSION)
        vigilante_ssl_ctx_set_server_options(context)
        // Partial writes let the loop write what the socket takes; the buffer may move between retries.
        vigilante_ssl_ctx_set_mode(
            context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE) | Int(SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        vigilante_ssl_ctx_set_read_ahead(context)
        vigilante_ssl_ctx_disable_session_resumption(context)
        guard SSL_CTX_set_cipher_list(context, Self.tls12Ciphers) == 1 else {
            throw .fromQueue("SSL_CTX_set_cipher_list")
        }
        guard vigilante_ssl_ctx_set1_groups_list(context, "X25519:P-256:P-384") == 1 else {
            throw .fromQueue("set groups")
        }
        vigilante_ssl_ctx_use_http11_alpn(context)

        guard SSL_CTX_use_certificate(context, certificates.leaf) == 1 else {
            throw .fromQueue("SSL_CTX_use_certificate")
        }
        for intermediate in certificates.chain {
            guard vigilante_ssl_ctx_add1_chain_cert(context, intermediate) == 1 else {
                throw .fromQueue("adding a chain certificate")
            }
        }
        guard SSL_CTX_use_PrivateKey(context, certificates.key) == 1 else { throw .fromQueue("SSL_CTX_use_PrivateKey") }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw .fromQueue("the private key does not match the certificate")
        }

        if let clientCAFile {
            _ = try CertificatePair.readFile(clientCAFile, role: "client CA")
            guard SSL_CTX_load_verify_locations(context, clientCAFile, nil) == 1,
                let names = SSL_load_client_CA_file(clientCAFile)
            else { throw .fromQueue("cannot load the client CA file \(clientCAFile)") }
            SSL_CTX_set_client_CA_list(context, names)
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
        }
    }

    /// Reads the files (unless `pair` already holds their contents) and makes a context; errors name the files.
    public convenience init(
        certificateFile: String, keyFile: String, clientCAFile: String? = nil, pair given: CertificatePair? = nil
    ) throws(TLSError) {
        let pair: CertificatePair
        if let given {
            pair = given
        } else {
            pair = try CertificatePair.read(certificateFile: certificateFile, keyFile: keyFile)
        }
        do {
            try self.init(pair: pair, clientCAFile: clientCAFile)
        } catch {
            throw TLSError("\(certificateFile) and \(keyFile): \(error.operation)", details: error.details)
        }
    }

    deinit {
        SSL_CTX_free(context)
    }
}
