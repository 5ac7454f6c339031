/*
 * testutil.c - helpers shared by the test programs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

char *
tu_fmt(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) == -1)
		abort();
	va_end(ap);
	return s;
}

char *
tu_tmpdir(void)
{
	char	*t = tu_fmt("/tmp/exectop-test.XXXXXX");

	if (mkdtemp(t) == NULL)
		abort();
	return t;
}

void
tu_rmtree(const char *dir)
{
	char	*cmd;

	if (dir == NULL || strncmp(dir, "/tmp/exectop-test.", 18) != 0)
		return;
	cmd = tu_fmt("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", dir);
	free(cmd);
}

char	*tu_dir;

void
tu_dir_setup(void)
{
	tu_dir = tu_tmpdir();
}

void
tu_dir_isolate(void)
{
	setenv("XDG_CONFIG_HOME", tu_dir, 1);
	setenv("HOME", tu_dir, 1);
	unsetenv("EXECTOP_CONFIG");
}

void
tu_dir_setup_isolated(void)
{
	tu_dir_setup();
	tu_dir_isolate();
}

void
tu_dir_teardown(void)
{
	tu_rmtree(tu_dir);
	free(tu_dir);
	tu_dir = NULL;
}

char *
tu_path(const char *name)
{
	return tu_fmt("%s/%s", tu_dir, name);
}

char *
tu_put_len(const char *name, const char *data, size_t len)
{
	char	*p = tu_path(name);

	tu_write_file(p, data, len, 0);
	return p;
}

char *
tu_put(const char *name, const char *text)
{
	return tu_put_len(name, text, strlen(text));
}

int
tu_sanitized(void)
{
	const char	*s = getenv("EXECTOP_SANITIZER");

	return s != NULL && *s != '\0';
}

/*
 * Without EXECTOP_BIN/EXECTOP_ROOT (a test binary run by hand): the
 * exectop of the test's own build directory (BUILD/tests/KIND/test_x ->
 * BUILD/exectop) and the tree above it, as absolute paths, so a test that
 * changed into its scratch directory still finds them.
 */
static const char *
tu_default(bool root)
{
	static char	bin[PATH_MAX + 16], top[PATH_MAX];
	char		exe[PATH_MAX], *s;
	ssize_t		n;
	int		i;

	if (bin[0] == '\0') {
		if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) <= 0)
			return root ? "." : "./build/exectop";
		exe[n] = '\0';
		for (i = 0; i < 3 && (s = strrchr(exe, '/')) != NULL; i++)
			*s = '\0';	/* drop test_x, KIND, tests */
		snprintf(bin, sizeof bin, "%s/exectop", exe);
		if ((s = strrchr(exe, '/')) != NULL)
			*s = '\0';
		snprintf(top, sizeof top, "%s", exe);
	}
	return root ? top : bin;
}

const char *
tu_exectop(void)
{
	const char	*p = getenv("EXECTOP_BIN");

	return p != NULL ? p : tu_default(false);
}

const char *
tu_root(void)
{
	const char	*p = getenv("EXECTOP_ROOT");

	return p != NULL ? p : tu_default(true);
}

int
tu_export_exectop(void)
{
	char	*abs = realpath(tu_exectop(), NULL);

	if (abs == NULL)
		return -1;
	setenv("EXECTOP_BIN", abs, 1);
	free(abs);
	return 0;
}

void
tu_write_file(const char *path, const char *data, size_t len, int append)
{
	FILE	*f = fopen(path, append ? "ab" : "wb");

	if (f == NULL || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "tu_write_file %s: %s\n", path, strerror(errno));
		abort();
	}
}

char *
tu_read_file(const char *path, size_t *lenp)
{
	FILE	*f = fopen(path, "rb");
	char	*buf = NULL;
	size_t	 len = 0, cap = 0, n;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

/* Reads everything from fd into a malloc'd string. */
static char *
tu_slurp_fd(int fd)
{
	char	*buf = NULL;
	size_t	 len = 0, cap = 0;
	ssize_t	 n;

	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = realloc(buf, cap + 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

int
tu_run(const char *cmd, char **out, char **err)
{
	char	 errpath[] = "/tmp/exectop-test-err.XXXXXX";
	int	 pfd[2], efd, status;
	pid_t	 pid;
	char	*o;

	if ((efd = mkstemp(errpath)) == -1 || pipe(pfd) == -1)
		abort();
	unlink(errpath);
	if ((pid = fork()) == -1)
		abort();
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		dup2(efd, STDERR_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		close(efd);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	o = tu_slurp_fd(pfd[0]);
	close(pfd[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	if (out != NULL)
		*out = o;
	else
		free(o);
	if (err != NULL) {
		lseek(efd, 0, SEEK_SET);
		*err = tu_slurp_fd(efd);
	}
	close(efd);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

void
tu_write_all(int fd, const char *p, size_t n)
{
	ssize_t	w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3);
		p += w;
		n -= (size_t)w;
	}
}

int
tu_open_writer(const char *fifo_path)
{
	int	fd, i;

	for (i = 0; i < 3000; i++) {
		if ((fd = open(fifo_path, O_WRONLY | O_NONBLOCK)) != -1) {
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
			return fd;
		}
		if (errno != ENXIO)
			return -1;
		usleep(10000);
	}
	return -1;
}
