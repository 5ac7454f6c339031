/*
 * testutil.h - small helpers shared by the test programs: temporary
 * directories, files, and running the real exectop binary.
 */
#ifndef EXECTOP_TESTUTIL_H
#define EXECTOP_TESTUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* A fresh directory under /tmp (malloc'd path). */
char	*tu_tmpdir(void);
/* rm -rf of a directory made by tu_tmpdir(). */
void	 tu_rmtree(const char *);
/*
 * A suite's scratch directory, fresh for each test:
 *   TestSuite(x, .init = tu_dir_setup, .fini = tu_dir_teardown);
 * tu_dir_isolate() (or .init = tu_dir_setup_isolated) also points
 * XDG_CONFIG_HOME and HOME at it and unsets EXECTOP_CONFIG, so no user
 * or installed config changes what is tested.  A suite with more to set
 * up calls these from its own init and fini.
 */
extern char *tu_dir;
void	 tu_dir_setup(void);
void	 tu_dir_setup_isolated(void);
void	 tu_dir_isolate(void);
void	 tu_dir_teardown(void);
/* tu_dir/NAME (malloc'd). */
char	*tu_path(const char *name);
/* Writes text (tu_put) or len bytes (tu_put_len) to tu_dir/NAME;
 * returns the path (malloc'd). */
char	*tu_put(const char *name, const char *text);
char	*tu_put_len(const char *name, const char *data, size_t len);
/* Path of build/exectop (EXECTOP_BIN, else ./build/exectop). */
const char *tu_exectop(void);
/* Repository root (EXECTOP_ROOT, else "."). */
const char *tu_root(void);
/* Sets EXECTOP_BIN to the absolute path of tu_exectop(), for children
 * that run in another directory (a tmux pane); -1 when there is none. */
int	 tu_export_exectop(void);
/* Writes (or appends) a file; aborts the test on error. */
void	 tu_write_file(const char *path, const char *data, size_t len, int append);
/* Reads a whole file (malloc'd, NUL-terminated), NULL when unreadable. */
char	*tu_read_file(const char *path, size_t *len);
/*
 * Runs "sh -c cmd", capturing stdout into *out (malloc'd, may be NULL)
 * and stderr into *err (may be NULL).  Returns the exit status, or
 * 128 + signal.
 */
int	 tu_run(const char *cmd, char **out, char **err);
/* Writes all of p to fd (retrying short writes); a failed write ends the
 * process with status 3 (meant for forked writers). */
void	 tu_write_all(int fd, const char *p, size_t n);
/* Opens a FIFO for writing, waiting up to 30 s for its reader - never
 * for ever, so a reader that failed to start cannot hang the test.
 * Returns the descriptor (blocking), or -1. */
int	 tu_open_writer(const char *fifo_path);
/* True when exectop is a sanitizer build (EXECTOP_SANITIZER, set by make
 * check-e2e and check-threads): its memory use is the sanitizer's, so
 * bounds on it are asserted in the plain build only. */
int	 tu_sanitized(void);
/* Formats into a malloc'd string. */
char	*tu_fmt(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif
