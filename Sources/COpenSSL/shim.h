#ifndef COPS_VIGILANTE_COPENSSL_SHIM_H
#define COPS_VIGILANTE_COPENSSL_SHIM_H

// OpenSSL spells many calls as function-like macros, which Swift does not import.
// Each wrapper below gives one of them a real function that Swift can call.

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>
#include <openssl/evp.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <string.h>
#include <time.h>

/// The passphrase callback for private keys: refuses, and notes that one was asked for. Without a callback OpenSSL
/// prompts on the terminal for an encrypted key, which hangs a server that has none.
static int vigilante_refuse_passphrase(char *buffer, int size, int writing, void *asked) {
    (void)buffer;
    (void)size;
    (void)writing;
    if (asked != NULL) *(int *)asked = 1;
    return -1;
}

/// Reads a PEM private key, never prompting; `*asked_passphrase` is set when the key is encrypted.
static inline EVP_PKEY *vigilante_read_private_key(BIO *bio, int *asked_passphrase) {
    *asked_passphrase = 0;
    return PEM_read_bio_PrivateKey(bio, NULL, vigilante_refuse_passphrase, asked_passphrase);
}

static inline const char *vigilante_openssl_version_text(void) {
    return OpenSSL_version(OPENSSL_VERSION);
}

static inline int vigilante_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int vigilante_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

/// No compression (CRIME), no renegotiation of any kind, the server's cipher order.
static inline void vigilante_ssl_ctx_set_server_options(SSL_CTX *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
}

static inline long vigilante_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

/// Lets OpenSSL read whatever the socket has into its buffer: one read(2) for several TLS records instead of
/// two per record (header, then body). The buffer holds four full records, so a ~20 KB admission review (two
/// records) arrives in one read(2); buffers are released while a connection is idle, so a thousand idle
/// keep-alive connections hold no TLS buffers at all.
static inline void vigilante_ssl_ctx_set_read_ahead(SSL_CTX *ctx) {
    SSL_CTX_set_read_ahead(ctx, 1);
    SSL_CTX_set_default_read_buffer_len(ctx, 4 * SSL3_RT_MAX_PLAIN_LENGTH + SSL3_RT_MAX_ENCRYPTED_OVERHEAD);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
}

static inline int vigilante_ssl_ctx_add1_chain_cert(SSL_CTX *ctx, X509 *cert) {
    return (int)SSL_CTX_add1_chain_cert(ctx, cert);
}

static inline int vigilante_ssl_ctx_set1_groups_list(SSL_CTX *ctx, const char *list) {
    return (int)SSL_CTX_set1_groups_list(ctx, list);
}

/// No session resumption: no server-side session cache and no session tickets. The webhook's callers (the API
/// server's Go client, Prometheus) keep connections alive and never resume, so every cached session and ticket
/// would be work and memory for nothing; and tickets sealed with one key for the whole process lifetime would
/// weaken forward secrecy.
static inline void vigilante_ssl_ctx_disable_session_resumption(SSL_CTX *ctx) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(ctx, 0);
}

/// Chooses "http/1.1" from the client's ALPN list; a client that offers ALPN without it gets the fatal
/// no_application_protocol alert (RFC 7301 §3.2). Written in C because it runs inside the handshake.
static int vigilante_alpn_select_http11(SSL *ssl, const unsigned char **out, unsigned char *outlen,
                                         const unsigned char *in, unsigned int inlen, void *arg) {
    (void)ssl; (void)arg;
    static const unsigned char protocol[] = "http/1.1";
    unsigned int i = 0;
    while (i < inlen) {
        unsigned int length = in[i];
        if (i + 1 + length > inlen) break;
        if (length == 8 && memcmp(in + i + 1, protocol, 8) == 0) {
            *out = in + i + 1;
            *outlen = 8;
            return SSL_TLSEXT_ERR_OK;
        }
        i += 1 + length;
    }
    return SSL_TLSEXT_ERR_ALERT_FATAL;
}

static inline void vigilante_ssl_ctx_use_http11_alpn(SSL_CTX *ctx) {
    SSL_CTX_set_alpn_select_cb(ctx, vigilante_alpn_select_http11, NULL);
}

/// The certificate's notAfter as seconds since 1970, or -1.
static inline long long vigilante_x509_not_after_epoch(X509 *cert) {
    const ASN1_TIME *time = X509_get0_notAfter(cert);
    struct tm parts;
    if (time == NULL || ASN1_TIME_to_tm(time, &parts) != 1) return -1;
    return (long long)timegm(&parts);
}

#endif
