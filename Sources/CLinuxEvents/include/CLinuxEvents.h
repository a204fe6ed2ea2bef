#ifndef COPS_VIGILANTE_CLINUXEVENTS_H
#define COPS_VIGILANTE_CLINUXEVENTS_H

// Linux calls that Swift's Glibc module does not export: epoll, eventfd, accept4, naming a thread, malloc_trim.
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <stddef.h>

// accept4 is a GNU extension declared only under _GNU_SOURCE, which must not be defined here: it changes
// struct definitions (fd_set) that Swift's Glibc module has already imported without it. glibc has the symbol.
extern int accept4(int fd, struct sockaddr *address, socklen_t *length, int flags);

/// accept4(2) without the peer address; flags such as SOCK_NONBLOCK | SOCK_CLOEXEC.
static inline int vigilante_accept4(int fd, int flags) {
    return accept4(fd, NULL, NULL, flags);
}

/// Names the calling thread (at most 15 bytes, longer names are cut): what `top -H` and /proc/<pid>/task/*/comm
/// show. pthread_setname_np is a GNU extension too, hence a function of CLinuxEvents.c.
void vigilante_name_this_thread(const char *name);

/// Reads a whole file that must be a regular file of at most `max_bytes` into a buffer from malloc (`*data`, to be
/// freed by the caller; NULL for an empty file). Returns 0, or an errno value with `why` saying in words what is
/// wrong: the system's reason ("Too many levels of symbolic links", "Permission denied", …), "is a FIFO, not a
/// regular file" (a FIFO or a device is never read: one could block for ever, /dev/zero never ends), or "is larger
/// than N bytes". Opened non-blocking, so that even a FIFO without a writer cannot block the caller.
int vigilante_read_regular_file(const char *path, size_t max_bytes, unsigned char **data, size_t *length,
                                char *why, size_t why_length);

/// Returns freed heap memory to the system (malloc_trim(0)): after a burst of large request bodies, RSS comes back
/// near its idle level. glibc's malloc.h is not part of Swift's Glibc module, hence a function of CLinuxEvents.c.
void vigilante_release_free_memory(void);

#endif
