/*
 * bench.c - exectop's benchmarks (`make bench`).  Not a test: nothing
 * here asserts on time.  It generates its inputs with `exectop gen`, runs
 * each scenario, and prints one table with each figure beside its target,
 * plus the command and the machine it ran on.  The same table is written
 * to OUTDIR/results.md (the Makefile copies it to tests/bench/results.md).
 *
 * Scenarios:
 *   throughput  a bare jansson parse (the yardstick), `report -j 1` and
 *               `report -j 2` on the same file, median of RUNS runs
 *   memory      peak RSS of `report` after 2M records over 1,000 and
 *               10,000 executors, and after 10x fewer records
 *   flood       the TUI opening a 1M-record file in a pseudo-terminal of
 *               our own: frames per second and the progress indicator
 *               while it catches up, then keys sent every 150 ms and the
 *               time each took to be handled
 *   live        the TUI in tmux on a FIFO fed 2,000 records/s: its CPU
 *               from /proc/PID/stat over 10 s, then 10 s with no input
 *   latency     1,000 records at 200 records/s into a FIFO: the time
 *               from each record's write to its effect on the model
 *   frame       tests/bench/frame.c: the frame function on 10,000
 *               executors
 * The TUI's figures come from its bench hook: EXECTOP_BENCH_LOG=FILE
 * makes it log frames, keys, catch-up and write-to-model latency (see
 * src/tui/benchlog.c).  The machine is often a shared VM: right before
 * each parallel scenario, two busy threads are timed against one, and the
 * row says how much of the second core there was.
 *
 * usage: bench EXECTOP BARE_PARSE FRAME OUTDIR [quick]
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *exectop, *bare, *frame_bin, *outdir;
static FILE *md;
static int quick;
static int runs;		/* of each throughput figure */
static double report_j2_rate;	/* records/s, for the flood's comparison */
static double bare_rate;	/* records/s, for the live CPU's context */

struct result {
	double	wall;		/* seconds */
	double	cpu;		/* user + system seconds */
	long	maxrss_kb;
	int	status;
};

/* CLOCK_MONOTONIC, the clock of the TUI's bench log too. */
static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
sleep_s(double s)
{
	struct timespec	ts;

	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Runs "sh -c cmd" with stdout to /dev/null; measures the child. */
static struct result
run(const char *cmd)
{
	struct result	r = { 0 };
	struct rusage	ru;
	double		t0 = now();
	pid_t		pid;
	int		status, fd;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, STDOUT_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) == -1 && errno == EINTR)
		;
	r.wall = now() - t0;
	r.cpu = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
	r.maxrss_kb = ru.ru_maxrss;
	r.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
	if (r.status != 0)
		fprintf(stderr, "bench: '%s' exited %d\n", cmd, r.status);
	return r;
}

static int
cmp_double(const void *a, const void *b)
{
	double	x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Quantile q of n values (sorted in place), by nearest rank. */
static double
quantile(double *v, size_t n, double q)
{
	size_t	i;

	if (n == 0)
		return NAN;
	qsort(v, n, sizeof *v, cmp_double);
	i = (size_t)ceil(q * (double)n);
	return v[i > 0 ? i - 1 : 0];
}

/* Median wall time (and the max RSS) of `runs` runs. */
static struct result
median_run(const char *cmd)
{
	struct result	r[9], out;
	double		w[9];
	int		i;

	for (i = 0; i < runs; i++) {
		r[i] = run(cmd);
		w[i] = r[i].wall;
	}
	qsort(w, (size_t)runs, sizeof *w, cmp_double);
	out = r[0];
	out.wall = w[runs / 2];
	for (i = 1; i < runs; i++)
		if (r[i].maxrss_kb > out.maxrss_kb)
			out.maxrss_kb = r[i].maxrss_kb;
	return out;
}

static char *
fmt(const char *f, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) == -1)
		abort();
	va_end(ap);
	return s;
}

/* One row of the table, to stdout and results.md.  The strings passed
 * are freed. */
static void
row(char *what, char *value, char *target, const char *verdict)
{
	printf("| %-62s | %-30s | %-18s | %-4s |\n", what, value, target,
	    verdict);
	fprintf(md, "| %s | %s | %s | %s |\n", what, value, target, verdict);
	fflush(stdout);
	fflush(md);
	free(what);
	free(value);
	free(target);
}

static void
gen(const char *path, const char *args)
{
	char		*cmd;
	struct stat	 st;

	if (stat(path, &st) == 0)
		return;		/* kept from an earlier run */
	cmd = fmt("'%s' gen %s > '%s.tmp' && mv '%s.tmp' '%s'", exectop, args,
	    path, path, path);
	if (run(cmd).status != 0)
		exit(1);
	free(cmd);
}

/* A busy loop, to see how much of the second core we really get. */
static void *
spin(void *arg)
{
	volatile double	x = 0;
	long		i;

	for (i = 0; i < 150000000; i++)
		x += (double)i * 0.5;
	return arg;
}

static double
spin_time(int threads)
{
	pthread_t	t[2];
	double		t0 = now();
	int		i;

	for (i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, spin, NULL);
	for (i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	return now() - t0;
}

static void
machine(void)
{
	FILE	*f = fopen("/proc/cpuinfo", "r");
	char	 line[256], model[200] = "unknown";

	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		if (strncmp(line, "model name", 10) == 0) {
			snprintf(model, sizeof model, "%s", strchr(line, ':') + 2);
			model[strcspn(model, "\n")] = '\0';
			break;
		}
	}
	if (f != NULL)
		fclose(f);
	printf("machine: %ld cores (nproc), %s; command: make bench%s\n",
	    sysconf(_SC_NPROCESSORS_ONLN), model, quick ? " BENCH=quick" : "");
	fprintf(md, "Command: `make bench%s`. Machine: %ld cores (`nproc`), "
	    "%s. Throughput figures are the median of %d runs; the TUI's "
	    "come from its bench hook (`EXECTOP_BENCH_LOG`, see "
	    "`src/tui/benchlog.c`).\n\n", quick ? " BENCH=quick" : "",
	    sysconf(_SC_NPROCESSORS_ONLN), model, runs);
	fprintf(md, "| scenario | measured | target | |\n"
	    "| --- | --- | --- | --- |\n");
	printf("| %-62s | %-30s | %-18s | %-4s |\n", "scenario", "measured",
	    "target", "");
}

/* A shared VM may give us less than two cores, and not always the same:
 * how much two busy threads get done against one, right now. */
static double
capacity(void)
{
	double	one = spin_time(1);

	return 2 * one / spin_time(2);
}

static void
throughput(const char *file, unsigned long records)
{
	char		*cmd;
	struct result	 rb, r1, r2;
	double		 over, speed, cores = capacity();

	cmd = fmt("'%s' '%s'", bare, file);
	rb = median_run(cmd);
	free(cmd);
	cmd = fmt("'%s' report -j 1 '%s'", exectop, file);
	r1 = median_run(cmd);
	free(cmd);
	cmd = fmt("'%s' report -j 2 '%s'", exectop, file);
	r2 = median_run(cmd);
	free(cmd);

	bare_rate = records / rb.wall;
	report_j2_rate = records / r2.wall;
	row(fmt("bare jansson parse, 1 thread, %luk records (yardstick)",
	    records / 1000), fmt("%.0f rec/s", bare_rate), fmt("-"), "");
	over = (r1.wall / rb.wall - 1) * 100;
	row(fmt("report -j 1: aggregation over the bare parse"),
	    fmt("%.0f rec/s (%+.1f%%)", records / r1.wall, over),
	    fmt("<= +10%%"), over <= 10 ? "met" : "MISS");
	speed = r1.wall / r2.wall;
	row(fmt("report -j 2: speed-up over -j 1 (2 busy threads got %.2fx "
	    "before)", cores), fmt("%.0f rec/s (%.2fx)", report_j2_rate, speed),
	    fmt(">= 1.8x"), speed >= 1.8 ? "met" : "MISS");
}

static void
memory(unsigned executors, double limit_mb)
{
	char		*big = fmt("%s/mem-%u-2M.jsonl", outdir, executors);
	char		*small = fmt("%s/mem-%u-200k.jsonl", outdir, executors);
	char		*args, *cmd;
	struct result	 rbig, rsmall;
	double		 diff;

	args = fmt("--records 2000000 --executors %u --methods 5", executors);
	gen(big, args);
	free(args);
	args = fmt("--records 200000 --executors %u --methods 5", executors);
	gen(small, args);
	free(args);
	cmd = fmt("'%s' report -j 2 '%s'", exectop, big);
	rbig = run(cmd);
	free(cmd);
	cmd = fmt("'%s' report -j 2 '%s'", exectop, small);
	rsmall = run(cmd);
	free(cmd);
	row(fmt("peak RSS, 2M records, %u executors x 5 methods", executors),
	    fmt("%.1f MB", rbig.maxrss_kb / 1024.0), fmt("<= %.2f MB", limit_mb),
	    rbig.maxrss_kb / 1024.0 <= limit_mb ? "met" : "MISS");
	diff = (double)rbig.maxrss_kb / (double)rsmall.maxrss_kb - 1;
	row(fmt("peak RSS, 200k records, %u executors (vs 2M)", executors),
	    fmt("%.1f MB (%+.1f%%)", rsmall.maxrss_kb / 1024.0, -diff * 100),
	    fmt("within 10%%"), diff <= 0.10 && diff >= -0.10 ? "met" : "MISS");
	unlink(big);	/* 1.4 GB each: do not keep */
	free(big);
	free(small);
}

/* ------------------------------------------------------------------ */
/* The TUI's bench log (src/tui/benchlog.c). */

struct tlog {
	double		*frame;		/* f: seconds (monotonic) */
	size_t		 nframe;
	double		*key;		/* k */
	size_t		 nkey;
	double		*lat;		/* l: milliseconds */
	size_t		 nlat;
	uint64_t	 lat_records;	/* runs the l lines stand for */
	double		 catchup;	/* c: when, 0 if none */
	uint64_t	 catchup_records;
};

static void
push(double **v, size_t *n, double x)
{
	if (*n == 0 || (*n >= 64 && (*n & (*n - 1)) == 0))
		*v = realloc(*v, (*n ? *n * 2 : 64) * sizeof **v);
	(*v)[(*n)++] = x;
}

static void
tlog_free(struct tlog *l)
{
	free(l->frame);
	free(l->key);
	free(l->lat);
	memset(l, 0, sizeof *l);
}

static void
tlog_read(const char *path, struct tlog *l)
{
	FILE			*f = fopen(path, "r");
	char			 line[256];
	unsigned long long	 a, b;
	double			 x;

	memset(l, 0, sizeof *l);
	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "f %llu", &a) == 1)
			push(&l->frame, &l->nframe, a / 1e6);
		else if (sscanf(line, "k %llu", &a) == 1)
			push(&l->key, &l->nkey, a / 1e6);
		else if (sscanf(line, "l %lf %llu", &x, &b) == 2) {
			push(&l->lat, &l->nlat, x / 1e3);
			l->lat_records += b;
		} else if (sscanf(line, "c %llu %llu", &a, &b) == 2) {
			l->catchup = a / 1e6;
			l->catchup_records = b;
		}
	}
	if (f != NULL)
		fclose(f);
}

/* Whether the log already has a finished catch-up. */
static int
tlog_catchup_done(const char *path)
{
	struct tlog	l;
	int		done;

	tlog_read(path, &l);
	done = l.catchup > 0;
	tlog_free(&l);
	return done;
}

/* ------------------------------------------------------------------ */
/* flood: the TUI catching up a big file, in a pty we drive ourselves. */

static void
flood(const char *file, unsigned long records)
{
	char		*log = fmt("%s/flood.log", outdir), buf[65536];
	char		 tail[64] = "", *hay;
	const char	 keys[2] = { 'j', 'k' };
	struct winsize	 ws = { .ws_row = 40, .ws_col = 160 };
	struct pollfd	 pfd;
	struct tlog	 l;
	double		*sent = NULL, *lat = NULL, keys_from, next_key, t0, key_gap;
	double		 next_check = 0, deadline, t, a_end, fps, gap, cores;
	double		*gaps = NULL;
	size_t		 nsent = 0, nlat = 0, ngaps = 0, i;
	ssize_t		 n;
	pid_t		 pid;
	int		 mfd, status, done = 0, progress = 0;

	unlink(log);
	cores = capacity();
	t0 = now();
	pid = forkpty(&mfd, NULL, NULL, &ws);
	if (pid == -1) {
		perror("forkpty");
		return;
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		setenv("EXECTOP_BENCH_LOG", log, 1);
		execl(exectop, "exectop", "--no-mouse", file, (char *)NULL);
		_exit(127);
	}
	/* Frames only first, then a key every 150 ms until it is done; a
	 * catch-up expected to take under 12 s (at report -j 2's rate) gets
	 * its keys from 40% of that time on, every 50 ms, or none would be
	 * sent before it ends. */
	keys_from = t0 + (quick ? 2.5 : 5.0);
	key_gap = 0.150;
	if (report_j2_rate > 0 && (double)records / report_j2_rate < 12) {
		keys_from = t0 + 0.4 * (double)records / report_j2_rate;
		key_gap = 0.050;
	}
	next_key = keys_from;
	deadline = t0 + 600;
	while (!done && now() < deadline) {
		pfd.fd = mfd;
		pfd.events = POLLIN;
		poll(&pfd, 1, 10);
		if (pfd.revents & POLLIN) {
			if ((n = read(mfd, buf, sizeof buf - 1)) <= 0)
				break;
			buf[n] = '\0';
			if (!progress) {
				hay = fmt("%s%s", tail, buf);
				progress = strstr(hay, "catching up") != NULL;
				free(hay);
				/* The text may be cut between reads. */
				i = n > 20 ? 20 : (size_t)n;
				memcpy(tail, buf + n - i, i);
				tail[i] = '\0';
			}
		} else if (pfd.revents & (POLLHUP | POLLERR))
			break;
		t = now();
		if (t >= next_key) {
			if (write(mfd, &keys[nsent % 2], 1) == 1)
				push(&sent, &nsent, now());
			next_key += key_gap;
		}
		if (t >= next_check) {
			done = tlog_catchup_done(log);
			next_check = t + 0.1;
		}
	}
	n = write(mfd, "q", 1);
	deadline = now() + 10;
	while (now() < deadline) {
		pfd.fd = mfd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 100) > 0 && read(mfd, buf, sizeof buf) <= 0)
			break;
	}
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGTERM);
		waitpid(pid, &status, 0);
	}
	close(mfd);

	tlog_read(log, &l);
	if (l.catchup == 0) {
		row(fmt("flood: TUI catch-up of %luk records", records / 1000),
		    fmt("did not finish"), fmt("-"), "MISS");
		goto out;
	}
	/* Frames while catching up, before any key (keys draw too): the
	 * rate from the median gap between frames, and the longest gap. */
	a_end = keys_from < l.catchup ? keys_from : l.catchup;
	for (i = 1; i < l.nframe && l.frame[i] <= a_end; i++)
		push(&gaps, &ngaps, l.frame[i] - l.frame[i - 1]);
	gap = quantile(gaps, ngaps, 1);
	fps = 1 / quantile(gaps, ngaps, 0.5);
	/* Each key handled, against when it was sent (the last is q). */
	for (i = 0; i < nsent && i < l.nkey; i++)
		push(&lat, &nlat, (l.key[i] - sent[i]) * 1e3);

	row(fmt("flood: TUI catch-up of %luk records (report -j 2: %.0f rec/s; "
	    "2 busy threads got %.2fx before)", records / 1000, report_j2_rate,
	    cores), fmt("%.0f rec/s",
	    (double)l.catchup_records / (l.catchup - t0)),
	    fmt(">= 187515 rec/s (3x 62505, issue 10)"),
	    (double)l.catchup_records / (l.catchup - t0) >= 187515 ? "met" :
	    "MISS");
	row(fmt("flood: frames/s while catching up (%zu frames; longest gap)",
	    ngaps + 1), fmt("%.2f/s (%.0f ms)", fps, gap * 1e3), fmt(">= 4/s"),
	    ngaps > 0 && fps >= 4 - 0.005 ? "met" : "MISS");
	row(fmt("flood: progress in the header (records, bytes, rate, %%)"),
	    fmt(progress ? "shown" : "not seen"), fmt("shown"),
	    progress ? "met" : "MISS");
	if (nlat == 0 || l.nkey != nsent + 1)
		row(fmt("flood: key handling latency"), fmt("%zu keys sent, "
		    "%zu handled", nsent, l.nkey), fmt("<= 100 ms"), "MISS");
	else {
		double	p50 = quantile(lat, nlat, 0.5), p99 = quantile(lat, nlat,
			    0.99), max = quantile(lat, nlat, 1);

		row(fmt("flood: key handling latency, p50 / p99 / max (%zu keys)",
		    nlat), fmt("%.1f / %.1f / %.1f ms", p50, p99, max),
		    fmt("<= 100 ms"), p99 <= 100 ? "met" : "MISS");
	}
out:
	tlog_free(&l);
	free(sent);
	free(lat);
	free(gaps);
	free(log);
}

/* ------------------------------------------------------------------ */
/* live and latency: the TUI in tmux on a FIFO. */

struct session {
	char	*sock;
	char	*fifo;
	char	*pidfile;
	pid_t	 pid;		/* exectop inside tmux */
};

/* tmux -L SOCK -f /dev/null ARGS... (NULL-terminated); its status. */
static int
tmux_cmd(const struct session *s, ...)
{
	const char	*argv[16];
	va_list		 ap;
	pid_t		 pid;
	int		 n = 0, status, fd;

	argv[n++] = "tmux";
	argv[n++] = "-L";
	argv[n++] = s->sock;
	argv[n++] = "-f";
	argv[n++] = "/dev/null";
	va_start(ap, s);
	while (n < 15 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	if ((pid = fork()) == 0) {
		fd = open("/dev/null", O_RDWR);
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);	/* "no server running" after q */
		execvp("tmux", (char *const *)argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* Starts exectop (env: extra variables) on a new FIFO in tmux. */
static int
session_start(struct session *s, const char *name, const char *env)
{
	char	*cmd;
	FILE	*f;
	double	 deadline;
	long	 pid = 0;
	int	 rc;

	memset(s, 0, sizeof *s);
	s->sock = fmt("exectop-bench-%ld-%s", (long)getpid(), name);
	s->fifo = fmt("%s/%s.fifo", outdir, name);
	s->pidfile = fmt("%s/%s.pid", outdir, name);
	unlink(s->fifo);
	unlink(s->pidfile);
	if (mkfifo(s->fifo, 0600) == -1)
		return -1;
	/* tmux runs it with sh -c: $$ is the shell that execs exectop. */
	cmd = fmt("echo $$ > '%s'; exec env %s LC_ALL=C.UTF-8 '%s' "
	    "--no-mouse '%s'", s->pidfile, env, exectop, s->fifo);
	rc = tmux_cmd(s, "new-session", "-d", "-x", "160", "-y", "40", cmd,
	    (char *)NULL);
	free(cmd);
	if (rc != 0)
		return -1;
	for (deadline = now() + 10; now() < deadline && pid == 0; ) {
		if ((f = fopen(s->pidfile, "r")) != NULL) {
			if (fscanf(f, "%ld", &pid) != 1)
				pid = 0;
			fclose(f);
		}
		if (pid == 0)
			sleep_s(0.05);
	}
	s->pid = (pid_t)pid;
	sleep_s(0.5);		/* its first frame */
	return pid > 0 ? 0 : -1;
}

static void
session_stop(struct session *s)
{
	tmux_cmd(s, "send-keys", "q", (char *)NULL);
	sleep_s(0.3);
	tmux_cmd(s, "kill-server", (char *)NULL);
	unlink(s->fifo);
	unlink(s->pidfile);
	free(s->sock);
	free(s->fifo);
	free(s->pidfile);
}

/* `exectop gen ARGS > fifo` in the background; its pid. */
static pid_t
producer(const struct session *s, const char *args)
{
	char	*cmd = fmt("exec '%s' gen %s > '%s'", exectop, args, s->fifo);
	pid_t	 pid;
	int	 fd;

	if ((pid = fork()) == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, STDERR_FILENO);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	free(cmd);
	return pid;
}

/* utime + stime of a process, in seconds. */
static double
cpu_seconds(pid_t pid)
{
	char			*path = fmt("/proc/%ld/stat", (long)pid), buf[1024];
	char			*p;
	unsigned long		 ut = 0, st = 0;
	FILE			*f = fopen(path, "r");
	size_t			 n = 0;

	free(path);
	if (f != NULL) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	/* Fields after "(comm)": state is field 3; utime 14, stime 15. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu",
	    &ut, &st) != 2)
		return NAN;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The "records N" of the header, -1 when not found. */
static long long
screen_records(const struct session *s)
{
	char		*cmd = fmt("tmux -L '%s' capture-pane -p", s->sock);
	char		 line[512], *p;
	long long	 n = -1;
	FILE		*f = popen(cmd, "r");

	free(cmd);
	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		if (n < 0 && (p = strstr(line, " records ")) != NULL)
			n = strtoll(p + 9, NULL, 10);
	}
	if (f != NULL)
		pclose(f);
	return n;
}

static void
live(void)
{
	struct session	 s;
	pid_t		 gen_pid;
	double		 c0, c1, t0, t1, busy, idle, rate, seconds = 10;
	long long	 n0, n1;
	int		 status;

	if (session_start(&s, "live", "") == -1) {
		row(fmt("live: CPU at 2,000 records/s"), fmt("tmux failed"),
		    fmt("<= 2%%"), "MISS");
		return;
	}
	gen_pid = producer(&s, "--rate 2000 --records 0 --executors 10");
	sleep_s(2);
	n0 = screen_records(&s);
	c0 = cpu_seconds(s.pid);
	t0 = now();
	sleep_s(seconds);
	c1 = cpu_seconds(s.pid);
	t1 = now();
	n1 = screen_records(&s);
	busy = (c1 - c0) / (t1 - t0) * 100;
	rate = (double)(n1 - n0) / (t1 - t0);
	kill(gen_pid, SIGTERM);
	waitpid(gen_pid, &status, 0);

	sleep_s(2);
	c0 = cpu_seconds(s.pid);
	t0 = now();
	sleep_s(seconds);
	c1 = cpu_seconds(s.pid);
	t1 = now();
	idle = (c1 - c0) / (t1 - t0) * 100;
	session_stop(&s);

	row(fmt("live: CPU of one core at %.0f records/s into a FIFO, 10 s "
	    "(jansson alone: %.1f%%)", rate, rate / bare_rate * 100),
	    fmt("%.1f%%", busy), fmt("<= 2%% (issue 10)"), busy <= 2 ? "met" :
	    "MISS");
	row(fmt("live: CPU of one core with no input, 10 s"),
	    fmt("%.2f%%", idle), fmt("<= 0.5%%"), idle <= 0.5 ? "met" : "MISS");
}

static void
latency(void)
{
	struct session	 s;
	struct tlog	 l;
	char		*log = fmt("%s/latency.log", outdir), *env;
	double		 deadline, p50, p99;
	pid_t		 gen_pid;
	int		 status;

	unlink(log);
	env = fmt("EXECTOP_BENCH_LOG='%s'", log);
	if (session_start(&s, "latency", env) == -1) {
		row(fmt("latency: write to model"), fmt("tmux failed"),
		    fmt("<= 250 ms"), "MISS");
		free(env);
		free(log);
		return;
	}
	free(env);
	gen_pid = producer(&s, "--rate 200 --records 1000 --executors 10");
	waitpid(gen_pid, &status, 0);
	for (deadline = now() + 10; now() < deadline; sleep_s(0.1)) {
		tlog_read(log, &l);
		if (l.lat_records >= 1000)
			break;
		tlog_free(&l);
	}
	session_stop(&s);
	tlog_read(log, &l);
	p50 = quantile(l.lat, l.nlat, 0.5);
	p99 = quantile(l.lat, l.nlat, 0.99);
	row(fmt("latency: write to model, p50 / p99 (%llu records at 200/s)",
	    (unsigned long long)l.lat_records), fmt("%.1f / %.1f ms", p50, p99),
	    fmt("p99 <= 250 ms"), l.lat_records >= 1000 && p99 <= 250 ?
	    "met" : "MISS");
	tlog_free(&l);
	free(log);
}

/* ------------------------------------------------------------------ */

static void
frame(unsigned executors)
{
	char	*cmd = fmt("'%s' %u %d %d", frame_bin, executors,
		    quick ? 50 : 200, quick ? 5 : 20);
	char	 line[256];
	double	 f50 = NAN, f99 = NAN, r50 = NAN, r99 = NAN, a, b;
	FILE	*f = popen(cmd, "r");

	while (f != NULL && fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "frame_ms %lf %lf", &a, &b) == 2) {
			f50 = a;
			f99 = b;
		} else if (sscanf(line, "refresh_ms %lf %lf", &a, &b) == 2) {
			r50 = a;
			r99 = b;
		}
	}
	if (f != NULL)
		pclose(f);
	free(cmd);
	row(fmt("frame: %u executors, sorted by score, filtered, drawn; "
	    "p50 / p99", executors), fmt("%.2f / %.2f ms", f50, f99),
	    fmt("<= 5 ms"), f99 <= 5 ? "met" : "MISS");
	row(fmt("refresh with new records: analysis + copy + frame, %u "
	    "executors; p50 / p99", executors), fmt("%.0f / %.0f ms", r50, r99),
	    fmt("p99 <= 20 ms (issue 10)"), r99 <= 20 ? "met" : "MISS");
}

int
main(int argc, char **argv)
{
	char		*path, *big, *mid, *cmd;
	unsigned long	 nbig, nmid;
	double		 t0 = now();

	if (argc < 5) {
		fprintf(stderr, "usage: bench EXECTOP BARE_PARSE FRAME OUTDIR "
		    "[quick]\n");
		return 2;
	}
	exectop = argv[1];
	bare = argv[2];
	frame_bin = argv[3];
	outdir = argv[4];
	quick = argc > 5 && strcmp(argv[5], "quick") == 0;
	runs = quick ? 1 : 3;
	signal(SIGPIPE, SIG_IGN);
	mkdir(outdir, 0755);
	path = fmt("%s/results.md", outdir);
	if ((md = fopen(path, "w")) == NULL) {
		perror(path);
		return 2;
	}
	fprintf(md, "# exectop benchmark results\n\n");
	machine();

	/* The flood's file, and the throughput's: its first half. */
	nbig = quick ? 300000 : 1000000;
	nmid = nbig / 2;
	big = fmt("%s/flood-%lu.jsonl", outdir, nbig);
	mid = fmt("%s/tput-%lu.jsonl", outdir, nmid);
	cmd = fmt("--records %lu --executors 100 --methods 3", nbig);
	gen(big, cmd);
	free(cmd);
	cmd = fmt("head -n %lu '%s' > '%s'", nmid, big, mid);
	run(cmd);
	free(cmd);

	throughput(mid, nmid);
	if (!quick) {
		memory(1000, 13.5 * 1.1);	/* issue 10: today's + 10% */
		memory(10000, 160);
	}
	flood(big, nbig);
	live();
	latency();
	frame(10000);

	fprintf(md, "\n%s run took %.0f s.\n", quick ? "This quick" : "This",
	    now() - t0);
	fclose(md);
	printf("bench took %.0f s; written to %s\n", now() - t0, path);
	free(path);
	free(big);
	free(mid);
	return 0;
}
