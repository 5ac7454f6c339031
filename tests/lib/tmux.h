/*
 * tmux.h - driving a program inside a private tmux server for end-to-end
 * tests of the terminal UI: start it in a detached session of a given
 * size, send keys, capture the screen, wait for text with a timeout.
 *
 * Every server has its own socket name (-L), so tests never see each
 * other's sessions; tmux_stop() kills the server.
 */
#ifndef EXECTOP_TEST_TMUX_H
#define EXECTOP_TEST_TMUX_H

#include <stdbool.h>

struct tmux {
	char	*socket;	/* -L name, unique per server */
	char	*conf;		/* the config file the server reads */
};

/* Whether a tmux binary can be run. */
bool	 tmux_available(void);
/*
 * Starts "sh -c cmd" in directory cwd (NULL: the current one) inside a
 * new detached w x h session (no status line; TERM=tmux-256color; the
 * pane stays after the command exits).  Returns 0, or -1.
 */
int	 tmux_start(struct tmux *, int w, int h, const char *cwd,
	    const char *cmd);
/* The visible screen, one line per row (malloc'd), or NULL. */
char	*tmux_capture(struct tmux *);
/* Waits until the screen contains text; returns true when it did within
 * timeout_ms.  On a timeout the last screen goes to stderr. */
bool	 tmux_wait_for(struct tmux *, const char *text, int timeout_ms);
/* Waits until the screen no longer contains text. */
bool	 tmux_wait_gone(struct tmux *, const char *text, int timeout_ms);
/* Waits until fn(screen, arg) returns true. */
bool	 tmux_wait_until(struct tmux *, bool (*fn)(const char *, void *),
	    void *arg, int timeout_ms);
/* send-keys with tmux key names, e.g. "Down", "Enter", "C-l", "q". */
int	 tmux_keys(struct tmux *, const char *key);
/* send-keys -l: the text typed literally. */
int	 tmux_type(struct tmux *, const char *text);
/* Resizes the session's window. */
int	 tmux_resize(struct tmux *, int w, int h);
/* Kills the server and frees the struct's strings. */
void	 tmux_stop(struct tmux *);

/* Polls a file until it exists and contains text (NULL: just exists). */
bool	 tu_wait_file(const char *path, const char *text, int timeout_ms);
/* Milliseconds of a monotonic clock. */
long long tu_now_ms(void);
/* Sleeps ms milliseconds (only between polls). */
void	 tu_sleep_ms(int ms);

#endif
