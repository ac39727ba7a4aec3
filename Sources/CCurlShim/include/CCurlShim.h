#pragma once
#include <curl/curl.h>

// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed entry per argument kind.
typedef size_t (*pipec_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);

CURLcode pipec_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode pipec_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode pipec_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode pipec_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode pipec_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode pipec_curl_setopt_callback(CURL *handle, CURLoption option, pipec_curl_data_cb callback);
CURLcode pipec_curl_getinfo_long(CURL *handle, CURLINFO info, long *out);
CURLcode pipec_curl_getinfo_double(CURL *handle, CURLINFO info, double *out);
CURLcode pipec_curl_getinfo_string(CURL *handle, CURLINFO info, char **out);

// Progress callback (CURLOPT_XFERINFOFUNCTION): returning non-zero aborts the transfer, which is how a cancelled
// apply stops a running request.
typedef int (*pipec_curl_xferinfo_cb)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);
CURLcode pipec_curl_setopt_xferinfo(CURL *handle, pipec_curl_xferinfo_cb callback);
