#ifndef COPS_VIGILANTE_CLINUXEVENTS_H
#define COPS_VIGILANTE_CLINUXEVENTS_H

// Linux calls that Swift's Glibc module does not export: epoll, eventfd, and accept4 (a GNU extension).
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <stddef.h>

/// accept4(2) without the peer address; flags such as SOCK_NONBLOCK | SOCK_CLOEXEC.
static inline int vigilante_accept4(int fd, int flags) {
    return accept4(fd, NULL, NULL, flags);
}

#endif
