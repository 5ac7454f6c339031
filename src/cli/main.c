/*
 * main.c - the exectop command line: the live TUI (default), and the
 * headless `report`, `baseline`, `gen` and `demo` commands.
 *
 * Exit status: 0 fine, 1 the regression gate tripped (report --fail-on),
 * 2 usage, config or input error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <jansson.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "gen.h"
#include "ingest.h"
#include "model.h"
#include "report.h"
#include "tui.h"
#include "xmalloc.h"

#define EXECTOP_VERSION "0.1.0"

static const char *usage_text =
"usage: exectop [-c CONFIG] [-b BASELINE] [--theme NAME|FILE] [--no-mouse]\n"
"               [--no-color] SOURCE...\n"
"       exectop report [-c CONFIG] [-b BASELINE] [--format json|markdown|html]\n"
"               [-o FILE] [--fail-on warning|critical|never] [-j N] SOURCE...\n"
"       exectop baseline [-c CONFIG] -o FILE [-j N] SOURCE...\n"
"       exectop gen [--records N] [--executors K] [--methods M] [--seed S]\n"
"               [--profile-seed P] [--slow ID:FACTOR] [--rate R] [--fail-rate F]\n"
"       exectop demo\n"
"       exectop --help | --version\n";

static const char *help_text =
"\n"
"exectop watches executor performance records (JSON Lines) and shows live\n"
"rankings, bottleneck scores and regression alerts against a baseline.\n"
"\n"
"SOURCE is a regular file (followed like tail -F in the TUI), a named FIFO,\n"
"or - for stdin.  Several sources are merged.\n"
"\n"
"Commands:\n"
"  (none)      the live terminal UI\n"
"  report      read every source to its end, write a report, exit 0, or 1\n"
"              when a regression at or above --fail-on exists (CI gate)\n"
"  baseline    read every source to its end and save a baseline (YAML)\n"
"  gen         write a deterministic synthetic stream to stdout\n"
"  demo        the TUI fed by the generator through a FIFO (make run)\n"
"\n"
"Options:\n"
"  -c, --config FILE     configuration (YAML); default: built-in defaults\n"
"  -b, --baseline FILE   baseline to compare against (overrides the config)\n"
"  -f, --format FMT      report format: json (default), markdown, html\n"
"  -o, --output FILE     write the report/baseline to FILE (atomically)\n"
"  -j, --threads N       parser threads for regular files (default: CPUs)\n"
"      --fail-on LEVEL   warning, critical (default) or never\n"
"      --theme NAME|FILE TUI colour theme\n"
"      --no-mouse        TUI: no mouse support\n"
"      --no-color        TUI: no colours (also NO_COLOR=1)\n"
"  gen: --records N (0 = endless, default 1000), --executors K (10),\n"
"       --methods M (3), --seed S (noise, 1), --profile-seed P (profiles, 42),\n"
"       --slow ID:FACTOR (repeatable), --rate R (records/s, 0 = max),\n"
"       --fail-rate F (0.01)\n"
"\n"
"Exit status: 0 success, 1 regression gate tripped, 2 usage/config/input error.\n";

static void __attribute__((noreturn))
usage_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("exectop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fputs(usage_text, stderr);
	exit(2);
}

enum {
	OPT_FAIL_ON = 256, OPT_THEME, OPT_NO_MOUSE, OPT_NO_COLOR, OPT_RECORDS,
	OPT_EXECUTORS, OPT_METHODS, OPT_SEED, OPT_PROFILE_SEED, OPT_SLOW,
	OPT_RATE, OPT_FAIL_RATE, OPT_HELP, OPT_VERSION
};

/* Parser threads for regular files: -j, else the online CPUs. */
static unsigned
cli_default_threads(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

static const struct option long_opts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "baseline", required_argument, NULL, 'b' },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "threads", required_argument, NULL, 'j' },
	{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "no-mouse", no_argument, NULL, OPT_NO_MOUSE },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "records", required_argument, NULL, OPT_RECORDS },
	{ "executors", required_argument, NULL, OPT_EXECUTORS },
	{ "methods", required_argument, NULL, OPT_METHODS },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "profile-seed", required_argument, NULL, OPT_PROFILE_SEED },
	{ "slow", required_argument, NULL, OPT_SLOW },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "fail-rate", required_argument, NULL, OPT_FAIL_RATE },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 }
};

/* Everything the command line can say; each command reads its part. */
struct cli {
	const char	*command;
	const char	*config;
	const char	*baseline;
	const char	*output;
	int		 format;
	int		 fail_on;	/* SEV_* or -1 for never */
	unsigned	 threads;	/* parser threads for regular files */
	struct tui_opts	 tui;
	struct gen_opts	 gen;
	char		**sources;
	size_t		 nsources;
};

static uint64_t
parse_u64(const char *opt, const char *s, uint64_t max)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v > max || *s == '-')
		usage_error("%s: expected a whole number up to %llu, got '%s'",
		    opt, (unsigned long long)max, s);
	return v;
}

static double
parse_double(const char *opt, const char *s, double lo, double hi)
{
	char	*end;
	double	 v;

	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || isnan(v) || v < lo || v > hi)
		usage_error("%s: expected a number from %g to %g, got '%s'",
		    opt, lo, hi, s);
	return v;
}

/* Which options each command takes ('*' = every command). */
static int
option_allowed(const char *cmd, int opt)
{
	int	gen = strcmp(cmd, "gen") == 0;

	switch (opt) {
	case 'c':
	case 'b':
		return !gen && strcmp(cmd, "demo") != 0 &&
		    (opt == 'c' || strcmp(cmd, "baseline") != 0);
	case 'f':
	case OPT_FAIL_ON:
		return strcmp(cmd, "report") == 0;
	case 'o':
	case 'j':
		return strcmp(cmd, "report") == 0 || strcmp(cmd, "baseline") == 0;
	case OPT_THEME:
	case OPT_NO_MOUSE:
	case OPT_NO_COLOR:
		return strcmp(cmd, "tui") == 0 || strcmp(cmd, "demo") == 0;
	case OPT_HELP:
	case OPT_VERSION:
		return 1;
	default:
		return gen;
	}
}

static void
cli_parse(struct cli *c, int argc, char **argv)
{
	int	ch, idx;

	memset(c, 0, sizeof *c);
	c->command = "tui";
	c->format = REPORT_JSON;
	c->fail_on = SEV_CRITICAL;
	gen_defaults(&c->gen);
	c->gen.records = 1000;
	if (argc > 1 && (strcmp(argv[1], "report") == 0 ||
	    strcmp(argv[1], "baseline") == 0 || strcmp(argv[1], "gen") == 0 ||
	    strcmp(argv[1], "demo") == 0)) {
		c->command = argv[1];
		argv++;
		argc--;
	}
	c->threads = cli_default_threads();
	while ((ch = getopt_long(argc, argv, ":c:b:f:o:j:", long_opts, &idx)) != -1) {
		if (ch == '?')
			usage_error("unknown option '%s'", argv[optind - 1]);
		if (ch == ':')
			usage_error("option '%s' needs a value", argv[optind - 1]);
		if (!option_allowed(c->command, ch))
			usage_error("option '%s' does not apply to %s",
			    argv[optind - 1], c->command);
		switch (ch) {
		case 'c':
			c->config = optarg;
			break;
		case 'b':
			c->baseline = optarg;
			break;
		case 'f':
			if ((c->format = report_format_from_name(optarg)) == -1)
				usage_error("unknown format '%s' (json, markdown, "
				    "html)", optarg);
			break;
		case 'o':
			c->output = optarg;
			break;
		case 'j':
			c->threads = (unsigned)parse_u64("--threads", optarg, 64);
			if (c->threads == 0)
				usage_error("--threads: must be at least 1");
			break;
		case OPT_FAIL_ON:
			if (strcmp(optarg, "warning") == 0)
				c->fail_on = SEV_WARNING;
			else if (strcmp(optarg, "critical") == 0)
				c->fail_on = SEV_CRITICAL;
			else if (strcmp(optarg, "never") == 0)
				c->fail_on = -1;
			else
				usage_error("--fail-on: expected warning, critical "
				    "or never, got '%s'", optarg);
			break;
		case OPT_THEME:
			c->tui.theme = optarg;
			break;
		case OPT_NO_MOUSE:
			c->tui.no_mouse = true;
			break;
		case OPT_NO_COLOR:
			c->tui.no_color = true;
			break;
		case OPT_RECORDS:
			c->gen.records = parse_u64("--records", optarg, UINT64_MAX);
			break;
		case OPT_EXECUTORS:
			c->gen.executors = (unsigned)parse_u64("--executors",
			    optarg, 10000000);
			if (c->gen.executors == 0)
				usage_error("--executors: must be at least 1");
			break;
		case OPT_METHODS:
			c->gen.methods = (unsigned)parse_u64("--methods", optarg, 64);
			break;
		case OPT_SEED:
			c->gen.seed = parse_u64("--seed", optarg, UINT64_MAX);
			break;
		case OPT_PROFILE_SEED:
			c->gen.profile_seed = parse_u64("--profile-seed", optarg,
			    UINT64_MAX);
			break;
		case OPT_SLOW:
			if (gen_add_slow(&c->gen, optarg) == -1)
				usage_error("--slow: expected ID:FACTOR with FACTOR > 0 "
				    "(at most %d), got '%s'", GEN_MAX_SLOW, optarg);
			break;
		case OPT_RATE:
			c->gen.rate = parse_double("--rate", optarg, 0, 1e9);
			break;
		case OPT_FAIL_RATE:
			c->gen.fail_rate = parse_double("--fail-rate", optarg, 0, 1);
			break;
		case OPT_HELP:
			fputs(usage_text, stdout);
			fputs(help_text, stdout);
			exit(0);
		case OPT_VERSION:
			printf("exectop %s\n", EXECTOP_VERSION);
			exit(0);
		}
	}
	c->sources = argv + optind;
	c->nsources = (size_t)(argc - optind);
}

/* Loads -c (or the defaults) and the baseline (-b, else the config's). */
static int
cli_load(const struct cli *c, struct config *cfg, struct baseline **bl)
{
	const char	*bpath;
	char		*cause = NULL;

	config_defaults(cfg);
	if (c->config != NULL && config_load(cfg, c->config, &cause) == -1) {
		fprintf(stderr, "exectop: %s\n", cause);
		free(cause);
		return -1;
	}
	*bl = NULL;
	bpath = c->baseline != NULL ? c->baseline : cfg->baseline;
	if (bl != NULL && bpath != NULL && baseline_load(bl, bpath, &cause) == -1) {
		fprintf(stderr, "exectop: %s\n", cause);
		free(cause);
		config_free(cfg);
		return -1;
	}
	return 0;
}

/* Reads every source to its end into a new model; NULL on error. */
static struct model *
cli_ingest(const struct cli *c, const struct config *cfg)
{
	struct model		*m;
	struct model_limits	 lim;
	struct source		**src;
	struct stat		  st;
	char			*cause = NULL;
	size_t			 i, nsrc;
	int			 rc = 0;

	if (c->nsources == 0)
		usage_error("%s: no SOURCE given (a file, a FIFO, or - for stdin)",
		    c->command);
	lim.window = cfg->window;
	lim.max_executors = cfg->max_executors;
	lim.max_methods = cfg->max_methods;
	m = model_create(&lim);
	src = xcalloc(c->nsources, sizeof *src);
	nsrc = 0;
	/* Regular files first, on every core; then FIFOs and stdin, merged
	 * as they come. */
	for (i = 0; i < c->nsources && rc == 0; i++) {
		if (strcmp(c->sources[i], "-") != 0 &&
		    stat(c->sources[i], &st) == 0 && S_ISREG(st.st_mode))
			rc = ingest_file_parallel(c->sources[i], m,
			    cfg->max_line_bytes, c->threads, &cause);
	}
	for (i = 0; i < c->nsources && rc == 0; i++) {
		if (strcmp(c->sources[i], "-") != 0 &&
		    stat(c->sources[i], &st) == 0 && S_ISREG(st.st_mode))
			continue;
		src[nsrc] = source_open(c->sources[i], false,
		    cfg->max_line_bytes, &cause);
		if (src[nsrc] == NULL)
			rc = -1;
		else
			nsrc++;
	}
	if (rc == 0)
		rc = ingest_run_to_eof(src, nsrc, m, &cause);
	for (i = 0; i < nsrc; i++)
		source_close(src[i]);
	free(src);
	if (rc == -1) {
		fprintf(stderr, "exectop: %s\n", cause);
		free(cause);
		model_free(m);
		return NULL;
	}
	return m;
}

static char *
cli_sources_desc(const struct cli *c)
{
	size_t	i, len = 1;
	char	*s;

	for (i = 0; i < c->nsources; i++)
		len += strlen(c->sources[i]) + 2;
	s = xcalloc(1, len);
	for (i = 0; i < c->nsources; i++) {
		if (i > 0)
			strcat(s, ", ");
		strcat(s, c->sources[i]);
	}
	return s;
}

/* Now, or SOURCE_DATE_EPOCH when set (reproducible reports). */
static time_t
cli_report_time(void)
{
	const char	*s = getenv("SOURCE_DATE_EPOCH");
	char		*end;
	long long	 v;

	if (s != NULL && *s != '\0') {
		v = strtoll(s, &end, 10);
		if (*end == '\0' && v >= 0)
			return (time_t)v;
	}
	return time(NULL);
}

static int
cmd_report(const struct cli *c)
{
	struct config		 cfg;
	struct baseline		*bl;
	struct model		*m;
	struct analysis		*a;
	struct report_ctx	 ctx;
	char			*cause = NULL, *desc;
	int			 rc = 0;

	if (cli_load(c, &cfg, &bl) == -1)
		return 2;
	if ((m = cli_ingest(c, &cfg)) == NULL) {
		baseline_free(bl);
		config_free(&cfg);
		return 2;
	}
	a = analysis_run(m, bl, &cfg);
	desc = cli_sources_desc(c);
	memset(&ctx, 0, sizeof ctx);
	ctx.model = m;
	ctx.analysis = a;
	ctx.baseline = bl;
	ctx.config = &cfg;
	ctx.now = cli_report_time();
	ctx.sources = desc;
	if (c->output != NULL) {
		if (report_save(c->output, c->format, &ctx, &cause) == -1) {
			fprintf(stderr, "exectop: %s\n", cause);
			free(cause);
			rc = 2;
		}
	} else if (report_write(stdout, c->format, &ctx) == -1 ||
	    fflush(stdout) == EOF) {
		fprintf(stderr, "exectop: writing the report to stdout: %s\n",
		    strerror(errno));
		rc = 2;
	}
	if (rc == 0 && c->fail_on != -1) {
		if ((c->fail_on == SEV_WARNING && a->nregressions > 0) ||
		    (c->fail_on == SEV_CRITICAL && a->ncritical > 0))
			rc = 1;
	}
	free(desc);
	analysis_free(a);
	model_free(m);
	baseline_free(bl);
	config_free(&cfg);
	return rc;
}

static int
cmd_baseline(const struct cli *c)
{
	struct config	 cfg;
	struct baseline	*bl, *old;
	struct model	*m;
	char		*cause = NULL, *desc;
	int		 rc = 0;

	if (c->output == NULL)
		usage_error("baseline: -o FILE is required");
	if (cli_load(c, &cfg, &old) == -1)
		return 2;
	baseline_free(old);
	if ((m = cli_ingest(c, &cfg)) == NULL) {
		config_free(&cfg);
		return 2;
	}
	desc = cli_sources_desc(c);
	bl = baseline_from_model(m, desc);
	if (baseline_save(bl, c->output, &cause) == -1) {
		fprintf(stderr, "exectop: %s\n", cause);
		free(cause);
		rc = 2;
	} else
		fprintf(stderr, "exectop: baseline of %zu executors (%llu runs) "
		    "saved to %s\n", bl->n, (unsigned long long)m->records,
		    c->output);
	free(desc);
	baseline_free(bl);
	model_free(m);
	config_free(&cfg);
	return rc;
}

static int
cmd_gen(const struct cli *c)
{
	if (c->nsources != 0)
		usage_error("gen: unexpected argument '%s'", c->sources[0]);
	if (gen_run(&c->gen, STDOUT_FILENO) == -1) {
		if (errno == EPIPE)
			return 0;	/* the reader left: done */
		fprintf(stderr, "exectop: gen: %s\n", strerror(errno));
		return 2;
	}
	return 0;
}

/* The directory holding the shipped config: next to the binary's
 * ../config, else ./config. */
static char *
cli_data_dir(const char *what)
{
	char		 exe[PATH_MAX], *slash, *dir;
	ssize_t		 n;
	struct stat	 st;

	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			if ((slash = strrchr(exe, '/')) != NULL) {
				*slash = '\0';
				dir = xasprintf("%s/%s", exe, what);
				if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
					return dir;
				free(dir);
			}
		}
	}
	return xstrdup(what);
}

static int
cmd_demo(struct cli *c)
{
	char		 tmpl[] = "/tmp/exectop-demo.XXXXXX", *fifo, *confdir;
	char		*config;
	pid_t		 pid;
	int		 rc, fd, status;

	if (c->nsources != 0)
		usage_error("demo: unexpected argument '%s'", c->sources[0]);
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "exectop: demo: %s\n", strerror(errno));
		return 2;
	}
	fifo = xasprintf("%s/records.fifo", tmpl);
	if (mkfifo(fifo, 0600) == -1) {
		fprintf(stderr, "exectop: demo: mkfifo %s: %s\n", fifo,
		    strerror(errno));
		rmdir(tmpl);
		free(fifo);
		return 2;
	}
	confdir = cli_data_dir("config");
	config = xasprintf("%s/exectop.yaml", confdir);

	/* The producer: the generator at a steady rate, one executor slowed. */
	c->gen.records = 0;
	c->gen.rate = 200;
	c->gen.executors = 10;
	if (c->gen.nslow == 0)
		gen_add_slow(&c->gen, "D1-Q2:3");
	c->gen.seed = (uint64_t)time(NULL);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "exectop: demo: fork: %s\n", strerror(errno));
		rc = 2;
		goto out;
	}
	if (pid == 0) {
		signal(SIGINT, SIG_IGN);
		if ((fd = open(fifo, O_WRONLY)) == -1)
			_exit(2);
		gen_run(&c->gen, fd);
		_exit(0);
	}
	c->tui.config_path = config;
	c->tui.sources = &fifo;
	c->tui.nsources = 1;
	rc = tui_run(&c->tui);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
out:
	unlink(fifo);
	rmdir(tmpl);
	free(fifo);
	free(config);
	free(confdir);
	return rc;
}

static int
cmd_tui(struct cli *c)
{
	if (c->nsources == 0)
		usage_error("no SOURCE given (a file, a FIFO, or - for stdin)");
	c->tui.config_path = c->config;
	c->tui.baseline_path = c->baseline;
	c->tui.sources = c->sources;
	c->tui.nsources = c->nsources;
	return tui_run(&c->tui);
}

int
main(int argc, char **argv)
{
	struct cli	c;

	signal(SIGPIPE, SIG_IGN);
	cli_parse(&c, argc, argv);
	if (strcmp(c.command, "report") == 0)
		return cmd_report(&c);
	if (strcmp(c.command, "baseline") == 0)
		return cmd_baseline(&c);
	if (strcmp(c.command, "gen") == 0)
		return cmd_gen(&c);
	if (strcmp(c.command, "demo") == 0)
		return cmd_demo(&c);
	return cmd_tui(&c);
}
