#ifndef EKSCOST_CCURL_SHIM_H
#define EKSCOST_CCURL_SHIM_H
#if __has_include(<curl/curl.h>)
#include <curl/curl.h>
#else
#error "libcurl is missing: run 'sudo apt-get install -y libcurl4-openssl-dev' (or 'make setup')"
#endif

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one wrapper per
// type of argument, so that each call still passes the type libcurl reads.
static inline CURLcode ekscost_curl_set_long(CURL *curl, CURLoption option, long value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode ekscost_curl_set_string(CURL *curl, CURLoption option, const char *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode ekscost_curl_set_pointer(CURL *curl, CURLoption option, void *value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode ekscost_curl_set_list(CURL *curl, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(curl, option, value);
}
/// For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION, which take the same type.
static inline CURLcode ekscost_curl_set_callback(CURL *curl, CURLoption option, curl_write_callback value) {
    return curl_easy_setopt(curl, option, value);
}
static inline CURLcode ekscost_curl_get_long(CURL *curl, CURLINFO info, long *value) {
    return curl_easy_getinfo(curl, info, value);
}
#endif
