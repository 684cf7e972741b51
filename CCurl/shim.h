// Typed, non-variadic wrappers around libcurl's variadic option functions.
// Swift cannot call C variadic functions, so every argument kind gets its own wrapper.
#ifndef FLAMEHUB_CCURL_SHIM_H
#define FLAMEHUB_CCURL_SHIM_H

#include <curl/curl.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#if defined(__linux__)
#include <sys/prctl.h>
#else
#include <pthread.h>
#endif

// MARK: easy options, one wrapper per argument kind

static inline CURLcode fh_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fh_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// Strings are copied by libcurl (except for the few options documented otherwise).
static inline CURLcode fh_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fh_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode fh_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// Binary blobs (in-memory CA bundles, client certificates); copied by libcurl.
static inline CURLcode fh_easy_setopt_blob(CURL *handle, CURLoption option, const void *data, size_t length) {
    struct curl_blob blob;
    blob.data = (void *)data;
    blob.len = length;
    blob.flags = CURL_BLOB_COPY;
    return curl_easy_setopt(handle, option, &blob);
}

static inline CURLcode fh_easy_setopt_mime(CURL *handle, curl_mime *mime) {
    return curl_easy_setopt(handle, CURLOPT_MIMEPOST, mime);
}

static inline CURLcode fh_easy_setopt_share(CURL *handle, CURLSH *share) {
    return curl_easy_setopt(handle, CURLOPT_SHARE, share);
}

// MARK: response heads, collected in C
// libcurl calls the header callback once per line on the I/O thread. Collecting the lines here
// keeps that per-line work out of Swift, which is called once, when a header block ends.

typedef void (*fh_head_complete_callback)(void *owner);

typedef struct fh_head_sink {
    unsigned char *bytes;  // the latest response's field lines (status line excluded), malloc'd
    size_t count;
    size_t capacity;
    int has_location;      // a Location field was seen: a followed redirect may come next
    int has_content_encoding;  // a Content-Encoding field was seen: Content-Length is not the decoded size
    int complete;          // the blank line that ends the block was seen
    fh_head_complete_callback on_complete;
    void *owner;
    // The send guard (see fh_head_sink_prereq).
    unsigned long heads;          // status lines seen, interim responses and redirects included
    unsigned long sends;          // times libcurl was about to send the request
    unsigned long heads_at_send;  // `heads` when the request was last sent
    int send_once;                // set by the owner: never send the request again unanswered
    int resend_refused;           // a resend was refused; the transfer ends with CURLE_ABORTED_BY_CALLBACK
} fh_head_sink;

static inline size_t fh_head_sink_collect(char *buffer, size_t size, size_t count, void *userdata) {
    fh_head_sink *sink = (fh_head_sink *)userdata;
    size_t length = size * count;
    if (length >= 5 && memcmp(buffer, "HTTP/", 5) == 0) {
        // A new response (after 1xx, a redirect or a proxy's CONNECT answer): start afresh.
        sink->count = 0;
        sink->has_location = 0;
        sink->has_content_encoding = 0;
        sink->complete = 0;
        sink->heads++;
        return length;
    }
    int blank = length <= 2;
    for (size_t index = 0; blank && index < length; index++) {
        blank = buffer[index] == '\r' || buffer[index] == '\n';
    }
    if (blank) {
        sink->complete = 1;
        if (sink->on_complete) sink->on_complete(sink->owner);
        return length;
    }
    if (length > 9 && strncasecmp(buffer, "location:", 9) == 0) sink->has_location = 1;
    if (length > 17 && strncasecmp(buffer, "content-encoding:", 17) == 0) sink->has_content_encoding = 1;
    if (sink->count + length > sink->capacity) {
        size_t capacity = sink->capacity ? sink->capacity : 1024;
        while (capacity < sink->count + length) capacity *= 2;
        unsigned char *grown = (unsigned char *)realloc(sink->bytes, capacity);
        if (!grown) return 0;  // libcurl fails the transfer with CURLE_WRITE_ERROR
        sink->bytes = grown;
        sink->capacity = capacity;
    }
    memcpy(sink->bytes + sink->count, buffer, length);
    sink->count += length;
    return length;
}

// libcurl calls this each time it is about to send the request: once normally, again for each
// redirect it follows, and again when it silently retries on a fresh connection because a reused
// one died before any response byte came back ("Connection died, retrying a fresh connect",
// Curl_retry_request). Only the last case sends again without an answer in between, and by then
// the server may have read the whole first copy; a request body that libcurl can replay
// (POSTFIELDS, mime data and file parts) or a body-less POST goes out a second time unasked.
// With `send_once` set, that resend is refused here, for every kind of body alike.
static inline int fh_head_sink_prereq(void *clientp, char *primary_ip, char *local_ip, int primary_port,
                                      int local_port) {
    (void)primary_ip; (void)local_ip; (void)primary_port; (void)local_port;
    fh_head_sink *sink = (fh_head_sink *)clientp;
    if (sink->sends > 0 && sink->heads == sink->heads_at_send && sink->send_once) {
        sink->resend_refused = 1;
        return CURL_PREREQFUNC_ABORT;
    }
    sink->sends++;
    sink->heads_at_send = sink->heads;
    return CURL_PREREQFUNC_OK;
}

/// Collects response heads into `sink` and lets it guard the sending of the request.
static inline CURLcode fh_easy_set_head_sink(CURL *handle, fh_head_sink *sink) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, fh_head_sink_collect);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_HEADERDATA, sink);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_PREREQFUNCTION, fh_head_sink_prereq);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_PREREQDATA, sink);
    return code;
}

// MARK: callbacks: the function and its data pointer are always set together

typedef size_t (*fh_data_callback)(char *buffer, size_t size, size_t count, void *userdata);
typedef int (*fh_xferinfo_callback)(void *userdata, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode fh_easy_set_write_callback(CURL *handle, fh_data_callback callback, void *userdata) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_WRITEDATA, userdata);
}

static inline CURLcode fh_easy_set_header_callback(CURL *handle, fh_data_callback callback, void *userdata) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_HEADERDATA, userdata);
}

static inline CURLcode fh_easy_set_read_callback(CURL *handle, fh_data_callback callback, void *userdata) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_READDATA, userdata);
}

static inline CURLcode fh_easy_set_xferinfo_callback(CURL *handle, fh_xferinfo_callback callback, void *userdata) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, callback);
    if (code != CURLE_OK) return code;
    code = curl_easy_setopt(handle, CURLOPT_XFERINFODATA, userdata);
    if (code != CURLE_OK) return code;
    return curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
}

static inline CURLcode fh_easy_clear_callbacks(CURL *handle) {
    CURLcode code = curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, (fh_data_callback)NULL);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, (fh_data_callback)NULL);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_READFUNCTION, (fh_data_callback)NULL);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, (fh_xferinfo_callback)NULL);
    if (code == CURLE_OK) code = curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 1L);
    return code;
}

// Return values a callback uses to pause or abort, exported as constants Swift can see.
static const size_t FH_CURL_WRITEFUNC_PAUSE = CURL_WRITEFUNC_PAUSE;
static const size_t FH_CURL_READFUNC_PAUSE = CURL_READFUNC_PAUSE;
static const size_t FH_CURL_READFUNC_ABORT = CURL_READFUNC_ABORT;

static const int FH_CURLPAUSE_CONT = CURLPAUSE_CONT;
static const long FH_CURL_GLOBAL_ALL = CURL_GLOBAL_ALL;

// MARK: easy info

static inline CURLcode fh_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode fh_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode fh_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode fh_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode fh_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

// MARK: multi and share options

static inline CURLMcode fh_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

static inline CURLSHcode fh_share_setopt_long(CURLSH *handle, CURLSHoption option, long value) {
    return curl_share_setopt(handle, option, value);
}

// MARK: mime

/// Streams a part from a callback (`size` is -1 when unknown). libcurl reads it lazily during the transfer.
static inline CURLcode fh_mime_data_cb(curl_mimepart *part, curl_off_t size, curl_read_callback read, void *userdata) {
    return curl_mime_data_cb(part, size, read, NULL, NULL, userdata);
}

// MARK: threads

/// Names the calling thread (shown by profilers and debuggers); at most 15 characters are kept.
static inline void fh_name_current_thread(const char *name) {
#if defined(__linux__)
    prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
#elif defined(__APPLE__)
    pthread_setname_np(name);  // Darwin names only the calling thread, and takes no thread argument
#else
    (void)name;
#endif
}

// MARK: version facts

static inline const char *fh_curl_version_string(void) {
    return curl_version();
}

static inline int fh_curl_feature_enabled(int feature) {
    curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    return (info->features & feature) != 0;
}

#endif
