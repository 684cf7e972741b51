// Baseline: N sequential GETs with one reused easy handle (the fastest plain libcurl can do).
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static size_t sink(char *data, size_t size, size_t count, void *userdata) {
    (void)data;
    *(size_t *)userdata += size * count;
    return size * count;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s URL COUNT\n", argv[0]); return 2; }
    long count = atol(argv[2]);
    curl_global_init(CURL_GLOBAL_ALL);
    CURL *handle = curl_easy_init();
    size_t received = 0;
    curl_easy_setopt(handle, CURLOPT_URL, argv[1]);
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &received);
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (long i = 0; i < count; i++) {
        CURLcode code = curl_easy_perform(handle);
        long status = 0;
        curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
        if (code != CURLE_OK || status != 200) { fprintf(stderr, "request %ld failed: %d %ld\n", i, code, status); return 1; }
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%.6f\n", seconds);
    curl_easy_cleanup(handle);
    curl_global_cleanup();
    return received > 0 ? 0 : 1;
}
