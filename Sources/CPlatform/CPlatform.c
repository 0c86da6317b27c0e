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

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>

/* Runs `sh -c 'command "$1"' sh argument` in the foreground of the terminal, as a shell runs a job: the child gets its
   own process group and the terminal, so Ctrl-C and Ctrl-Z in an editor reach the editor and not the dashboard; the
   terminal comes back when it exits. Returns its wait status, or -1 when it could not be started. */
int cw_run_in_foreground(const char *command, const char *argument) {
    int terminal = isatty(STDIN_FILENO) ? STDIN_FILENO : -1;
    pid_t child = fork();
    if (child < 0) return -1;
    if (child == 0) {
        setpgid(0, 0);
        if (terminal >= 0) {
            signal(SIGTTOU, SIG_IGN);
            tcsetpgrp(terminal, getpid());
        }
        int defaults[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGPIPE, SIGCHLD };
        for (unsigned i = 0; i < sizeof defaults / sizeof defaults[0]; i++) signal(defaults[i], SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        execl("/bin/sh", "sh", "-c", command, "sh", argument, (char *)NULL);
        _exit(127);
    }
    setpgid(child, child);
    if (terminal >= 0) tcsetpgrp(terminal, child);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    if (terminal >= 0) {
        /* Taking the terminal back from the background would stop crashwatch with SIGTTOU. */
        void (*previous)(int) = signal(SIGTTOU, SIG_IGN);
        tcsetpgrp(terminal, getpgrp());
        signal(SIGTTOU, previous);
    }
    return status;
}
