/*
 * tmux.c - a private tmux server per test, driven through its command
 * line (see tmux.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "tmux.h"

long long
tu_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
tu_sleep_ms(int ms)
{
	struct timespec	ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (long)(ms % 1000) * 1000000;
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Runs tmux with argv (NULL-terminated, after "tmux -L sock -f conf"),
 * output into *out when out != NULL.  Returns the exit status. */
static int
tmux_run(struct tmux *t, char **out, const char *const *args)
{
	const char	*argv[32];
	int		 pfd[2], status, devnull;
	size_t		 n = 0, i, len = 0, cap = 0;
	pid_t		 pid;
	ssize_t		 r;
	char		*buf = NULL;

	argv[n++] = "tmux";
	argv[n++] = "-L";
	argv[n++] = t->socket;
	argv[n++] = "-f";
	argv[n++] = t->conf;
	for (i = 0; args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	if (pipe(pfd) == -1)
		return -1;
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		devnull = open("/dev/null", O_RDWR);
		dup2(devnull, STDIN_FILENO);
		dup2(pfd[1], STDOUT_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execvp("tmux", (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap + 1);
		}
		r = read(pfd[0], buf + len, cap - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	buf[len] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (out != NULL)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool
tmux_available(void)
{
	return system("tmux -V >/dev/null 2>&1") == 0;
}

int
tmux_start(struct tmux *t, int w, int h, const char *cwd, const char *cmd)
{
	static unsigned	 counter;
	char		 ws[16], hs[16];
	const char	*args[16];
	size_t		 n = 0;
	FILE		*f;

	t->socket = tu_fmt("exectop-test-%ld-%u-%ld", (long)getpid(),
	    counter++, (long)(tu_now_ms() % 100000));
	t->conf = tu_fmt("/tmp/%s.conf", t->socket);
	if ((f = fopen(t->conf, "w")) == NULL)
		return -1;
	fprintf(f, "set -g default-terminal tmux-256color\n"
	    "set -g status off\n"
	    "set -g remain-on-exit on\n"
	    "set -g history-limit 100\n"
	    "set -g escape-time 10\n");
	fclose(f);
	snprintf(ws, sizeof ws, "%d", w);
	snprintf(hs, sizeof hs, "%d", h);
	args[n++] = "new-session";
	args[n++] = "-d";
	args[n++] = "-s";
	args[n++] = "test";
	args[n++] = "-x";
	args[n++] = ws;
	args[n++] = "-y";
	args[n++] = hs;
	if (cwd != NULL) {
		args[n++] = "-c";
		args[n++] = cwd;
	}
	args[n++] = cmd;
	args[n] = NULL;
	return tmux_run(t, NULL, args) == 0 ? 0 : -1;
}

char *
tmux_capture(struct tmux *t)
{
	const char	*args[] = { "capture-pane", "-p", "-t", "test", NULL };
	char		*out = NULL;

	if (tmux_run(t, &out, args) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

bool
tmux_wait_until(struct tmux *t, bool (*fn)(const char *, void *), void *arg,
    int timeout_ms)
{
	long long	 end = tu_now_ms() + timeout_ms;
	char		*s = NULL;

	for (;;) {
		free(s);
		s = tmux_capture(t);
		if (s != NULL && fn(s, arg)) {
			free(s);
			return true;
		}
		if (tu_now_ms() > end)
			break;
		tu_sleep_ms(50);
	}
	fprintf(stderr, "--- screen at timeout (socket %s) ---\n%s\n---\n",
	    t->socket, s != NULL ? s : "(no capture)");
	free(s);
	return false;
}

static bool
tmux_has(const char *screen, void *text)
{
	return strstr(screen, text) != NULL;
}

static bool
tmux_has_not(const char *screen, void *text)
{
	return strstr(screen, text) == NULL;
}

bool
tmux_wait_for(struct tmux *t, const char *text, int timeout_ms)
{
	if (tmux_wait_until(t, tmux_has, (void *)text, timeout_ms))
		return true;
	fprintf(stderr, "(waited for \"%s\")\n", text);
	return false;
}

bool
tmux_wait_gone(struct tmux *t, const char *text, int timeout_ms)
{
	if (tmux_wait_until(t, tmux_has_not, (void *)text, timeout_ms))
		return true;
	fprintf(stderr, "(waited for \"%s\" to go)\n", text);
	return false;
}

int
tmux_keys(struct tmux *t, const char *key)
{
	const char	*args[] = { "send-keys", "-t", "test", key, NULL };

	return tmux_run(t, NULL, args) == 0 ? 0 : -1;
}

int
tmux_type(struct tmux *t, const char *text)
{
	const char	*args[] = { "send-keys", "-t", "test", "-l", text, NULL };

	return tmux_run(t, NULL, args) == 0 ? 0 : -1;
}

int
tmux_resize(struct tmux *t, int w, int h)
{
	char		 ws[16], hs[16];
	const char	*args[] = { "resize-window", "-t", "test", "-x", ws,
	    "-y", hs, NULL };

	snprintf(ws, sizeof ws, "%d", w);
	snprintf(hs, sizeof hs, "%d", h);
	return tmux_run(t, NULL, args) == 0 ? 0 : -1;
}

void
tmux_stop(struct tmux *t)
{
	const char	*args[] = { "kill-server", NULL };

	if (t->socket != NULL)
		tmux_run(t, NULL, args);
	if (t->conf != NULL)
		unlink(t->conf);
	free(t->socket);
	free(t->conf);
	t->socket = NULL;
	t->conf = NULL;
}

bool
tu_wait_file(const char *path, const char *text, int timeout_ms)
{
	long long	 end = tu_now_ms() + timeout_ms;
	char		*s;
	bool		 ok;

	for (;;) {
		s = tu_read_file(path, NULL);
		ok = s != NULL && (text == NULL || strstr(s, text) != NULL);
		free(s);
		if (ok)
			return true;
		if (tu_now_ms() > end)
			return false;
		tu_sleep_ms(50);
	}
}
