// pthread_setname_np is declared only under _GNU_SOURCE, which is safe here, in a file of its own (the header
// must not define it; see CLinuxEvents.h).
#define _GNU_SOURCE
#include <pthread.h>
#include <string.h>

#include "CLinuxEvents.h"

void vigilante_name_this_thread(const char *name) {
    char cut[16];
    strncpy(cut, name, sizeof cut - 1);
    cut[sizeof cut - 1] = '\0';
    pthread_setname_np(pthread_self(), cut);
}
