#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>
#include "CPlatform.h"

/* Both ends close-on-exec from the start: no child started by another thread at the same moment inherits them. */
int cw_pipe_cloexec(int fds[2]) {
#ifdef __linux__
    return pipe2(fds, O_CLOEXEC);
#else
    if (pipe(fds) != 0) return -1;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

#ifdef __linux__
#include <sys/prctl.h>
#endif

/* Orphans of the processes crashwatch starts (a server's setsid or double-forked helpers) become its children rather
   than init's, so they can be stopped and reaped. prctl is variadic, which Swift cannot call. */
int cw_become_child_subreaper(void) {
#ifdef __linux__
    return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
#else
    return -1;
#endif
}
