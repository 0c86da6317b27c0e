#ifndef CRASHWATCH_CPLATFORM_H
#define CRASHWATCH_CPLATFORM_H

/* pipe2 with O_CLOEXEC is a GNU extension the Glibc module Swift imports does not show. */
int cw_pipe_cloexec(int fds[2]);

/* PR_SET_CHILD_SUBREAPER through prctl, which is variadic; -1 where the system has none. */
int cw_become_child_subreaper(void);

#endif
