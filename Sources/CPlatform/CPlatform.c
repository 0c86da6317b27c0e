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
