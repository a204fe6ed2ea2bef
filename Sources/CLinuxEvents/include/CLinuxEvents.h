#ifndef COPS_VIGILANTE_CLINUXEVENTS_H
#define COPS_VIGILANTE_CLINUXEVENTS_H

// Linux calls that Swift's Glibc module does not export: epoll, eventfd, accept4, and naming a thread.
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

#endif
