// Baseline: COUNT GETs kept WIDTH-way concurrent on one multi handle, re-adding handles as they finish.
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static size_t sink(char *data, size_t size, size_t count, void *userdata) {
    (void)data; (void)userdata;
    return size * count;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: %s URL COUNT WIDTH\n", argv[0]); return 2; }
    long count = atol(argv[2]);
    int width = atoi(argv[3]);
    curl_global_init(CURL_GLOBAL_ALL);
    CURLM *multi = curl_multi_init();
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)width * 2);
    long started = 0, finished = 0;
    CURL **handles = calloc(width, sizeof(CURL *));
    for (int i = 0; i < width && started < count; i++, started++) {
        handles[i] = curl_easy_init();
        curl_easy_setopt(handles[i], CURLOPT_URL, argv[1]);
        curl_easy_setopt(handles[i], CURLOPT_WRITEFUNCTION, sink);
        curl_easy_setopt(handles[i], CURLOPT_NOSIGNAL, 1L);
        curl_multi_add_handle(multi, handles[i]);
    }
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    int running = 1;
    while (finished < count) {
        curl_multi_perform(multi, &running);
        CURLMsg *msg;
        int queued;
        while ((msg = curl_multi_info_read(multi, &queued))) {
            if (msg->msg != CURLMSG_DONE) continue;
            CURL *easy = msg->easy_handle;
            if (msg->data.result != CURLE_OK) { fprintf(stderr, "failed: %d\n", msg->data.result); return 1; }
            finished++;
            curl_multi_remove_handle(multi, easy);
            if (started < count) { started++; curl_multi_add_handle(multi, easy); }
        }
        if (finished < count) curl_multi_poll(multi, NULL, 0, 1000, NULL);
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    double seconds = (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    printf("%.6f\n", seconds);
    return 0;
}
