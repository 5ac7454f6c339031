/*
 * bench.c - exectop's benchmarks (`make bench`).  Not a test: nothing
 * here asserts on time.  It generates its inputs with `exectop gen`, runs
 * each scenario several times, and prints one table (median of the runs)
 * with each figure beside its target, plus the machine it ran on.  The
 * same table is written to bench/results.md.
 *
 * usage: bench EXECTOP BARE_PARSE OUTDIR [quick]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RUNS 3

static const char *exectop, *bare, *outdir;
static FILE *md;

struct result {
	double	wall;		/* seconds */
	double	cpu;		/* user + system seconds */
	long	maxrss_kb;
	int	status;
};

static double
now(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
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

/* Median wall time (and the max RSS) of RUNS runs. */
static struct result
median_run(const char *cmd)
{
	struct result	r[RUNS], out;
	double		w[RUNS];
	int		i;

	for (i = 0; i < RUNS; i++) {
		r[i] = run(cmd);
		w[i] = r[i].wall;
	}
	qsort(w, RUNS, sizeof *w, cmp_double);
	out = r[0];
	out.wall = w[RUNS / 2];
	for (i = 1; i < RUNS; i++)
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

/* One row of the table, to stdout and results.md. */
static void
row(const char *what, const char *value, const char *target, const char *verdict)
{
	printf("| %-58s | %-22s | %-22s | %-4s |\n", what, value, target, verdict);
	fprintf(md, "| %s | %s | %s | %s |\n", what, value, target, verdict);
	fflush(stdout);
}

static void
gen(const char *path, const char *args)
{
	char		*cmd;
	struct stat	 st;

	if (stat(path, &st) == 0)
		return;		/* kept from an earlier run */
	cmd = fmt("'%s' gen %s > '%s'", exectop, args, path);
	if (run(cmd).status != 0)
		exit(1);
	free(cmd);
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
	printf("machine: %ld cores (nproc), %s\n", sysconf(_SC_NPROCESSORS_ONLN), model);
	fprintf(md, "Machine: %ld cores (`nproc`), %s. Command: `make bench`. "
	    "Each figure is the median of %d runs.\n\n", sysconf(_SC_NPROCESSORS_ONLN),
	    model, RUNS);
}

static void
throughput(unsigned long records)
{
	char		*file = fmt("%s/tput-%lu.jsonl", outdir, records);
	char		*args = fmt("--records %lu --executors 100 --methods 3", records);
	char		*cmd, *v, *t;
	struct result	 rb, r1, r2;
	double		 over, speed;

	gen(file, args);
	cmd = fmt("'%s' '%s'", bare, file);
	rb = median_run(cmd);
	free(cmd);
	cmd = fmt("'%s' report -j 1 '%s'", exectop, file);
	r1 = median_run(cmd);
	free(cmd);
	cmd = fmt("'%s' report -j 2 '%s'", exectop, file);
	r2 = median_run(cmd);
	free(cmd);

	v = fmt("%.0f rec/s", records / rb.wall);
	row("bare jansson parse, 1 thread (yardstick)", v, "-", "");
	free(v);
	over = (r1.wall / rb.wall - 1) * 100;
	v = fmt("%.0f rec/s (%+.1f%%)", records / r1.wall, over);
	row("report -j 1: aggregation over the bare parse", v, "<= +10%",
	    over <= 10 ? "met" : "MISS");
	free(v);
	speed = r1.wall / r2.wall;
	v = fmt("%.0f rec/s (%.2fx)", records / r2.wall, speed);
	t = fmt(">= 1.8x");
	row("report -j 2: speed-up over -j 1", v, t, speed >= 1.8 ? "met" : "MISS");
	free(v);
	free(t);
	free(args);
	free(file);
}

static void
memory(unsigned executors, long limit_mb)
{
	char		*big = fmt("%s/mem-%u-2M.jsonl", outdir, executors);
	char		*small = fmt("%s/mem-%u-200k.jsonl", outdir, executors);
	char		*args, *cmd, *v, *what, *tg;
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
	what = fmt("peak RSS, 2M records, %u executors x 5 methods", executors);
	v = fmt("%.1f MB", rbig.maxrss_kb / 1024.0);
	tg = fmt("<= %ld MB", limit_mb);
	row(what, v, tg, rbig.maxrss_kb / 1024.0 <= limit_mb ? "met" : "MISS");
	free(what);
	free(v);
	free(tg);
	diff = (double)rbig.maxrss_kb / (double)rsmall.maxrss_kb - 1;
	what = fmt("peak RSS, 200k records, %u executors (vs 2M)", executors);
	v = fmt("%.1f MB (%+.1f%%)", rsmall.maxrss_kb / 1024.0, -diff * 100);
	row(what, v, "within 10%", diff <= 0.10 && diff >= -0.10 ? "met" : "MISS");
	free(what);
	free(v);
	unlink(big);	/* 1.4 GB each: do not keep */
	free(big);
	free(small);
}

int
main(int argc, char **argv)
{
	char	*path;
	int	 quick;

	if (argc < 4) {
		fprintf(stderr, "usage: bench EXECTOP BARE_PARSE OUTDIR [quick]\n");
		return 2;
	}
	exectop = argv[1];
	bare = argv[2];
	outdir = argv[3];
	quick = argc > 4 && strcmp(argv[4], "quick") == 0;
	mkdir(outdir, 0755);
	path = fmt("%s/results.md", outdir);
	if ((md = fopen(path, "w")) == NULL) {
		perror(path);
		return 2;
	}
	fprintf(md, "# exectop benchmark results\n\n");
	machine();
	printf("| %-58s | %-22s | %-22s | %-4s |\n", "scenario", "measured", "target", "");
	fprintf(md, "| scenario | measured | target | |\n| --- | --- | --- | --- |\n");
	throughput(quick ? 100000 : 1000000);
	if (!quick) {
		memory(1000, 48);
		memory(10000, 160);
	}
	fclose(md);
	printf("written to %s\n", path);
	free(path);
	return 0;
}
