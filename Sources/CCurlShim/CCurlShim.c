#include "CCurlShim.h"

CURLcode pipec_curl_setopt_long(CURL *handle, CURLoption option, long value) { return curl_easy_setopt(handle, option, value); }
CURLcode pipec_curl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) { return curl_easy_setopt(handle, option, value); }
CURLcode pipec_curl_setopt_string(CURL *handle, CURLoption option, const char *value) { return curl_easy_setopt(handle, option, value); }
CURLcode pipec_curl_setopt_pointer(CURL *handle, CURLoption option, void *value) { return curl_easy_setopt(handle, option, value); }
CURLcode pipec_curl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) { return curl_easy_setopt(handle, option, value); }
CURLcode pipec_curl_setopt_callback(CURL *handle, CURLoption option, pipec_curl_data_cb callback) { return curl_easy_setopt(handle, option, callback); }
CURLcode pipec_curl_getinfo_long(CURL *handle, CURLINFO info, long *out) { return curl_easy_getinfo(handle, info, out); }
CURLcode pipec_curl_getinfo_double(CURL *handle, CURLINFO info, double *out) { return curl_easy_getinfo(handle, info, out); }
CURLcode pipec_curl_getinfo_string(CURL *handle, CURLINFO info, char **out) { return curl_easy_getinfo(handle, info, out); }
CURLcode pipec_curl_setopt_xferinfo(CURL *handle, pipec_curl_xferinfo_cb callback) { return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback); }
