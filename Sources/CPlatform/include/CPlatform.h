#ifndef CRASHWATCH_CPLATFORM_H
#define CRASHWATCH_CPLATFORM_H

/* pipe2 with O_CLOEXEC is a GNU extension the Glibc module Swift imports does not show. */
int cw_pipe_cloexec(int fds[2]);

/* PR_SET_CHILD_SUBREAPER through prctl, which is variadic; -1 where the system has none. */
int cw_become_child_subreaper(void);

/* Runs `sh -c 'command "$1"' sh argument` as the terminal's foreground job (an editor); its wait status, or -1. */
int cw_run_in_foreground(const char *command, const char *argument);

#endif
