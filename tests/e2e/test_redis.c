/*
 * test_redis.c - Redis stream sources (issue 15) against a real
 * redis-server started per test (tests/lib/redisserver.c): several
 * producer processes, hostile entries, the server killed and restarted
 * with AOF, exectop suspended and continued, trimming while it was away,
 * a password, and servers that are wrong in every way - never a hang.
 */
#include <criterion/criterion.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "redisserver.h"
#include "testutil.h"
#include "tmux.h"

#define WAIT	30000

static char		*dir;
static struct tmux	 tm;
static struct trs	 rs;
static pid_t		 tui_pid;

static void
setup(void)
{
	cr_assert(trs_available(), "redis-server is needed (.ci/deps.sh test)");
	cr_assert_eq(tu_export_exectop(), 0, "no exectop binary at %s",
	    tu_exectop());
	memset(&tm, 0, sizeof tm);
	memset(&rs, 0, sizeof rs);
	dir = tu_tmpdir();
	tui_pid = -1;
	signal(SIGPIPE, SIG_IGN);
	unsetenv("EXECTOP_REDIS_PASSWORD");
}

static void
teardown(void)
{
	if (tui_pid > 0)
		kill(tui_pid, SIGCONT);
	if (tm.socket != NULL)
		tmux_stop(&tm);
	trs_stop(&rs);
	tu_rmtree(dir);
	free(dir);
}

TestSuite(redis, .init = setup, .fini = teardown, .timeout = 180);

/* exectop report --format json URL | jq FILTER, its output trimmed. */
static int
report_jq(const char *args, const char *filter, char **out, char **err)
{
	char	*cmd, *o = NULL;
	int	 rc;
	size_t	 n;

	cmd = tu_fmt("'%s' report --format json %s > '%s/r.json'", tu_exectop(),
	    args, dir);
	rc = tu_run(cmd, NULL, err);
	free(cmd);
	if (rc != 0 || filter == NULL) {
		*out = NULL;
		return rc;
	}
	cmd = tu_fmt("jq -c '%s' '%s/r.json'", filter, dir);
	cr_assert_eq(tu_run(cmd, &o, NULL), 0);
	free(cmd);
	n = strlen(o);
	while (n > 0 && (o[n - 1] == '\n' || o[n - 1] == ' '))
		o[--n] = '\0';
	*out = o;
	return rc;
}

/* The sum of (first+i).5 for i < n: each record is counted once. */
static double
expect_sum(long first, long n)
{
	return (double)n * ((double)first + 0.5) + (double)n * (double)(n - 1) / 2;
}

Test(redis, report_many_producers_and_hostile_entries)
{
	char	*url, *out, *err, *long_rec;
	pid_t	 pid[4];
	int	 i, st;
	double	 sum;

	cr_assert_eq(trs_start(&rs, false, NULL), 0);
	/* Four producer processes at once. */
	for (i = 0; i < 4; i++) {
		if ((pid[i] = fork()) == 0) {
			char	ex[8];

			snprintf(ex, sizeof ex, "P%d", i);
			_exit(trs_xadd_records(&rs, "runs", 2500, 0, ex, 0) ==
			    0 ? 0 : 1);
		}
	}
	for (i = 0; i < 4; i++) {
		cr_assert_eq(waitpid(pid[i], &st, 0), pid[i]);
		cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	/* Hostile entries: no record field, not JSON, a NUL inside, a
	 * control character in the id (kept, escaped later), too long. */
	cr_assert_geq(trs_cmd(&rs, "XADD runs * other x"), 0);
	cr_assert_geq(trs_cmd(&rs, "XADD runs * record %s", "{not json"), 0);
	cr_assert_geq(trs_cmd(&rs, "XADD runs * record %b", "{\"executor_id\":\"a\0b\"}",
	    (size_t)21), 0);
	cr_assert_geq(trs_cmd(&rs, "XADD runs * record %s",
	    "{\"executor_id\":\"\\u001b[31mred\"}"), 0);
	long_rec = malloc(2 << 20);
	memset(long_rec, ' ', 2 << 20);
	memcpy(long_rec, "{\"executor_id\":\"big\"", 20);
	long_rec[(2 << 20) - 2] = '}';
	long_rec[(2 << 20) - 1] = '\0';
	cr_assert_geq(trs_cmd(&rs, "XADD runs * record %s", long_rec), 0);
	free(long_rec);

	url = trs_url(&rs, "runs");
	cr_assert_eq(report_jq(url, "[.total_runs, .invalid_records.total, "
	    ".invalid_records.no_record_field, .invalid_records.invalid_json, "
	    ".invalid_records.line_too_long]", &out, &err), 0, "%s", err);
	cr_assert_str_eq(out, "[10001,4,1,2,1]", "%s", out);
	free(out);
	free(err);
	cr_assert_eq(report_jq(url, "[.executors[] | select(.executor_id == "
	    "\"P2\") | .runs, .metrics.execution_time_ms.total] | .[0]",
	    &out, &err), 0);
	cr_assert_str_eq(out, "2500");
	free(out);
	free(err);
	/* Every record once: the sum of the distinct times. */
	cr_assert_eq(report_jq(url, ".total_execution_time_ms", &out, &err), 0);
	sum = strtod(out, NULL);
	cr_assert_float_eq(sum, 4 * expect_sum(0, 2500) + 0, 1e-3,
	    "sum %s", out);
	free(out);
	free(err);
	/* Mixed with a file. */
	tu_write_file(tu_fmt("%s/f.jsonl", dir), "{\"executor_id\":\"F\"}\n",
	    20, 0);
	free(url);
	url = tu_fmt("%s/f.jsonl redis://127.0.0.1:%d/runs", dir, rs.port);
	cr_assert_eq(report_jq(url, ".total_runs", &out, &err), 0);
	cr_assert_str_eq(out, "10002");
	free(out);
	free(err);
	free(url);
}

Test(redis, report_stops_at_the_last_entry_at_start)
{
	char	*url, *out, *err;
	pid_t	 p;
	long	 runs;

	cr_assert_eq(trs_start(&rs, false, NULL), 0);
	cr_assert_eq(trs_xadd_records(&rs, "s", 3000, 0, "A", 0), 0);
	/* A producer that goes on while the report runs. */
	if ((p = fork()) == 0) {
		for (;;)
			if (trs_xadd_records(&rs, "s", 100, 0, "B", 0) == -1)
				_exit(0);
	}
	url = trs_url(&rs, "s");
	cr_assert_eq(report_jq(url, ".executors | map(select(.executor_id == "
	    "\"A\")) | .[0].runs", &out, &err), 0, "%s", err);
	cr_assert_str_eq(out, "3000");
	free(out);
	free(err);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);
	runs = trs_cmd(&rs, "XLEN s");
	cr_assert_gt(runs, 3000);
	/* An empty or missing stream: nothing, reported as such. */
	free(url);
	url = trs_url(&rs, "nothing");
	cr_assert_neq(report_jq(url, NULL, &out, &err), 0);
	free(err);
	free(url);
}

/* Starts `exectop ARGS` in tmux (200 columns: the source's status fits). */
static void
start_tui(const char *args)
{
	char	*cmd, *pidf = tu_fmt("%s/pid", dir), *s;

	cmd = tu_fmt("LC_ALL=C.UTF-8 XDG_CONFIG_HOME='%s' sh -c 'echo $$ > pid; "
	    "exec \"%s\" %s 2>err.txt'; echo EXIT=$? > exit.txt", dir,
	    tu_exectop(), args);
	cr_assert_eq(tmux_start(&tm, 200, 40, dir, cmd), 0);
	free(cmd);
	cr_assert(tu_wait_file(pidf, "\n", WAIT));
	s = tu_read_file(pidf, NULL);
	tui_pid = (pid_t)strtol(s, NULL, 10);
	free(s);
	free(pidf);
}

static void
wait_records(long n)
{
	char	*t = tu_fmt(" records %ld ", n);

	cr_assert(tmux_wait_for(&tm, t, WAIT), "never showed%s", t);
	free(t);
}

/* The count stays (nothing counted twice later). */
static void
stays_records(long n)
{
	char	*t = tu_fmt(" records %ld ", n), *scr;

	tu_sleep_ms(1500);
	scr = tmux_capture(&tm);
	cr_assert_not_null(strstr(scr, t), "count moved from%s:\n%s", t, scr);
	free(scr);
	free(t);
}

Test(redis, tui_server_killed_and_restarted_with_aof)
{
	char	*args;

	cr_assert_eq(trs_start(&rs, true, NULL), 0);
	cr_assert_eq(trs_xadd_records(&rs, "s", 500, 0, "A", 0), 0);
	args = tu_fmt("--from-start redis://127.0.0.1:%d/s", rs.port);
	start_tui(args);
	free(args);
	wait_records(500);
	cr_assert(tmux_wait_for(&tm, "[connected]", WAIT));
	cr_assert_eq(trs_xadd_records(&rs, "s", 500, 500, "A", 0), 0);
	wait_records(1000);
	trs_kill(&rs);
	cr_assert(tmux_wait_for(&tm, "reconnecting in", WAIT));
	cr_assert_eq(trs_restart(&rs), 0);
	cr_assert_eq(trs_cmd(&rs, "XLEN s"), 1000, "AOF kept the stream");
	cr_assert_eq(trs_xadd_records(&rs, "s", 1000, 1000, "A", 0), 0);
	wait_records(2000);
	cr_assert(tmux_wait_for(&tm, "[connected]", WAIT));
	stays_records(2000);
	/* Again, while a producer writes. */
	trs_kill(&rs);
	cr_assert_eq(trs_restart(&rs), 0);
	cr_assert_eq(trs_xadd_records(&rs, "s", 3000, 2000, "A", 0), 0);
	wait_records(5000);
	stays_records(5000);
	cr_assert_eq(tmux_keys(&tm, "q"), 0);
	cr_assert(tu_wait_file(tu_fmt("%s/exit.txt", dir), "EXIT=0", WAIT));
}

Test(redis, tui_live_starts_after_the_last_entry)
{
	char	*args;

	cr_assert_eq(trs_start(&rs, false, NULL), 0);
	cr_assert_eq(trs_xadd_records(&rs, "s", 300, 0, "OLD", 0), 0);
	args = tu_fmt("redis://127.0.0.1:%d/s", rs.port);
	start_tui(args);
	free(args);
	cr_assert(tmux_wait_for(&tm, "[connected]", WAIT));
	cr_assert_eq(trs_xadd_records(&rs, "s", 7, 0, "NEW", 0), 0);
	wait_records(7);
	stays_records(7);
}

/* Records read plus entries reported lost is every entry written (one
 * entry may have reached exectop before it stopped). */
static bool
read_plus_lost(const char *scr, void *arg)
{
	const char	*p = strstr(scr, " records "), *q;
	long		 rec, lost;

	(void)arg;
	if (p == NULL || (q = strstr(scr, " entries lost (trimmed")) == NULL)
		return false;
	rec = strtol(p + 9, NULL, 10);
	while (q > scr && q[-1] >= '0' && q[-1] <= '9')
		q--;
	lost = strtol(q, NULL, 10);
	return lost >= 1800 && rec + lost == 7100;
}

Test(redis, tui_stopped_catches_up_and_reports_trim)
{
	char	*args, *scr;

	cr_assert_eq(trs_start(&rs, false, NULL), 0);
	args = tu_fmt("redis://127.0.0.1:%d/s", rs.port);
	start_tui(args);
	free(args);
	cr_assert(tmux_wait_for(&tm, "[connected]", WAIT));
	cr_assert_eq(trs_xadd_records(&rs, "s", 100, 0, "A", 0), 0);
	wait_records(100);
	/* Stopped while producers go on: caught up without loss. */
	cr_assert_eq(kill(tui_pid, SIGSTOP), 0);
	cr_assert_eq(trs_xadd_records(&rs, "s", 5000, 100, "A", 0), 0);
	cr_assert_eq(kill(tui_pid, SIGCONT), 0);
	wait_records(5100);
	stays_records(5100);
	scr = tmux_capture(&tm);
	cr_assert_null(strstr(scr, "lost"), "%s", scr);
	free(scr);
	/* Stopped while the stream is trimmed past us: said, counted. */
	cr_assert_eq(kill(tui_pid, SIGSTOP), 0);
	cr_assert_eq(trs_xadd_records(&rs, "s", 2000, 5100, "A", 100), 0);
	cr_assert_eq(trs_cmd(&rs, "XLEN s"), 100);
	cr_assert_eq(kill(tui_pid, SIGCONT), 0);
	cr_assert(tmux_wait_until(&tm, read_plus_lost, NULL, WAIT));
}

Test(redis, password)
{
	char	*url, *out, *err, *args;

	cr_assert_eq(trs_start(&rs, false, "s3cret"), 0);
	cr_assert_eq(trs_xadd_records(&rs, "s", 10, 0, "A", 0), 0);
	url = tu_fmt("redis://127.0.0.1:%d/s", rs.port);
	cr_assert_eq(report_jq(url, NULL, &out, &err), 2);
	cr_assert_not_null(strstr(err, "NOAUTH"), "%s", err);
	free(err);
	free(url);
	url = tu_fmt("redis://:wrong@127.0.0.1:%d/s", rs.port);
	cr_assert_eq(report_jq(url, NULL, &out, &err), 2);
	cr_assert_not_null(strstr(err, "authentication failed"), "%s", err);
	cr_assert_null(strstr(err, "wrong"), "password shown: %s", err);
	free(err);
	free(url);
	url = tu_fmt("'redis://default:s3cret@127.0.0.1:%d/s?from-start'",
	    rs.port);
	cr_assert_eq(report_jq(url, ".total_runs", &out, &err), 0, "%s", err);
	cr_assert_str_eq(out, "10");
	free(out);
	free(err);
	/* The password stays out of the report. */
	cr_assert_eq(report_jq(url, ".sources", &out, &err), 0, "%s", err);
	cr_assert_not_null(strstr(out, "redis://default:***@"), "%s", out);
	cr_assert_null(strstr(out, "s3cret"), "%s", out);
	free(out);
	free(err);
	free(url);
	setenv("EXECTOP_REDIS_PASSWORD", "s3cret", 1);
	url = tu_fmt("redis://127.0.0.1:%d/s", rs.port);
	cr_assert_eq(report_jq(url, ".total_runs", &out, &err), 0, "%s", err);
	cr_assert_str_eq(out, "10");
	free(out);
	free(err);
	free(url);
	unsetenv("EXECTOP_REDIS_PASSWORD");
	/* The TUI shows it in the header and keeps trying. */
	args = tu_fmt("redis://:nope@127.0.0.1:%d/s", rs.port);
	start_tui(args);
	free(args);
	cr_assert(tmux_wait_for(&tm, "authentication failed", WAIT));
	cr_assert(tmux_wait_for(&tm, "reconnecting in", WAIT));
	cr_assert(tmux_wait_for(&tm, "redis://:***@", WAIT));
}

/* A listener that writes reply (or nothing) to whoever connects. */
static pid_t
fake_server(int *port, const char *reply)
{
	struct sockaddr_in	sa;
	socklen_t		len = sizeof sa;
	int			fd, c;
	pid_t			p;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	cr_assert_eq(listen(fd, 8), 0);
	getsockname(fd, (struct sockaddr *)&sa, &len);
	*port = ntohs(sa.sin_port);
	if ((p = fork()) == 0) {
		for (;;) {
			if ((c = accept(fd, NULL, NULL)) == -1)
				continue;
			if (reply != NULL && write(c, reply, strlen(reply)) < 0)
				_exit(1);
			/* Keep it open: a silent server must time out. */
			if (fork() == 0) {
				sleep(30);
				_exit(0);
			}
			close(c);
		}
	}
	close(fd);
	return p;
}

Test(redis, wrong_servers_fail_clearly_never_hang)
{
	char		*url, *out, *err;
	int		 port;
	pid_t		 p;
	long long	 t0;

	cr_assert_eq(trs_start(&rs, false, NULL), 0);
	cr_assert_geq(trs_cmd(&rs, "SET str x"), 0);
	url = trs_url(&rs, "str");
	cr_assert_eq(report_jq(url, NULL, &out, &err), 2);
	cr_assert_not_null(strstr(err, "is a string, not a stream"), "%s", err);
	free(err);
	free(url);

	p = fake_server(&port, "HTTP/1.0 400 Bad Request\r\n\r\n");
	url = tu_fmt("redis://127.0.0.1:%d/s", port);
	cr_assert_eq(report_jq(url, NULL, &out, &err), 2);
	cr_assert_not_null(strstr(err, "not a Redis server"), "%s", err);
	free(err);
	free(url);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);

	p = fake_server(&port, NULL);
	url = tu_fmt("redis://127.0.0.1:%d/s", port);
	t0 = tu_now_ms();
	cr_assert_eq(report_jq(url, NULL, &out, &err), 2);
	cr_assert_lt(tu_now_ms() - t0, 20000);
	cr_assert_not_null(strstr(err, "no reply within"), "%s", err);
	free(err);
	free(url);
	kill(p, SIGKILL);
	waitpid(p, NULL, 0);

	cr_assert_eq(report_jq("redis://no-such-host.invalid/s", NULL, &out,
	    &err), 2);
	cr_assert_not_null(strstr(err, "cannot connect"), "%s", err);
	free(err);
	cr_assert_eq(report_jq("redis://127.0.0.1:99999/s", NULL, &out,
	    &err), 2);
	cr_assert_not_null(strstr(err, "not a Redis stream URL"), "%s", err);
	free(err);
	cr_assert_eq(report_jq("'redis://127.0.0.1/s?bogus'", NULL, &out,
	    &err), 2);
	cr_assert_not_null(strstr(err, "unknown parameter"), "%s", err);
	free(err);
}
