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

static inline CURLcode vigilante_curl_setopt_blob(CURL *handle, CURLoption option, struct curl_blob *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vigilante_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode vigilante_curl_setopt_write_function(
    CURL *handle, size_t (*function)(char *, size_t, size_t, void *)) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, function);
}

static inline CURLcode vigilante_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode vigilante_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
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
