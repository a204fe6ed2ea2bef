// pthread_setname_np is declared only under _GNU_SOURCE, which is safe here, in a file of its own (the header
// must not define it; see CLinuxEvents.h).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <pthread.h>
#include <string.h>

#include "CLinuxEvents.h"

void vigilante_name_this_thread(const char *name) {
    char cut[16];
    strncpy(cut, name, sizeof cut - 1);
    cut[sizeof cut - 1] = '\0';
    pthread_setname_np(pthread_self(), cut);
}

void vigilante_release_free_memory(void) {
    malloc_trim(0);
}

static const char *kind_of(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a plain file";
}

int vigilante_read_regular_file(const char *path, size_t max_bytes, unsigned char **data, size_t *length,
                                char *why, size_t why_length) {
    *data = NULL;
    *length = 0;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        int error = errno;
        snprintf(why, why_length, "%s", strerror(error));
        return error;
    }
    struct stat info;
    if (fstat(fd, &info) != 0) {
        int error = errno;
        snprintf(why, why_length, "%s", strerror(error));
        close(fd);
        return error;
    }
    if (!S_ISREG(info.st_mode)) {
        snprintf(why, why_length, "is %s, not a regular file", kind_of(info.st_mode));
        close(fd);
        return EINVAL;
    }
    if ((size_t)info.st_size > max_bytes) {
        snprintf(why, why_length, "is larger than %zu bytes", max_bytes);
        close(fd);
        return EFBIG;
    }
    size_t capacity = (size_t)info.st_size + 1;
    unsigned char *buffer = malloc(capacity);
    if (buffer == NULL) {
        snprintf(why, why_length, "%s", strerror(ENOMEM));
        close(fd);
        return ENOMEM;
    }
    size_t used = 0;
    for (;;) {
        if (used == capacity) {
            /* The file grew while being read: read on, within the bound. */
            if (capacity > max_bytes) {
                snprintf(why, why_length, "is larger than %zu bytes", max_bytes);
                free(buffer);
                close(fd);
                return EFBIG;
            }
            size_t larger = capacity * 2 > max_bytes + 1 ? max_bytes + 1 : capacity * 2;
            unsigned char *grown = realloc(buffer, larger);
            if (grown == NULL) {
                snprintf(why, why_length, "%s", strerror(ENOMEM));
                free(buffer);
                close(fd);
                return ENOMEM;
            }
            buffer = grown;
            capacity = larger;
        }
        ssize_t count = read(fd, buffer + used, capacity - used);
        if (count < 0 && errno == EINTR) continue;
        if (count < 0) {
            int error = errno;
            snprintf(why, why_length, "%s", strerror(error));
            free(buffer);
            close(fd);
            return error;
        }
        if (count == 0) break;
        used += (size_t)count;
    }
    close(fd);
    if (used == 0) {
        free(buffer);
        return 0;
    }
    *data = buffer;
    *length = used;
    return 0;
}
