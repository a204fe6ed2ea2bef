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

static inline const char *vigilante_openssl_version_text(void) {
    return OpenSSL_version(OPENSSL_VERSION);
}

static inline unsigned long vigilante_openssl_version_number(void) {
    return OpenSSL_version_num();
}

static inline int vigilante_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int vigilante_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long vigilante_ssl_ctx_set_options(SSL_CTX *ctx, unsigned long options) {
    return (long)SSL_CTX_set_options(ctx, options);
}

static inline int vigilante_ssl_ctx_set_ecdh_auto(SSL_CTX *ctx) {
    // OpenSSL 1.1.0 and later always select the curve automatically; kept for older headers.
    (void)ctx;
    return 1;
}

#endif
