#ifndef COPS_VIGILANTE_CCURL_SHIM_H
#define COPS_VIGILANTE_CCURL_SHIM_H

// curl_easy_setopt and curl_easy_getinfo are C varargs, which Swift cannot call.
// One typed wrapper per argument type; the caller picks the one matching the option.

#include <curl/curl.h>

static inline CURLcode vigilante_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vigilante_curl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vigilante_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vigilante_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Any of the `size_t f(char *, size_t, size_t, void *)` callbacks: CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION.
static inline CURLcode vigilante_curl_setopt_callback(
    CURL *handle, CURLoption option, size_t (*function)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(handle, option, function);
}

/// CURLOPT_XFERINFOFUNCTION: called while a transfer runs (often while data moves, about once a second when it
/// waits); a non-zero return aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
static inline CURLcode vigilante_curl_setopt_progress(
    CURL *handle, int (*function)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t)) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, function);
}

/// A blob that libcurl copies (CURL_BLOB_COPY), so the caller's bytes need not outlive the call.
static inline CURLcode vigilante_curl_setopt_blob_copy(CURL *handle, CURLoption option, const void *data, size_t length) {
    struct curl_blob blob = { (void *)data, length, CURL_BLOB_COPY };
    return curl_easy_setopt(handle, option, &blob);
}

/// CURL_GLOBAL_DEFAULT is a macro of macros, which Swift does not import.
static inline CURLcode vigilante_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

static inline CURLcode vigilante_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline const char *vigilante_curl_version_text(void) {
    return curl_version_info(CURLVERSION_NOW)->version;
}

static inline const char *vigilante_curl_ssl_version_text(void) {
    const char *ssl = curl_version_info(CURLVERSION_NOW)->ssl_version;
    return ssl ? ssl : "";
}

#endif
