/*
 * test_recipes.c - the producer recipes of the README, each run for real
 * against a named FIFO read by `exectop report FIFO`: Python (non-blocking,
 * drops counted, and with no reader it never blocks), shell (jq -c from a
 * JSON log), C (one write() of at most 4 KiB per line, several writers
 * sharing the FIFO), and records from several machines through socat on
 * loopback.  The record counts exectop reports must match what the
 * producers say they sent, with no line rejected.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "tmux.h"

/* Generous bound for a child to reach a state; never a pass criterion. */
#define WAIT_MS 60000

static void
need_cmd(const char *cmd)
{
	char	*c = tu_fmt("command -v %s >/dev/null 2>&1", cmd);

	cr_assert_eq(tu_run(c, NULL, NULL), 0, "%s is not installed: run "
	    ".ci/deps.sh test (it installs the test dependencies)", cmd);
	free(c);
}

/* Starts "sh -c 'exec CMD'" with stdout to out and stderr to err. */
static pid_t
spawn(const char *cmd, const char *out, const char *err)
{
	pid_t	 pid = fork();
	char	*full;

	cr_assert_neq(pid, -1);
	if (pid == 0) {
		if (freopen(out, "w", stdout) == NULL ||
		    freopen(err, "w", stderr) == NULL)
			_exit(127);
		full = tu_fmt("exec %s", cmd);
		execl("/bin/sh", "sh", "-c", full, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Waits for pid to exit (bounded), returns its exit status. */
static int
reap(pid_t pid)
{
	long long	 end = tu_now_ms() + WAIT_MS;
	int		 status;
	pid_t		 r;

	while ((r = waitpid(pid, &status, WNOHANG)) == 0 &&
	    tu_now_ms() < end)
		tu_sleep_ms(10);
	if (r == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		cr_assert_fail("process %d did not finish", (int)pid);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Whether pid holds path open (a descriptor in /proc/pid/fd). */
static bool
holds_open(pid_t pid, const char *path)
{
	char		*dir = tu_fmt("/proc/%d/fd", (int)pid), link[PATH_MAX];
	char		*p;
	DIR		*d;
	struct dirent	*de;
	ssize_t		 n;
	bool		 found = false;

	if ((d = opendir(dir)) != NULL) {
		while (!found && (de = readdir(d)) != NULL) {
			p = tu_fmt("%s/%s", dir, de->d_name);
			n = readlink(p, link, sizeof link - 1);
			if (n > 0) {
				link[n] = '\0';
				found = strcmp(link, path) == 0;
			}
			free(p);
		}
		closedir(d);
	}
	free(dir);
	return found;
}

/* Waits until the monitor has opened every FIFO for reading. */
static void
wait_reader(pid_t pid, const char *const *fifos, size_t n)
{
	long long	end = tu_now_ms() + WAIT_MS;
	size_t		i;

	for (;;) {
		for (i = 0; i < n && holds_open(pid, fifos[i]); i++)
			;
		if (i == n)
			return;
		cr_assert(tu_now_ms() < end, "exectop never opened %s", fifos[i]);
		cr_assert_eq(waitpid(pid, NULL, WNOHANG), 0,
		    "exectop exited before opening %s", fifos[i]);
		tu_sleep_ms(10);
	}
}

/* The JSON report's total_runs and invalid_records. */
static void
report_counts(const char *path, long long *runs, long long *invalid)
{
	json_error_t	 e;
	json_t		*doc = json_load_file(path, 0, &e);

	cr_assert_not_null(doc, "%s: %s", path, e.text);
	*runs = json_integer_value(json_object_get(doc, "total_runs"));
	*invalid = json_integer_value(json_object_get(doc, "invalid_records"));
	json_decref(doc);
}

/* "sent=S dropped=D" from a producer's output. */
static void
producer_counts(const char *path, long *sent, long *dropped)
{
	char	*s = tu_read_file(path, NULL), *p;

	cr_assert_not_null(s);
	cr_assert_not_null(p = strstr(s, "sent="), "%s", s);
	*sent = strtol(p + 5, NULL, 10);
	cr_assert_not_null(p = strstr(s, "dropped="), "%s", s);
	*dropped = strtol(p + 8, NULL, 10);
	free(s);
}

static char *
mkfifo_in(const char *dir, const char *name)
{
	char	*p = tu_fmt("%s/%s", dir, name);

	cr_assert_eq(mkfifo(p, 0600), 0, "mkfifo %s: %s", p, strerror(errno));
	return p;
}

/* Starts `exectop report -o JSON FIFO...` and waits until it reads them. */
static pid_t
start_monitor(const char *dir, const char *const *fifos, size_t n,
    char **json)
{
	char	*cmd, *list = tu_fmt("%s", ""), *t, *o, *e;
	size_t	 i;
	pid_t	 pid;

	for (i = 0; i < n; i++) {
		t = tu_fmt("%s '%s'", list, fifos[i]);
		free(list);
		list = t;
	}
	*json = tu_fmt("%s/report.json", dir);
	o = tu_fmt("%s/monitor.out", dir);
	e = tu_fmt("%s/monitor.err", dir);
	cmd = tu_fmt("'%s' report --fail-on never -o '%s'%s", tu_exectop(),
	    *json, list);
	pid = spawn(cmd, o, e);
	wait_reader(pid, fifos, n);
	free(cmd);
	free(list);
	free(o);
	free(e);
	return pid;
}

static char *
recipe(const char *name)
{
	return tu_fmt("%s/tests/recipes/%s", tu_root(), name);
}

Test(recipes, python_nonblocking_with_a_reader)
{
	char		*dir = tu_tmpdir(), *fifo = mkfifo_in(dir, "exec.fifo");
	char		*json, *out = tu_fmt("%s/py.out", dir), *cmd, *py;
	const char	*fifos[1] = { fifo };
	long long	 runs, invalid;
	long		 sent, dropped;
	pid_t		 mon;

	need_cmd("python3");
	py = recipe("producer.py");
	/* 100 short records fit the pipe buffer: none may be dropped. */
	mon = start_monitor(dir, fifos, 1, &json);
	cmd = tu_fmt("python3 '%s' '%s' 100 > '%s'", py, fifo, out);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	cr_assert_eq(reap(mon), 0);
	producer_counts(out, &sent, &dropped);
	report_counts(json, &runs, &invalid);
	cr_expect_eq(sent, 100);
	cr_expect_eq(dropped, 0);
	cr_expect_eq(runs, 100, "exectop counted %lld runs", runs);
	cr_expect_eq(invalid, 0);
	free(cmd);
	free(json);

	/* 20000 records: whatever the pipe could not take was dropped and
	 * counted, everything sent arrived whole. */
	mon = start_monitor(dir, fifos, 1, &json);
	cmd = tu_fmt("python3 '%s' '%s' 20000 > '%s'", py, fifo, out);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	cr_assert_eq(reap(mon), 0);
	producer_counts(out, &sent, &dropped);
	report_counts(json, &runs, &invalid);
	cr_expect_eq(sent + dropped, 20000);
	cr_expect_gt(sent, 0);
	cr_expect_eq(runs, sent, "exectop counted %lld runs, producer sent %ld",
	    runs, sent);
	cr_expect_eq(invalid, 0);
	fprintf(stderr, "recipes: python 20000 records: sent %ld, dropped %ld\n",
	    sent, dropped);
	free(cmd);
	free(json);
	free(py);
	free(out);
	free(fifo);
	tu_rmtree(dir);
}

Test(recipes, python_never_blocks_without_a_reader)
{
	char	*dir = tu_tmpdir(), *fifo = mkfifo_in(dir, "exec.fifo");
	char	*out = tu_fmt("%s/py.out", dir), *cmd, *py = recipe("producer.py");
	long	 sent, dropped;
	pid_t	 pid;

	need_cmd("python3");
	/* Nobody reads the FIFO: a blocking open would hang forever; the
	 * recipe must finish and count every record as dropped. */
	cmd = tu_fmt("python3 '%s' '%s' 5000", py, fifo);
	pid = spawn(cmd, out, "/dev/null");
	cr_assert_eq(reap(pid), 0, "the producer blocked or failed");
	producer_counts(out, &sent, &dropped);
	cr_expect_eq(sent, 0);
	cr_expect_eq(dropped, 5000);
	free(cmd);
	free(py);
	free(out);
	free(fifo);
	tu_rmtree(dir);
}

Test(recipes, shell_jq_replays_a_json_log)
{
	char		*dir = tu_tmpdir(), *fifo = mkfifo_in(dir, "exec.fifo");
	char		*json, *log = tu_fmt("%s/log.json", dir), *cmd;
	char		*sh = recipe("producer.sh"), *lines = tu_fmt("%s/gen.jsonl", dir);
	const char	*fifos[1] = { fifo };
	long long	 runs, invalid;
	pid_t		 mon;

	need_cmd("jq");
	/* An existing log: a pretty-printed JSON array of 750 records. */
	cmd = tu_fmt("'%s' gen --records 750 --seed 3 > '%s' && "
	    "jq -s . '%s' > '%s'", tu_exectop(), lines, lines, log);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	free(cmd);
	mon = start_monitor(dir, fifos, 1, &json);
	cmd = tu_fmt("sh '%s' '%s' '%s'", sh, log, fifo);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	cr_assert_eq(reap(mon), 0);
	report_counts(json, &runs, &invalid);
	cr_expect_eq(runs, 750, "exectop counted %lld runs", runs);
	cr_expect_eq(invalid, 0);
	free(cmd);
	free(json);

	/* Concatenated objects work too, and stdout into `exectop report -`. */
	cmd = tu_fmt("jq . '%s' > '%s.objs' && sh '%s' '%s.objs' | '%s' report "
	    "--fail-on never - > '%s/stdin.json'", lines, log, sh, log,
	    tu_exectop(), dir);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	json = tu_fmt("%s/stdin.json", dir);
	report_counts(json, &runs, &invalid);
	cr_expect_eq(runs, 750);
	cr_expect_eq(invalid, 0);
	free(cmd);
	free(json);
	free(sh);
	free(log);
	free(lines);
	free(fifo);
	tu_rmtree(dir);
}

Test(recipes, c_single_write_lines_from_several_writers)
{
	char		*dir = tu_tmpdir(), *fifo = mkfifo_in(dir, "exec.fifo");
	char		*json, *bin = tu_fmt("%s/producer", dir), *cmd, *src;
	char		*out[4];
	const char	*fifos[1] = { fifo };
	long long	 runs, invalid;
	long		 sent, dropped, total_sent = 0;
	pid_t		 mon, p[4];
	int		 i;

	src = recipe("producer.c");
	cmd = tu_fmt("cc -std=c11 -Wall -Wextra -Werror -O2 -o '%s' '%s'", bin,
	    src);
	cr_assert_eq(tu_run(cmd, NULL, NULL), 0, "%s", cmd);
	free(cmd);

	/* Four processes write to the same FIFO at once; lines of one
	 * write() each never mix, so nothing may be rejected. */
	mon = start_monitor(dir, fifos, 1, &json);
	for (i = 0; i < 4; i++) {
		out[i] = tu_fmt("%s/c%d.out", dir, i);
		cmd = tu_fmt("'%s' '%s' 3000 writer-%d", bin, fifo, i);
		p[i] = spawn(cmd, out[i], "/dev/null");
		free(cmd);
	}
	for (i = 0; i < 4; i++) {
		cr_assert_eq(reap(p[i]), 0);
		producer_counts(out[i], &sent, &dropped);
		cr_expect_eq(sent + dropped, 3000);
		total_sent += sent;
		free(out[i]);
	}
	cr_assert_eq(reap(mon), 0);
	report_counts(json, &runs, &invalid);
	cr_expect_gt(total_sent, 0);
	cr_expect_eq(runs, total_sent, "exectop counted %lld runs, producers "
	    "sent %ld", runs, total_sent);
	cr_expect_eq(invalid, 0, "%lld lines were torn or mixed", invalid);
	fprintf(stderr, "recipes: C 4 x 3000 records: sent %ld\n", total_sent);
	free(json);
	free(src);
	free(bin);
	free(fifo);
	tu_rmtree(dir);
}

/* A TCP port free on loopback right now. */
static int
free_port(void)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			fd = socket(AF_INET, SOCK_STREAM, 0), port;

	cr_assert_neq(fd, -1);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	cr_assert_eq(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

Test(recipes, several_machines_through_socat_on_loopback)
{
	char		*dir = tu_tmpdir(), *json, *cmd, *log;
	char		*fifo[3];
	const char	*fifos[3];
	long long	 runs, invalid;
	pid_t		 mon, relay[3], sender[3];
	int		 i, port[3];

	need_cmd("socat");
	for (i = 0; i < 3; i++) {
		char *name = tu_fmt("machine%d.fifo", i);

		fifo[i] = mkfifo_in(dir, name);
		fifos[i] = fifo[i];
		free(name);
	}
	/* The monitor: one FIFO per machine, merged by exectop. */
	mon = start_monitor(dir, fifos, 3, &json);
	/* The README's relay, one listener per machine (loopback only). */
	for (i = 0; i < 3; i++) {
		port[i] = free_port();
		log = tu_fmt("%s/relay%d.err", dir, i);
		cmd = tu_fmt("socat -u TCP-LISTEN:%d,bind=127.0.0.1,reuseaddr,fork "
		    "OPEN:'%s'", port[i], fifo[i]);
		relay[i] = spawn(cmd, "/dev/null", log);
		free(cmd);
		free(log);
	}
	/* Each "machine" streams its records (retrying until the relay
	 * listens). */
	for (i = 0; i < 3; i++) {
		log = tu_fmt("%s/sender%d.err", dir, i);
		cmd = tu_fmt("'%s' gen --records %d --seed %d | socat -u - "
		    "TCP:127.0.0.1:%d,retry=600,interval=0.1", tu_exectop(),
		    1000 + 500 * i, i + 1, port[i]);
		sender[i] = spawn(cmd, "/dev/null", log);
		free(cmd);
		free(log);
	}
	for (i = 0; i < 3; i++)
		cr_assert_eq(reap(sender[i]), 0, "sender %d failed", i);
	/* Each FIFO ends when its relay child has written everything and
	 * closed it; then the report is written. */
	cr_assert_eq(reap(mon), 0);
	for (i = 0; i < 3; i++) {
		kill(relay[i], SIGTERM);
		reap(relay[i]);
	}
	report_counts(json, &runs, &invalid);
	cr_expect_eq(runs, 1000 + 1500 + 2000, "exectop counted %lld runs", runs);
	cr_expect_eq(invalid, 0);
	for (i = 0; i < 3; i++)
		free(fifo[i]);
	free(json);
	tu_rmtree(dir);
}
