/*
 * test_hostile_e2e.c - issue 5, cases 1 to 7 through the real binary:
 * `exectop report` fed hostile streams through files, pipes and FIFOs
 * counts every bad line under its reason and keeps every good record; a
 * 100 MB line and a million distinct ids leave its peak memory (measured
 * by the kernel, wait4) bounded; undefined statistics are explicit nulls;
 * stream text is inert in every format; hostile config and baseline
 * files stop it with one line and exit 2.
 */
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

static void
setup(void)
{
	/* No user or installed config may change what is tested. */
	tu_dir_setup_isolated();
	setenv("SOURCE_DATE_EPOCH", "1795773600", 1);
	signal(SIGPIPE, SIG_IGN);
}

TestSuite(hostile_e2e, .init = setup, .fini = tu_dir_teardown,
    .timeout = 240);

/* What feeds the child's stdin. */
typedef void feeder_fn(int fd, void *arg);

struct run {
	int	 status;	/* exit status, or 128 + signal */
	long	 maxrss_kb;	/* the child's peak resident set */
	char	*out;		/* NULL until run_load() when deferred */
	char	*err;
	char	*out_path;
};

/*
 * The child's peak RSS counts the pages it had when it was forked from
 * this process (Linux keeps that mark across exec), so a test measuring
 * memory keeps this process small: with defer_out set, outputs stay in
 * their files until run_load().
 */
static bool	defer_out;
static int	run_count;

/*
 * Runs exectop with argv (argv[0] is ignored), its stdin fed by fn in a
 * separate process (or /dev/null), stdout and stderr captured; the peak
 * RSS comes from the kernel's accounting of the child (wait4).
 */
static void
run_exectop(char *const argv[], feeder_fn *fn, void *arg, struct run *r)
{
	char		*opath = tu_fmt("%s/.stdout.%d", tu_dir, run_count++);
	char		*epath = tu_fmt("%s/.stderr", tu_dir);
	int		 in[2], ofd, efd, status;
	pid_t		 pid, feeder = -1;
	struct rusage	 ru;
	char		**args;
	size_t		 n;

	for (n = 0; argv[n] != NULL; n++)
		;
	args = calloc(n + 1, sizeof *args);
	args[0] = (char *)tu_exectop();
	memcpy(args + 1, argv + 1, (n - 1) * sizeof *args);

	ofd = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	efd = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert(ofd != -1 && efd != -1);
	if (fn != NULL) {
		cr_assert_eq(pipe(in), 0);
		feeder = fork();
		cr_assert_neq(feeder, -1);
		if (feeder == 0) {
			close(in[0]);
			fn(in[1], arg);
			close(in[1]);
			_exit(0);
		}
		close(in[1]);
	} else
		in[0] = open("/dev/null", O_RDONLY);
	pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(ofd, 1);
		dup2(efd, 2);
		execv(args[0], args);
		_exit(127);
	}
	close(in[0]);
	close(ofd);
	close(efd);
	while (wait4(pid, &status, 0, &ru) == -1)
		cr_assert_eq(errno, EINTR);
	if (feeder != -1)
		waitpid(feeder, NULL, 0);
	r->status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) :
	    WEXITSTATUS(status);
	r->maxrss_kb = ru.ru_maxrss;
	r->out = defer_out ? NULL : tu_read_file(opath, NULL);
	r->out_path = opath;
	r->err = tu_read_file(epath, NULL);
	free(args);
	free(epath);
}

static void
run_load(struct run *r)
{
	if (r->out == NULL)
		r->out = tu_read_file(r->out_path, NULL);
}

static void
run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	unlink(r->out_path);
	free(r->out_path);
}

static json_t *
run_json(struct run *r)
{
	json_error_t	 je;
	json_t		*j;

	cr_assert_eq(r->status, 0, "exit %d: %s", r->status, r->err);
	j = json_loads(r->out, 0, &je);
	cr_assert_not_null(j, "not JSON (%s): %.300s", je.text, r->out);
	return j;
}

static long long
jint(json_t *o, const char *path)
{
	char	buf[256], *tok, *save;
	json_t	*v = o;

	snprintf(buf, sizeof buf, "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL;
	    tok = strtok_r(NULL, ".", &save))
		v = json_object_get(v, tok);
	cr_assert(json_is_integer(v), "%s is not an integer", path);
	return json_integer_value(v);
}

/* ------------------------------------------------------------------ */

static const char *mixed =
    "{\"executor_id\":\"A\",\"execution_time_ms\":10}\n"
    "not json\n"
    "{\"executor_id\":\"A\"\n"
    "\n"
    "   \t \r\n"
    "[{\"executor_id\":\"A\"}]\n"
    "\"A\"\n"
    "12\n"
    "{\"executor_id\":\"A\",\"execution_time_ms\":20}\n"
    "{\"execution_time_ms\":1}\n"
    "{\"executor_id\":[\"A\"]}\n"
    "{\"executor_id\":\"\"}\n"
    "{\"executor_id\":\"A\\u0000B\"}\n"
    "{\"executor_id\":\"A\",\"execution_time_ms\":\"12\"}\n"
    "{\"executor_id\":\"A\",\"memory_peak_mb\":-1}\n"
    "{\"executor_id\":\"A\",\"execution_time_ms\":1e309}\n"
    "{\"executor_id\":\"A\",\"execution_time_ms\":NaN}\n"
    "{\"executor_id\":\"A\",\"execution_time_ms\":-Infinity}\n"
    "{\"executor_id\":\"A\",\"method_calls\":[{\"method_name\":\"m\",\"call_count\":9007199254740993}]}\n"
    "{\"executor_id\":\"A\",\"method_calls\":\"m\"}\n"
    "{\"executor_id\":\"A\",\"method_calls\":[\"m\"]}\n"
    "{\"executor_id\":\"A\",\"executor_id\":\"B\"}\n"
    "{\"executor_id\":\"\xc3\x28\"}\n"
    "{\"executor_id\":\"A\",\"execution_time_ms\":30}\n"
    "{\"executor_id\":\"A\",\"execution_time_ms\":40}";	/* no newline */

static void
check_mixed(json_t *r)
{
	cr_assert_eq(jint(r, "total_runs"), 4);
	cr_assert_eq(jint(r, "total_executors"), 1);
	cr_assert_eq(jint(r, "invalid_records.total"), 20);
	cr_assert_eq(jint(r, "invalid_records.invalid_json"), 7);
	cr_assert_eq(jint(r, "invalid_records.not_object"), 3);
	cr_assert_eq(jint(r, "invalid_records.missing_executor_id"), 1);
	cr_assert_eq(jint(r, "invalid_records.invalid_executor_id"), 3);
	cr_assert_eq(jint(r, "invalid_records.wrong_type"), 3);
	cr_assert_eq(jint(r, "invalid_records.out_of_range"), 2);
	cr_assert_eq(jint(r, "invalid_records.line_too_long"), 1);
}

static void
feed_mixed(int fd, void *arg)
{
	char	*big = malloc(2 << 20);

	(void)arg;
	/* An over-long line first (limit 1 MiB), split across writes. */
	memset(big, 'z', 2 << 20);
	tu_write_all(fd, big, 1 << 20);
	tu_write_all(fd, big, 1 << 20);
	tu_write_all(fd, "\n", 1);
	tu_write_all(fd, mixed, strlen(mixed));
	free(big);
}

/* Cases 1-5 through a file (parallel reader), stdin and a FIFO. */
Test(hostile_e2e, every_reason_counted_every_good_record_kept)
{
	char		*file, *fifo = tu_fmt("%s/in.fifo", tu_dir), *big;
	char		*argv_file[] = { "", "report", "-j", "3", NULL, NULL };
	char		*argv_stdin[] = { "", "report", "-", NULL };
	char		*argv_fifo[] = { "", "report", fifo, NULL };
	struct run	 r;
	json_t		*j;
	pid_t		 w;
	int		 fd;

	big = malloc((2 << 20) + 1);
	memset(big, 'z', 2 << 20);
	big[2 << 20] = '\n';
	file = tu_put_len("mixed.jsonl", big, (2 << 20) + 1);
	tu_write_file(file, mixed, strlen(mixed), 1);
	free(big);
	argv_file[4] = file;
	run_exectop(argv_file, NULL, NULL, &r);
	j = run_json(&r);
	check_mixed(j);
	json_decref(j);
	run_free(&r);

	run_exectop(argv_stdin, feed_mixed, NULL, &r);
	j = run_json(&r);
	check_mixed(j);
	json_decref(j);
	run_free(&r);

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	w = fork();
	if (w == 0) {
		if ((fd = tu_open_writer(fifo)) == -1)
			_exit(1);
		feed_mixed(fd, NULL);
		_exit(0);
	}
	run_exectop(argv_fifo, NULL, NULL, &r);
	waitpid(w, NULL, 0);
	j = run_json(&r);
	check_mixed(j);
	json_decref(j);
	run_free(&r);
	free(file);
	free(fifo);
}

static void
feed_huge(int fd, void *arg)
{
	size_t	 piece = 1 << 20, i;
	char	*p = malloc(piece);
	int	 newline = *(int *)arg;

	tu_write_all(fd, "{\"executor_id\":\"before\"}\n", 25);
	memset(p, '[', piece);
	for (i = 0; i < 100; i++)
		tu_write_all(fd, p, piece);
	if (newline) {
		tu_write_all(fd, "\n{\"executor_id\":\"after\"}\n", 25);
	}
	free(p);
}

/* Case 4: a 100 MB line; exectop's peak RSS stays a few MB. */
Test(hostile_e2e, hundred_megabyte_line_memory_bounded)
{
	char		*argv[] = { "", "report", "-", NULL };
	struct run	 r;
	json_t		*j;
	int		 newline;

	newline = 1;
	run_exectop(argv, feed_huge, &newline, &r);
	j = run_json(&r);
	cr_assert_eq(jint(j, "total_runs"), 2);
	cr_assert_eq(jint(j, "invalid_records.total"), 1);
	cr_assert_eq(jint(j, "invalid_records.line_too_long"), 1);
	cr_assert(tu_sanitized() || r.maxrss_kb < 48 * 1024, "peak RSS %ld KB "
	    "for a 100 MB line", r.maxrss_kb);
	json_decref(j);
	run_free(&r);

	/* The stream ends inside the long line: still counted once. */
	newline = 0;
	run_exectop(argv, feed_huge, &newline, &r);
	j = run_json(&r);
	cr_assert_eq(jint(j, "total_runs"), 1);
	cr_assert_eq(jint(j, "invalid_records.total"), 1);
	cr_assert_eq(jint(j, "invalid_records.line_too_long"), 1);
	cr_assert(tu_sanitized() || r.maxrss_kb < 48 * 1024, "peak RSS %ld KB",
	    r.maxrss_kb);
	json_decref(j);
	run_free(&r);
}

static void
feed_flood(int fd, void *arg)
{
	long	 n = *(long *)arg, i;
	char	*buf = malloc(1 << 16);
	size_t	 len = 0;

	for (i = 0; i < n; i++) {
		len += (size_t)sprintf(buf + len, "{\"executor_id\":\"flood-%ld\","
		    "\"execution_time_ms\":%ld}\n", i, i % 100);
		if (len > (1 << 16) - 128) {
			tu_write_all(fd, buf, len);
			len = 0;
		}
	}
	tu_write_all(fd, buf, len);
	free(buf);
}

/* Case 6: a million distinct ids.  The cap holds, the drops are counted
 * and shown, and the peak memory is the same as for 20,000 ids: it
 * depends on the cap, not on the input. */
Test(hostile_e2e, million_ids_capped_memory_flat)
{
	char		*argv[] = { "", "report", "-", NULL };
	char		*argv_md[] = { "", "report", "--format", "markdown", "-",
			    NULL };
	struct run	 small, big;
	json_t		*j;
	long		 n;

	defer_out = true;
	n = 20000;
	run_exectop(argv, feed_flood, &n, &small);
	n = 1000000;
	run_exectop(argv, feed_flood, &n, &big);
	defer_out = false;
	if (!tu_sanitized())	/* ASan's quarantine grows to 256 MB */
		cr_assert_lt(big.maxrss_kb, small.maxrss_kb +
		    small.maxrss_kb / 4 + 8192, "peak RSS %ld KB for 1M ids vs "
		    "%ld KB for 20k", big.maxrss_kb, small.maxrss_kb);

	run_load(&small);
	j = run_json(&small);
	cr_assert_eq(jint(j, "total_executors"), 10000);
	cr_assert_eq(jint(j, "invalid_records.dropped_records"), 10000);
	json_decref(j);
	run_load(&big);
	j = run_json(&big);
	cr_assert_eq(jint(j, "total_executors"), 10000);
	cr_assert_eq(jint(j, "total_runs"), 10000);
	cr_assert_eq(jint(j, "invalid_records.dropped_records"), 990000);
	cr_assert_eq(jint(j, "invalid_records.total"), 0);
	json_decref(j);
	run_free(&small);
	run_free(&big);

	/* The Markdown report says records were dropped. */
	n = 10050;
	run_exectop(argv_md, feed_flood, &n, &small);
	cr_assert_eq(small.status, 0, "%s", small.err);
	cr_assert_not_null(strstr(small.out, "| Dropped records | 50 |"),
	    "no line about dropped records in the Markdown report: %.600s",
	    small.out);
	run_free(&small);
}

static void
feed_methods(int fd, void *arg)
{
	char	line[160];
	int	i, n;

	(void)arg;
	for (i = 0; i < 50000; i++) {
		n = snprintf(line, sizeof line, "{\"executor_id\":\"M\","
		    "\"method_calls\":[{\"class_name\":\"C\",\"method_name\":"
		    "\"m%d\",\"execution_time_ms\":1}]}\n", i);
		tu_write_all(fd, line, (size_t)n);
	}
}

Test(hostile_e2e, method_flood_capped)
{
	char		*cfg = tu_put("cfg.yaml", "limits:\n  max_methods: 100\n");
	char		*argv[] = { "", "report", "-c", cfg, "-", NULL };
	struct run	 r;
	json_t		*j, *ex;

	run_exectop(argv, feed_methods, NULL, &r);
	j = run_json(&r);
	ex = json_array_get(json_object_get(j, "executors"), 0);
	cr_assert_eq(json_array_size(json_object_get(ex, "methods")), 100);
	cr_assert_eq(jint(ex, "dropped_methods"), 50000 - 100);
	cr_assert_eq(jint(ex, "runs"), 50000);
	json_decref(j);
	run_free(&r);
	free(cfg);
}

/* Every object in an array has the same keys as the first. */
static void
same_keys(json_t *arr, const char *what)
{
	json_t		*first = json_array_get(arr, 0), *o;
	const char	*k;
	json_t		*v;
	size_t		 i;

	if (first == NULL)
		return;
	json_array_foreach(arr, i, o) {
		cr_assert_eq(json_object_size(o), json_object_size(first),
		    "%s[%zu] has %zu keys, [0] has %zu", what, i,
		    json_object_size(o), json_object_size(first));
		json_object_foreach(first, k, v) {
			cr_assert_not_null(json_object_get(o, k),
			    "%s[%zu] lacks '%s'", what, i, k);
		}
	}
}

/* No NaN or Infinity spelled anywhere in a text. */
static void
no_nonfinite(const char *text, const char *what)
{
	static const char *bad[] = { "nan", "NaN", "NAN", "inf", "Inf",
	    "INF" };
	const char	*p;
	size_t		 i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		for (p = strstr(text, bad[i]); p != NULL;
		    p = strstr(p + 1, bad[i])) {
			/* words like "info" or "infinite" in prose are fine;
			 * a number position is not */
			char	before = p > text ? p[-1] : ' ';
			char	after = p[3];

			cr_assert(!(strchr(" :|>(-", before) != NULL &&
			    strchr(" ,|<)\n%", after) != NULL),
			    "%s: '%s' at %zu: %.40s", what, bad[i],
			    (size_t)(p - text), p > text + 20 ? p - 20 : text);
		}
	}
}

/* Case 5b: statistics that are undefined come out as null, keys never
 * vanish, in every section of the JSON; no NaN text in any format. */
Test(hostile_e2e, undefined_statistics_are_explicit_null)
{
	const char *stream =
	    /* one run: no variance */
	    "{\"executor_id\":\"one\",\"execution_time_ms\":5}\n"
	    /* identical runs: zero variance on both sides of the t-test */
	    "{\"executor_id\":\"flat\",\"execution_time_ms\":10,\"memory_footprint_mb\":1}\n"
	    "{\"executor_id\":\"flat\",\"execution_time_ms\":10,\"memory_footprint_mb\":1}\n"
	    "{\"executor_id\":\"flat\",\"execution_time_ms\":10,\"memory_footprint_mb\":1}\n"
	    /* a baseline of zero: new, no percentage */
	    "{\"executor_id\":\"zero\",\"execution_time_ms\":3}\n"
	    "{\"executor_id\":\"zero\",\"execution_time_ms\":4}\n"
	    /* nothing measured at all, a method with no time */
	    "{\"executor_id\":\"bare\",\"method_calls\":[{\"method_name\":\"m\"}]}\n"
	    /* values so large the variance overflows */
	    "{\"executor_id\":\"huge\",\"execution_time_ms\":1e308}\n"
	    "{\"executor_id\":\"huge\",\"execution_time_ms\":0}\n"
	    "{\"executor_id\":\"huge\",\"execution_time_ms\":1.7e308}\n";
	const char *base =
	    "version: 1\nexecutors:\n"
	    "  flat:\n    execution_time_ms: {n: 3, mean: 5, variance: 0, min: 5, "
	    "max: 5, p50: 5, p95: 5}\n"
	    "    memory_footprint_mb: {n: 3, mean: 1, variance: 0, min: 1, "
	    "max: 1, p50: 1, p95: 1}\n"
	    "  zero:\n    execution_time_ms: {n: 2, mean: 0, variance: 0, min: 0, "
	    "max: 0, p50: 0, p95: 0}\n"
	    "  huge:\n    execution_time_ms: {n: 1, mean: 1, variance: 0, min: 1, "
	    "max: 1, p50: 1, p95: 1}\n";
	char		*in = tu_put("s.jsonl", stream);
	char		*bl = tu_put("b.yaml", base);
	char		*cfg = tu_put("c.yaml", "min_samples: 1\nsignificance: 0.05\n");
	char		*argv[] = { "", "report", "-c", cfg, "-b", bl,
			    "--fail-on", "never", "-f", "json", in, NULL };
	static const char *arrays[] = { "regressions", "improvements",
	    "pending", "new", "bottlenecks", "executors" };
	struct run	 r;
	json_t		*j, *e, *v;
	size_t		 i;

	run_exectop(argv, NULL, NULL, &r);
	j = run_json(&r);
	no_nonfinite(r.out, "json");
	for (i = 0; i < sizeof arrays / sizeof arrays[0]; i++)
		same_keys(json_object_get(j, arrays[i]), arrays[i]);
	cr_assert_gt(json_array_size(json_object_get(j, "regressions")), 0);
	cr_assert_gt(json_array_size(json_object_get(j, "new")), 0);
	json_array_foreach(json_object_get(j, "executors"), i, e) {
		const char *id = json_string_value(json_object_get(e,
		    "executor_id"));
		json_t	*et = json_object_get(json_object_get(e, "metrics"),
		    "execution_time_ms");

		v = json_object_get(et, "variance");
		cr_assert_not_null(v, "%s: variance key missing", id);
		if (strcmp(id, "one") == 0 || strcmp(id, "bare") == 0 ||
		    strcmp(id, "huge") == 0)
			cr_assert(json_is_null(v), "%s: variance not null", id);
		if (strcmp(id, "flat") == 0)
			cr_assert(json_is_number(v) && json_number_value(v) == 0);
		if (strcmp(id, "bare") == 0) {
			cr_assert(json_is_null(json_object_get(et, "mean")));
			cr_assert(json_is_null(json_object_get(et, "p95")));
			cr_assert(json_is_null(json_object_get(
			    json_array_get(json_object_get(e, "methods"), 0),
			    "mean_time_ms")));
		}
		same_keys(json_object_get(e, "methods"), "methods");
	}
	/* Regressions against a zero-variance baseline: a p-value key
	 * even when the test could not say more. */
	json_array_foreach(json_object_get(j, "regressions"), i, e)
		cr_assert_not_null(json_object_get(e, "p_value"));
	json_decref(j);
	run_free(&r);

	/* Markdown and HTML: no NaN either. */
	argv[9] = "markdown";
	run_exectop(argv, NULL, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	no_nonfinite(r.out, "markdown");
	run_free(&r);
	argv[9] = "html";
	run_exectop(argv, NULL, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	no_nonfinite(r.out, "html");
	run_free(&r);

	/* Nothing at all: success rate and averages are null, not NaN (the
	 * report is written; no valid record exits 3). */
	argv[10] = "/dev/null";
	argv[9] = "json";
	run_exectop(argv, NULL, NULL, &r);
	cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
	r.status = 0;
	j = run_json(&r);
	no_nonfinite(r.out, "empty json");
	v = json_object_get(json_object_get(j, "summary"), "success_rate");
	cr_assert(v != NULL && json_is_null(v), "summary.success_rate");
	json_decref(j);
	run_free(&r);
	free(in);
	free(bl);
	free(cfg);
}

/* Case 5: hostile stream text through the real binary in every format. */
Test(hostile_e2e, stream_text_inert_in_every_format)
{
	const char *stream =
	    "{\"executor_id\":\"</script><script>alert(1)</script>\","
	    "\"execution_time_ms\":5,\"success\":false,"
	    "\"error\":\"\\u001b]8;;http://evil\\u0007click\\u001b]8;;\\u0007\","
	    "\"method_calls\":[{\"class_name\":\"<img src=x onerror=alert(2)>\","
	    "\"method_name\":\"a|b`c\\nd\\re\\bf\",\"execution_time_ms\":1}]}\n"
	    "{\"executor_id\":\"rtl\\u202etxt.exe\\u2028\\u009b2J\",\"execution_time_ms\":6}\n"
	    "{\"executor_id\":\"q\\\"uo'te&amp;\",\"execution_time_ms\":7}\n";
	char		*in = tu_put("h.jsonl", stream);
	char		*argv[] = { "", "report", "-f", "json", in, NULL };
	struct run	 r;
	json_t		*j;
	const unsigned char *p;
	const char	*s, *t;
	size_t		 n;

	/* JSON: valid, and the strings come back exactly. */
	run_exectop(argv, NULL, NULL, &r);
	j = run_json(&r);
	cr_assert_eq(jint(j, "total_runs"), 3);
	{
		static const char *ids[] = {
			"</script><script>alert(1)</script>",
			"rtl\xe2\x80\xaetxt.exe\xe2\x80\xa8\xc2\x9b" "2J",
			"q\"uo'te&amp;",
		};
		json_t	*e;
		size_t	 i, k, found = 0;

		json_array_foreach(json_object_get(j, "executors"), i, e) {
			for (k = 0; k < 3; k++)
				found += strcmp(json_string_value(
				    json_object_get(e, "executor_id")),
				    ids[k]) == 0;
		}
		cr_assert_eq(found, 3, "ids not kept byte for byte");
	}
	json_decref(j);
	run_free(&r);

	/* HTML: our one script, nothing from the stream executes. */
	argv[3] = "html";
	run_exectop(argv, NULL, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	for (n = 0, s = r.out; (s = strstr(s, "<script")) != NULL; s++)
		n++;
	cr_assert_leq(n, 1, "%zu <script elements", n);
	for (n = 0, s = r.out; (s = strstr(s, "</script")) != NULL; s++)
		n++;
	cr_assert_leq(n, 1, "%zu </script", n);
	cr_assert_null(strstr(r.out, "<img"));
	cr_assert_null(strstr(r.out, "onerror=alert(2)>"));
	for (p = (const unsigned char *)r.out; *p != '\0'; p++)
		cr_assert(*p >= 0x20 || *p == '\n' || *p == '\t',
		    "raw 0x%02x in HTML", *p);
	cr_assert_null(strstr(r.out, "\xe2\x80\xae"));
	cr_assert_null(strstr(r.out, "\xe2\x80\xa8"));
	cr_assert_null(strstr(r.out, "\xc2\x9b"));
	run_free(&r);

	/* Markdown: one line per executor row, nothing raw. */
	argv[3] = "markdown";
	run_exectop(argv, NULL, NULL, &r);
	cr_assert_eq(r.status, 0, "%s", r.err);
	for (p = (const unsigned char *)r.out; *p != '\0'; p++)
		cr_assert(*p >= 0x20 || *p == '\n', "raw 0x%02x in Markdown", *p);
	cr_assert_null(strstr(r.out, "\xe2\x80\xae"));
	s = strstr(r.out, "rtl");
	cr_assert_not_null(s);
	t = strchr(s, '\n');
	cr_assert_not_null(t);
	cr_assert(memmem(s, (size_t)(t - s), "txt.exe", 7) != NULL,
	    "the rtl row was broken: %.80s", s);
	run_free(&r);
	free(in);
}

/* Runs a headless command on a hostile file: exit 2, one stderr line
 * "exectop: FILE:LINE: ..." holding want. */
static void
expect_exit2(char *const argv[], const char *file, int line,
    const char *want)
{
	struct run	 r;
	char		*prefix;
	const char	*nl;

	run_exectop(argv, NULL, NULL, &r);
	cr_assert_eq(r.status, 2, "%s %s: exit %d, stderr %s", argv[1], file,
	    r.status, r.err);
	prefix = line > 0 ? tu_fmt("exectop: %s:%d: ", file, line) :
	    tu_fmt("exectop: %s", file);
	cr_assert(strncmp(r.err, prefix, strlen(prefix)) == 0,
	    "stderr '%s' does not start with '%s'", r.err, prefix);
	nl = strchr(r.err, '\n');
	cr_assert(nl != NULL && nl[1] == '\0', "not one line: '%s'", r.err);
	if (want != NULL)
		cr_assert(strstr(r.err, want) != NULL, "stderr '%s' lacks '%s'",
		    r.err, want);
	cr_assert_str_eq(r.out, "", "something written to stdout");
	free(prefix);
	run_free(&r);
}

/* Case 7: each hostile file stops report and baseline with exit 2. */
Test(hostile_e2e, hostile_config_and_baseline_exit_2)
{
	static const struct {
		const char	*text;
		int		 line;
		const char	*want;
	} files[] = {
		{ "a: &a [*a]\n", 1, "aliases are not allowed" },
		{ "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		  "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		  "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n", 1, "aliases are not allowed" },
		{ "window: 1\n---\nwindow: 2\n", 2, "more than one document" },
		{ "- a\n- b\n", 1, NULL },
		{ "window: [1\n", 0, NULL },
		{ "x: !!binary aGk=\n", 1, "tags are not allowed" },
	};
	char	*src = tu_put("s.jsonl", "{\"executor_id\":\"A\"}\n");
	char	*out = tu_fmt("%s/out.yaml", tu_dir);
	char	*path, *deep;
	size_t	 i;
	struct stat st;

	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		char	*a1[] = { "", "report", "-c", NULL, src, NULL };
		char	*a2[] = { "", "report", "-b", NULL, src, NULL };
		char	*a3[] = { "", "baseline", "-c", NULL, "-o", out, src, NULL };

		path = tu_put("bad.yaml", files[i].text);
		a1[3] = a2[3] = a3[3] = path;
		expect_exit2(a1, path, files[i].line, files[i].want);
		expect_exit2(a2, path, files[i].line, files[i].want);
		expect_exit2(a3, path, files[i].line, files[i].want);
		cr_assert_eq(stat(out, &st), -1, "baseline written anyway");
		free(path);
	}

	/* Nesting: refused at the 33rd level, whatever follows. */
	deep = malloc(1000010);
	memcpy(deep, "window: ", 8);
	memset(deep + 8, '[', 1000000);
	deep[1000008] = '\n';
	path = tu_put_len("deep.yaml", deep, 1000009);
	{
		char	*a1[] = { "", "report", "-c", path, src, NULL };
		char	*a2[] = { "", "report", "-b", path, src, NULL };

		expect_exit2(a1, path, 1, "nesting deeper than 32 levels");
		expect_exit2(a2, path, 1, "nesting deeper than 32 levels");
	}
	free(path);
	free(deep);

	/* Over 1 MiB of config. */
	deep = malloc(1100000);
	for (i = 0; i < 1100000; i++)
		deep[i] = i % 64 == 63 ? '\n' : (i % 64 == 0 ? '#' : 'c');
	path = tu_put_len("big.yaml", deep, 1100000);
	{
		char	*a1[] = { "", "report", "-c", path, src, NULL };

		expect_exit2(a1, path, 0, "larger than");
	}
	free(path);
	free(deep);

	/* A baseline of an unknown version, and a config value out of range. */
	path = tu_put("v.yaml", "version: 3\nexecutors: {}\n");
	{
		char	*a2[] = { "", "report", "-b", path, src, NULL };

		expect_exit2(a2, path, 1, "unsupported baseline version 3");
	}
	free(path);
	path = tu_put("r.yaml", "ui:\n  refresh_ms: 0\n");
	{
		char	*a1[] = { "", "report", "-c", path, src, NULL };

		expect_exit2(a1, path, 2, "refresh_ms");
	}
	free(path);
	free(src);
	free(out);
}
