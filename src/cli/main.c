/*
 * main.c - the exectop command line: the live TUI (default), and the
 * headless `report`, `baseline`, `gen`, `demo` and `config` commands.
 *
 * One table of options drives getopt, which command takes which option,
 * and each command's --help, so the three never disagree.  The config
 * file is discovered here (-c, $EXECTOP_CONFIG, the user's XDG file, the
 * installed default, else built-in defaults); `exectop config --print`
 * shows the outcome and where each value came from.
 *
 * Exit status: 0 fine, 1 the regression gate tripped (report --fail-on),
 * 2 usage, config or input error, 3 report read no valid record or more
 * invalid ones than --max-invalid.  Every error goes to stderr prefixed
 * "exectop: ".
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "baseline.h"
#include "config.h"
#include "escape.h"
#include "gen.h"
#include "ingest.h"
#include "model.h"
#include "paths.h"
#include "report.h"
#include "tui.h"
#include "xmalloc.h"
#include "ydoc.h"

#define EXECTOP_VERSION "0.1.0"

enum cli_cmd {
	CMD_TUI = 1 << 0,
	CMD_REPORT = 1 << 1,
	CMD_BASELINE = 1 << 2,
	CMD_GEN = 1 << 3,
	CMD_DEMO = 1 << 4,
	CMD_CONFIG = 1 << 5,
	CMD_ALL = (1 << 6) - 1
};

struct cli_command {
	const char	*name;		/* "tui" for the default command */
	enum cli_cmd	 cmd;
	const char	*synopsis;
	const char	*about;		/* one line, for `exectop --help` */
	const char	*text;		/* the paragraph of `COMMAND --help` */
};

static const struct cli_command cli_commands[] = {
	{ "tui", CMD_TUI,
	  "exectop [-c CONFIG] [-b BASELINE] [--theme NAME|FILE] [--no-mouse]\n"
	  "               [--no-color] SOURCE...",
	  "the live terminal UI (no command)",
	  "The live terminal UI: reads every SOURCE (a regular file followed\n"
	  "like tail -F, a named FIFO, or - for stdin; several are merged)\n"
	  "and shows live rankings, bottleneck scores and regression alerts\n"
	  "against the baseline.  Press ? in it for the keys.\n" },
	{ "report", CMD_REPORT,
	  "exectop report [-c CONFIG] [-b BASELINE] [-f json|markdown|html|junit]\n"
	  "               [-o FILE] [--fail-on warning|critical|never]\n"
	  "               [--max-invalid N] [-j N] SOURCE...",
	  "read every source to its end, write a report; the CI gate",
	  "Reads every SOURCE to its end (a FIFO until its writers close),\n"
	  "writes a report (JSON to stdout by default; -o writes a file\n"
	  "atomically) and exits 0, or 1 when a regression at or above\n"
	  "--fail-on exists, 3 when no valid record was read (or more invalid\n"
	  "ones than --max-invalid).  --format junit writes JUnit XML: one test case\n"
	  "per executor and checked metric, the gated regressions as failures.\n"
	  "SOURCE_DATE_EPOCH fixes the report's timestamp.\n" },
	{ "baseline", CMD_BASELINE,
	  "exectop baseline [-c CONFIG] -o FILE [-j N] SOURCE...",
	  "read every source to its end and save a baseline (YAML)",
	  "Reads every SOURCE to its end and saves the statistics of every\n"
	  "run as a baseline (YAML, written atomically) to compare later\n"
	  "runs against with -b.\n" },
	{ "gen", CMD_GEN,
	  "exectop gen [--records N] [--executors K] [--methods M] [--seed S]\n"
	  "               [--profile-seed P] [--slow ID:FACTOR] [--rate R]\n"
	  "               [--fail-rate F] [--noise SIGMA] [--ar RHO]\n"
	  "               [--outliers RATE:MIN-MAX] [--step ID:FACTOR@RUN]",
	  "write a deterministic synthetic stream to stdout",
	  "Writes a deterministic synthetic record stream to stdout:\n"
	  "executor i is D<i/5+1>-Q<i%5+1>, records go round-robin.\n"
	  "--noise, --ar, --outliers or --step switch to the noise model:\n"
	  "every metric is mean * exp(x), x an AR(1) series with standard\n"
	  "deviation SIGMA and lag-one correlation RHO; a fraction RATE of\n"
	  "runs is MIN-MAX times slower; --step multiplies an executor's time\n"
	  "by FACTOR from its RUN-th run on.\n" },
	{ "demo", CMD_DEMO,
	  "exectop demo [--theme NAME|FILE] [--no-mouse] [--no-color]",
	  "the TUI fed by the generator through a FIFO (make run)",
	  "Runs the live UI on the generator (200 records/s, D1-Q2 slowed 3x)\n"
	  "through a real FIFO, with the shipped config and the demo's\n"
	  "baseline (next to the binary, in the source tree or installed):\n"
	  "a CRIT alert shows within seconds.\n" },
	{ "config", CMD_CONFIG,
	  "exectop config [--print] [-c CONFIG] [-b BASELINE] [--theme NAME|FILE]",
	  "print the effective configuration and where each value came from",
	  "Prints the effective configuration, one key a line, each with\n"
	  "where its value came from (file:line, or default), the config file\n"
	  "chosen and why, the baseline, and the theme file that NAME\n"
	  "resolves to.\n" },
};
#define CLI_NCOMMANDS (sizeof cli_commands / sizeof cli_commands[0])

enum {
	OPT_FAIL_ON = 256, OPT_THEME, OPT_NO_MOUSE, OPT_NO_COLOR, OPT_RECORDS,
	OPT_EXECUTORS, OPT_METHODS, OPT_SEED, OPT_PROFILE_SEED, OPT_SLOW,
	OPT_RATE, OPT_FAIL_RATE, OPT_PRINT, OPT_VERSION, OPT_NOISE, OPT_AR,
	OPT_OUTLIERS, OPT_STEP, OPT_MAX_INVALID,
	OPT_FAIL_ON_MISSING, OPT_TIMEOUT
};

struct cli_option {
	const char	*name;
	int		 val;		/* short option or OPT_* */
	const char	*arg;		/* NULL for a flag */
	unsigned	 cmds;		/* CMD_* bits that take it */
	const char	*help;
};

static const struct cli_option cli_options[] = {
	{ "config", 'c', "FILE", CMD_TUI | CMD_REPORT | CMD_BASELINE |
	    CMD_CONFIG, "configuration file (YAML); default: discovered,\n"
	    "see Configuration below" },
	{ "baseline", 'b', "FILE", CMD_TUI | CMD_REPORT | CMD_CONFIG,
	    "baseline to compare against (overrides the config's)" },
	{ "format", 'f', "FMT", CMD_REPORT,
	    "json (default), markdown (md), html or junit" },
	{ "output", 'o', "FILE", CMD_REPORT | CMD_BASELINE,
	    "write to FILE (atomically) instead of stdout" },
	{ "threads", 'j', "N", CMD_REPORT | CMD_BASELINE,
	    "parser threads for regular files (default: CPUs)" },
	{ "fail-on", OPT_FAIL_ON, "LEVEL", CMD_REPORT,
	    "exit 1 on a regression at or above LEVEL: warning,\n"
	    "critical (default) or never" },
	{ "fail-on-missing", OPT_FAIL_ON_MISSING, NULL, CMD_REPORT,
	    "exit 1 when an executor of the baseline has no run\n"
	    "(default: listed as missing, a warning on stderr)" },
	{ "timeout", OPT_TIMEOUT, "SECONDS", CMD_REPORT | CMD_BASELINE,
	    "fail (exit 2) after SECONDS without data, e.g. a FIFO\n"
	    "no writer opens (default: wait; a note after 2 s)" },
	{ "max-invalid", OPT_MAX_INVALID, "N", CMD_REPORT,
	    "exit 3 when more than N records are invalid\n"
	    "(default: any number, each run warns on stderr)" },
	{ "theme", OPT_THEME, "NAME|FILE", CMD_TUI | CMD_DEMO | CMD_CONFIG,
	    "colour theme: a file, or NAME.yaml in the theme dirs" },
	{ "no-mouse", OPT_NO_MOUSE, NULL, CMD_TUI | CMD_DEMO,
	    "no mouse support" },
	{ "no-color", OPT_NO_COLOR, NULL, CMD_TUI | CMD_DEMO,
	    "no colours, attributes only (also NO_COLOR)" },
	{ "records", OPT_RECORDS, "N", CMD_GEN,
	    "records to write, 0 = endless (default 1000)" },
	{ "executors", OPT_EXECUTORS, "K", CMD_GEN,
	    "distinct executors (default 10)" },
	{ "methods", OPT_METHODS, "M", CMD_GEN,
	    "methods per executor (default 3)" },
	{ "seed", OPT_SEED, "S", CMD_GEN,
	    "run-to-run noise seed (default 1)" },
	{ "profile-seed", OPT_PROFILE_SEED, "P", CMD_GEN,
	    "executor profiles seed (default 42)" },
	{ "slow", OPT_SLOW, "ID:FACTOR", CMD_GEN,
	    "multiply one executor's times (repeatable)" },
	{ "rate", OPT_RATE, "R", CMD_GEN,
	    "records per second, 0 = as fast as possible (default)" },
	{ "fail-rate", OPT_FAIL_RATE, "F", CMD_GEN,
	    "fraction of failed runs (default 0.01)" },
	{ "noise", OPT_NOISE, "SIGMA", CMD_GEN,
	    "log-normal noise, sd of the log (noise model)" },
	{ "ar", OPT_AR, "RHO", CMD_GEN,
	    "lag-one correlation of the log noise, -1 < RHO < 1" },
	{ "outliers", OPT_OUTLIERS, "RATE:MIN-MAX", CMD_GEN,
	    "fraction of runs MIN to MAX times slower, e.g. 0.02:2-6" },
	{ "step", OPT_STEP, "ID:FACTOR@RUN", CMD_GEN,
	    "multiply ID's time by FACTOR from its run RUN on (repeatable)" },
	{ "print", OPT_PRINT, NULL, CMD_CONFIG,
	    "print the effective configuration (the default)" },
	{ "help", 'h', NULL, CMD_ALL, "show this help and exit" },
	{ "version", OPT_VERSION, NULL, CMD_ALL,
	    "show the version and exit" },
};
#define CLI_NOPTIONS (sizeof cli_options / sizeof cli_options[0])

static const char *cli_config_text =
"Configuration: -c FILE, else $EXECTOP_CONFIG, else\n"
"$XDG_CONFIG_HOME/exectop/config.yaml (~/.config/exectop/config.yaml),\n"
"else the installed default (PREFIX/share/exectop/exectop.yaml), else the\n"
"built-in defaults.  Themes: --theme NAME loads NAME.yaml from\n"
"~/.config/exectop/themes, then the installed themes.\n"
"\n"
"Environment: EXECTOP_CONFIG, XDG_CONFIG_HOME, HOME, NO_COLOR, TERM,\n"
"SOURCE_DATE_EPOCH.\n"
"\n"
"Exit status: 0 success, 1 regression gate tripped (report --fail-on),\n"
"2 usage, config or input error, 3 report read no valid record (or more\n"
"invalid ones than --max-invalid).\n";

static const struct cli_command *
cli_command_of(enum cli_cmd cmd)
{
	size_t	i;

	for (i = 0; i < CLI_NCOMMANDS; i++) {
		if (cli_commands[i].cmd == cmd)
			return &cli_commands[i];
	}
	return &cli_commands[0];
}

/* "  -c, --config FILE      text" with continuation lines indented. */
static void
cli_print_option(FILE *fp, const struct cli_option *o)
{
	char		 head[64];
	const char	*p, *nl;
	int		 n;

	if (o->val < 256)
		n = snprintf(head, sizeof head, "  -%c, --%s%s%s", o->val,
		    o->name, o->arg != NULL ? " " : "",
		    o->arg != NULL ? o->arg : "");
	else
		n = snprintf(head, sizeof head, "      --%s%s%s", o->name,
		    o->arg != NULL ? " " : "", o->arg != NULL ? o->arg : "");
	fputs(head, fp);
	if (n >= 28)
		fprintf(fp, "\n%28s", "");
	else
		fprintf(fp, "%*s", 28 - n, "");
	for (p = o->help; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		fprintf(fp, "%.*s\n%28s", (int)(nl - p), p, "");
	fprintf(fp, "%s\n", p);
}

static void
cli_print_options(FILE *fp, enum cli_cmd cmd)
{
	size_t	i;

	for (i = 0; i < CLI_NOPTIONS; i++) {
		if (cli_options[i].cmds & cmd)
			cli_print_option(fp, &cli_options[i]);
	}
}

static void
cli_usage(FILE *fp, enum cli_cmd cmd)
{
	fprintf(fp, "usage: %s\n", cli_command_of(cmd)->synopsis);
}

static void __attribute__((noreturn))
cli_help(enum cli_cmd cmd)
{
	const struct cli_command	*c = cli_command_of(cmd);
	size_t				 i;

	if (cmd != CMD_TUI) {
		cli_usage(stdout, cmd);
		printf("\n%s\nOptions:\n", c->text);
		cli_print_options(stdout, cmd);
		printf("\n%s", cli_config_text);
		exit(0);
	}
	for (i = 0; i < CLI_NCOMMANDS; i++)
		printf("%s %s\n", i == 0 ? "usage:" : "      ",
		    cli_commands[i].synopsis);
	printf("       exectop COMMAND --help | --version\n\n");
	printf("exectop watches executor performance records (JSON Lines) and "
	    "shows live\nrankings, bottleneck scores and regression alerts "
	    "against a baseline.\n\n%s\nCommands:\n", c->text);
	for (i = 0; i < CLI_NCOMMANDS; i++)
		printf("  %-10s  %s\n", i == 0 ? "(none)" : cli_commands[i].name,
		    cli_commands[i].about);
	printf("\nOptions of the live UI (exectop COMMAND --help shows a "
	    "command's own):\n");
	cli_print_options(stdout, CMD_TUI);
	printf("\n%s", cli_config_text);
	exit(0);
}

static enum cli_cmd cli_current = CMD_TUI;

static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	const struct cli_command	*c = cli_command_of(cli_current);
	va_list				 ap;

	fputs("exectop: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	cli_usage(stderr, cli_current);
	fprintf(stderr, "Try 'exectop%s%s --help'.\n",
	    cli_current == CMD_TUI ? "" : " ",
	    cli_current == CMD_TUI ? "" : c->name);
	exit(2);
}

/* Parser threads for regular files: -j, else the online CPUs. */
static unsigned
cli_default_threads(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

/* Everything the command line can say; each command reads its part. */
struct cli {
	enum cli_cmd	 cmd;
	const char	*config;
	const char	*baseline;
	const char	*output;
	int		 format;
	int		 fail_on;	/* SEV_* or -1 for never */
	int64_t		 max_invalid;	/* --max-invalid, -1 for no limit */
	bool		 fail_on_missing;
	unsigned	 timeout;	/* --timeout seconds, 0 = none */
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

static bool
cli_option_allowed(enum cli_cmd cmd, int val)
{
	size_t	i;

	for (i = 0; i < CLI_NOPTIONS; i++) {
		if (cli_options[i].val == val)
			return (cli_options[i].cmds & cmd) != 0;
	}
	return false;
}

/* Levenshtein distance of two short words (capped at 9). */
static size_t
cli_distance(const char *a, const char *b)
{
	size_t	la = strlen(a), lb = strlen(b), i, j, prev, cur, tmp;
	size_t	row[16];

	if (la > 15 || lb > 15)
		return 9;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			cur = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < cur)
				cur = row[j] + 1;
			if (row[j - 1] + 1 < cur)
				cur = row[j - 1] + 1;
			row[j] = cur;
			prev = tmp;
		}
	}
	return row[lb];
}

/*
 * A first argument that is no command: a source.  A bare word (no '/',
 * no '.', not an option or "-") that does not exist is a mistyped
 * command, not a file to wait for: exit 2 with the nearest command.
 * A name with '/' or '.' (./fifo, run.jsonl) stays a source even before
 * it exists (the live UI waits for it).
 */
static void
cli_check_first(const char *arg)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = 3;
	struct stat	 st;

	if (arg[0] == '-' || arg[0] == '\0' || strchr(arg, '/') != NULL ||
	    strchr(arg, '.') != NULL || stat(arg, &st) == 0)
		return;
	for (i = 1; i < CLI_NCOMMANDS; i++) {
		d = cli_distance(arg, cli_commands[i].name);
		if (d < bestd) {
			bestd = d;
			best = cli_commands[i].name;
		}
	}
	if (best != NULL)
		usage_error("'%s' is neither a command nor a file (did you mean "
		    "'%s'?)", arg, best);
	usage_error("'%s' is neither a command nor a file (commands: report, "
	    "baseline, gen, demo, config; a file that does not exist yet: "
	    "./%s)", arg, arg);
}

static void
cli_parse(struct cli *c, int argc, char **argv)
{
	struct option	 longs[CLI_NOPTIONS + 1];
	char		 shorts[32];
	size_t		 i, ns;
	int		 ch, idx;

	memset(c, 0, sizeof *c);
	c->cmd = CMD_TUI;
	c->format = REPORT_JSON;
	c->fail_on = SEV_CRITICAL;
	c->max_invalid = -1;
	gen_defaults(&c->gen);
	c->gen.records = 1000;
	for (i = 1; argc > 1 && i < CLI_NCOMMANDS; i++) {
		if (strcmp(argv[1], cli_commands[i].name) == 0) {
			c->cmd = cli_commands[i].cmd;
			argv++;
			argc--;
			break;
		}
	}
	cli_current = c->cmd;
	if (c->cmd == CMD_TUI && argc > 1)
		cli_check_first(argv[1]);
	c->threads = cli_default_threads();

	memset(longs, 0, sizeof longs);
	ns = 0;
	shorts[ns++] = ':';
	for (i = 0; i < CLI_NOPTIONS; i++) {
		longs[i].name = cli_options[i].name;
		longs[i].has_arg = cli_options[i].arg != NULL ?
		    required_argument : no_argument;
		longs[i].val = cli_options[i].val;
		if (cli_options[i].val < 256) {
			shorts[ns++] = (char)cli_options[i].val;
			if (cli_options[i].arg != NULL)
				shorts[ns++] = ':';
		}
	}
	shorts[ns] = '\0';

	while ((ch = getopt_long(argc, argv, shorts, longs, &idx)) != -1) {
		if (ch == '?')
			usage_error("unknown option '%s'", argv[optind - 1]);
		if (ch == ':')
			usage_error("option '%s' needs a value", argv[optind - 1]);
		if (!cli_option_allowed(c->cmd, ch))
			usage_error("option '%s' does not apply to %s",
			    argv[optind - 1], cli_command_of(c->cmd)->name);
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
				    "html, junit)", optarg);
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
		case OPT_TIMEOUT:
			c->timeout = (unsigned)parse_u64("--timeout", optarg,
			    86400 * 365);
			if (c->timeout == 0)
				usage_error("--timeout: must be at least 1");
			break;
		case OPT_FAIL_ON_MISSING:
			c->fail_on_missing = true;
			break;
		case OPT_MAX_INVALID:
			c->max_invalid = (int64_t)parse_u64("--max-invalid",
			    optarg, INT64_MAX);
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
		case OPT_NOISE:
			c->gen.noise = parse_double("--noise", optarg, 0, 10);
			break;
		case OPT_AR:
			c->gen.ar = parse_double("--ar", optarg, -0.999, 0.999);
			break;
		case OPT_OUTLIERS:
			if (gen_set_outliers(&c->gen, optarg) == -1)
				usage_error("--outliers: expected RATE:MIN-MAX with "
				    "0 <= RATE <= 1 and 0 < MIN <= MAX, got '%s'",
				    optarg);
			break;
		case OPT_STEP:
			if (gen_add_step(&c->gen, optarg) == -1)
				usage_error("--step: expected ID:FACTOR@RUN with "
				    "FACTOR > 0 and RUN >= 1 (at most %d), got '%s'",
				    GEN_MAX_STEP, optarg);
			break;
		case OPT_PRINT:
			break;
		case 'h':
			cli_help(c->cmd);
		case OPT_VERSION:
			printf("exectop %s\n", EXECTOP_VERSION);
			exit(0);
		}
	}
	c->sources = argv + optind;
	c->nsources = (size_t)(argc - optind);
}

/* Where the configuration came from, for `config --print`. */
struct cli_cfgsrc {
	char		*path;		/* NULL: built-in defaults */
	const char	*origin;	/* "-c", "$EXECTOP_CONFIG", ... */
};

/*
 * Picks the config file: -c FILE, else $EXECTOP_CONFIG (non-empty), else
 * the user's config.yaml when it exists, else the installed default when
 * it exists, else none (built-in defaults).  A file named by -c or
 * $EXECTOP_CONFIG must exist (loading it reports the error).
 */
static void
cli_config_find(const struct cli *c, struct cli_cfgsrc *src)
{
	const char	*env = getenv("EXECTOP_CONFIG"), *x;
	char		*dir, *p;

	src->path = NULL;
	src->origin = "built-in defaults";
	if (c->config != NULL) {
		src->path = xstrdup(c->config);
		src->origin = "-c";
		return;
	}
	if (env != NULL && *env != '\0') {
		src->path = xstrdup(env);
		src->origin = "$EXECTOP_CONFIG";
		return;
	}
	if ((dir = paths_user_dir()) != NULL) {
		p = xasprintf("%s/config.yaml", dir);
		free(dir);
		if (access(p, F_OK) == 0) {
			x = getenv("XDG_CONFIG_HOME");
			src->path = p;
			src->origin = x != NULL && x[0] == '/' ?
			    "$XDG_CONFIG_HOME/exectop/config.yaml" :
			    "~/.config/exectop/config.yaml";
			return;
		}
		free(p);
	}
	if ((dir = paths_data_dir()) != NULL) {
		p = xasprintf("%s/exectop.yaml", dir);
		free(dir);
		if (access(p, F_OK) == 0) {
			src->path = p;
			src->origin = "installed default";
			return;
		}
		free(p);
	}
}

/* Loads the config (see cli_config_find) and the baseline (-b, else the
 * config's); bl may be NULL when no baseline is wanted. */
static int
cli_load(const struct cli *c, struct config *cfg, struct baseline **bl)
{
	struct cli_cfgsrc	 src;
	const char		*bpath;
	char			*cause = NULL;

	cli_config_find(c, &src);
	config_defaults(cfg);
	if (src.path != NULL && config_load(cfg, src.path, &cause) == -1) {
		fprintf(stderr, "exectop: %s\n", cause);
		free(cause);
		free(src.path);
		return -1;
	}
	free(src.path);
	if (bl == NULL)
		return 0;
	*bl = NULL;
	bpath = c->baseline != NULL ? c->baseline : cfg->baseline;
	if (bpath != NULL && baseline_load(bl, bpath, &cause) == -1) {
		fprintf(stderr, "exectop: %s\n", cause);
		free(cause);
		config_free(cfg);
		return -1;
	}
	return 0;
}

/* Reads every source to its end into a new model; NULL on error. */
static struct model *
cli_ingest(const struct cli *c, const struct config *cfg,
    const struct baseline *bl)
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
		    cli_command_of(c->cmd)->name);
	lim.window = cfg->window;
	lim.max_executors = cfg->max_executors;
	lim.max_methods = cfg->max_methods;
	m = model_create(&lim);
	model_set_reference(m, bl, cfg);
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
		rc = ingest_run_to_eof_timeout(src, nsrc, m, c->timeout,
		    &cause);
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

/*
 * The input check of `report`: invalid records are a warning on stderr
 * (how many, by reason, and the newest one); returns why the input
 * cannot be trusted (malloc'd; report exits 3): no valid record, or more
 * invalid records than --max-invalid.  NULL when it can.
 */
static char *
cli_input_check(const struct cli *c, const struct model *m)
{
	const struct rejection	*r;
	unsigned		 i;
	int			 first = 1;

	if (m->invalid > 0) {
		fprintf(stderr, "exectop: warning: %llu invalid record%s skipped (",
		    (unsigned long long)m->invalid, m->invalid == 1 ? "" : "s");
		for (i = 0; i < REJECT_COUNT; i++) {
			if (m->invalid_by[i] == 0)
				continue;
			fprintf(stderr, "%s%s %llu", first ? "" : ", ",
			    record_reject_name(i),
			    (unsigned long long)m->invalid_by[i]);
			first = 0;
		}
		fputs(")", stderr);
		if ((r = model_rejection(m, 0)) != NULL) {
			char *src = escape_terminal(r->source);
			char *det = escape_terminal(r->detail);

			fprintf(stderr, "; last: %s:%llu: %s%s%s", src,
			    (unsigned long long)r->line,
			    record_reject_name(r->reason), det[0] != '\0' ?
			    ": " : "", det);
			free(src);
			free(det);
		}
		fputs("\n", stderr);
	}
	if (m->records == 0)
		return xasprintf("no valid record was read from %s (%llu "
		    "invalid): is the profiler writing records with an "
		    "executor_id?", c->nsources == 1 ? c->sources[0] :
		    "the sources", (unsigned long long)m->invalid);
	if (c->max_invalid >= 0 && m->invalid > (uint64_t)c->max_invalid)
		return xasprintf("%llu invalid records, more than --max-invalid "
		    "%lld", (unsigned long long)m->invalid,
		    (long long)c->max_invalid);
	return NULL;
}

static int
cmd_report(const struct cli *c)
{
	struct config		 cfg;
	struct baseline		*bl;
	struct model		*m;
	struct analysis		*a;
	struct report_ctx	 ctx;
	char			*cause = NULL, *desc, *input_error;
	const char		**missing;
	size_t			 nmissing;
	int			 rc = 0;

	if (cli_load(c, &cfg, &bl) == -1)
		return 2;
	if ((m = cli_ingest(c, &cfg, bl)) == NULL) {
		baseline_free(bl);
		config_free(&cfg);
		return 2;
	}
	a = analysis_run(m, bl, &cfg);
	desc = cli_sources_desc(c);
	input_error = cli_input_check(c, m);
	memset(&ctx, 0, sizeof ctx);
	ctx.model = m;
	ctx.analysis = a;
	ctx.baseline = bl;
	ctx.config = &cfg;
	ctx.now = cli_report_time();
	ctx.sources = desc;
	ctx.fail_on = c->fail_on;
	ctx.input_error = input_error;
	ctx.fail_on_missing = c->fail_on_missing;
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
	nmissing = baseline_missing(bl, m, &missing);
	if (nmissing > 0) {
		char *id = escape_terminal(missing[0]);

		fprintf(stderr, "exectop: %s: %zu executor%s of the baseline "
		    "with no run (%s%s)\n", c->fail_on_missing ? "error" :
		    "warning", nmissing, nmissing == 1 ? "" : "s", id,
		    nmissing > 1 ? ", ..." : "");
		free(id);
		if (rc == 0 && c->fail_on_missing)
			rc = 1;
	}
	free(missing);
	if (rc != 2 && input_error != NULL) {
		fprintf(stderr, "exectop: %s\n", input_error);
		rc = 3;
	}
	free(input_error);
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
	struct baseline	*bl;
	struct model	*m;
	char		*cause = NULL, *desc;
	int		 rc = 0;

	if (c->output == NULL)
		usage_error("baseline: -o FILE is required");
	if (cli_load(c, &cfg, NULL) == -1)
		return 2;
	if ((m = cli_ingest(c, &cfg, NULL)) == NULL) {
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

/* ------------------------------------------------------------------------
 * exectop config --print
 */

/* Where a key sits in the loaded file: "file:line", or NULL. */
static char *
cli_key_pos(const struct ynode *root, const char *file, const char *key)
{
	const struct ynode	*n = root;
	char			*k, *part, *save = NULL;

	if (root == NULL)
		return NULL;
	k = xstrdup(key);
	for (part = strtok_r(k, ".", &save); part != NULL && n != NULL;
	    part = strtok_r(NULL, ".", &save))
		n = n->type == YNODE_MAP ? ynode_get(n, part) : NULL;
	free(k);
	return n != NULL ? xasprintf("%s:%d", file, n->line) : NULL;
}

static void
cli_print_key(const struct ynode *root, const char *file, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
cli_print_key(const struct ynode *root, const char *file, const char *key,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*v, *line, *pos;

	va_start(ap, fmt);
	v = xvasprintf(fmt, ap);
	va_end(ap);
	line = xasprintf("%s: %s", key, v);
	pos = cli_key_pos(root, file, key);
	printf("%-48s # %s\n", line, pos != NULL ? pos : "default");
	free(pos);
	free(line);
	free(v);
}

/* Resolves a theme as the TUI does: a path when it has a '/' or ends in
 * ".yaml", else NAME.yaml in the theme directories. */
static void
cli_print_theme(const char *name, const char *from)
{
	char		**dirs, *p;
	size_t		  i, len = strlen(name);
	bool		  found = false;

	dirs = paths_theme_dirs();
	printf("# theme dirs:");
	for (i = 0; dirs[i] != NULL; i++)
		printf(" %s", dirs[i]);
	printf("%s\n", dirs[0] == NULL ? " (none)" : "");
	if (strchr(name, '/') != NULL ||
	    (len > 5 && strcmp(name + len - 5, ".yaml") == 0)) {
		printf("# theme: %s (%s): %s\n", name, from,
		    access(name, R_OK) == 0 ? name : "file not found");
		paths_list_free(dirs);
		return;
	}
	for (i = 0; dirs[i] != NULL && !found; i++) {
		p = xasprintf("%s/%s.yaml", dirs[i], name);
		if (access(p, R_OK) == 0) {
			printf("# theme: %s (%s): %s\n", name, from, p);
			found = true;
		}
		free(p);
	}
	if (!found)
		printf("# theme: %s (%s): %s\n", name, from,
		    strcmp(name, "default") == 0 || strcmp(name, "mono") == 0 ?
		    "built in" : "not found");
	paths_list_free(dirs);
}

static int
cmd_config(const struct cli *c)
{
	static const char *const formats[] = { "json", "markdown", "html" };
	struct cli_cfgsrc	 src;
	struct config		 cfg, def;
	struct ynode		*root = NULL;
	const char		*file;
	char			*cause = NULL, *d, *fmts;
	enum metric		 k;
	size_t			 i;

	if (c->nsources != 0)
		usage_error("config: unexpected argument '%s'", c->sources[0]);
	cli_config_find(c, &src);
	config_defaults(&cfg);
	config_defaults(&def);
	if (src.path != NULL) {
		if (config_load(&cfg, src.path, &cause) == -1 ||
		    ydoc_load_file(src.path, &root, &cause) == -1) {
			fprintf(stderr, "exectop: %s\n", cause);
			free(cause);
			free(src.path);
			return 2;
		}
	}
	file = src.path != NULL ? src.path : "";

	printf("# exectop %s effective configuration\n", EXECTOP_VERSION);
	printf("# config: %s (%s)\n", src.path != NULL ? src.path : "none",
	    src.origin);
	d = paths_user_dir();
	printf("# user config dir: %s\n", d != NULL ? d : "none ($HOME unset)");
	free(d);
	d = paths_data_dir();
	printf("# data dir: %s\n", d != NULL ? d : "none (not installed)");
	free(d);
	if (c->baseline != NULL)
		printf("# baseline: %s (-b)\n", c->baseline);
	cli_print_theme(c->tui.theme != NULL ? c->tui.theme : cfg.theme,
	    c->tui.theme != NULL ? "--theme" : "ui.theme");

	cli_print_key(root, file, "baseline", "%s",
	    cfg.baseline != NULL ? cfg.baseline : "none");
	for (k = 0; k < METRIC_COUNT; k++) {
		d = xasprintf("thresholds.%s", metric_name(k));
		if (cfg.has_threshold[k])
			cli_print_key(root, file, d, "%g", cfg.threshold[k]);
		else
			cli_print_key(root, file, d, "off");
		free(d);
	}
	cli_print_key(root, file, "critical_factor", "%g", cfg.critical_factor);
	cli_print_key(root, file, "min_samples", "%u", cfg.min_samples);
	cli_print_key(root, file, "significance", "%g", cfg.significance);
	cli_print_key(root, file, "window", "%zu", cfg.window);
	cli_print_key(root, file, "bottleneck.top_n", "%zu", cfg.top_n);
	for (k = 0; k < METRIC_COUNT; k++) {
		if (k != METRIC_EXEC_TIME && k != METRIC_MEM_FOOTPRINT &&
		    k != METRIC_SER_TIME)
			continue;
		d = xasprintf("bottleneck.weights.%s", metric_name(k));
		cli_print_key(root, file, d, "%g", cfg.weight[k]);
		free(d);
	}
	cli_print_key(root, file, "ui.refresh_ms", "%u", cfg.refresh_ms);
	cli_print_key(root, file, "ui.theme", "%s", cfg.theme);
	cli_print_key(root, file, "snapshot.dir", "%s", cfg.snapshot_dir);
	fmts = xstrdup("");
	for (i = 0; i < 3; i++) {
		if (cfg.snapshot_formats & (1u << i)) {
			d = xasprintf("%s%s%s", fmts, *fmts != '\0' ? ", " : "",
			    formats[i]);
			free(fmts);
			fmts = d;
		}
	}
	cli_print_key(root, file, "snapshot.formats", "[%s]", fmts);
	free(fmts);
	cli_print_key(root, file, "limits.max_executors", "%zu",
	    cfg.max_executors);
	cli_print_key(root, file, "limits.max_methods", "%zu", cfg.max_methods);
	cli_print_key(root, file, "limits.max_line_bytes", "%zu",
	    cfg.max_line_bytes);

	ynode_free(root);
	free(src.path);
	config_free(&cfg);
	config_free(&def);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		fprintf(stderr, "exectop: writing to stdout: %s\n",
		    strerror(errno));
		return 2;
	}
	return 0;
}

/* ------------------------------------------------------------------------
 * exectop demo, and the live UI
 */

/* Copies src into dir/name; returns the copy's path, NULL on failure. */
static char *
demo_copy(const char *src, const char *dir, const char *name)
{
	char	 buf[65536], *dst;
	size_t	 n;
	FILE	*in, *out;
	int	 ok = 1;

	if ((in = fopen(src, "rb")) == NULL)
		return NULL;
	dst = xasprintf("%s/%s", dir, name);
	if ((out = fopen(dst, "wb")) == NULL)
		ok = 0;
	while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
		ok = fwrite(buf, 1, n, out) == n;
	ok = ok && !ferror(in);
	if (out != NULL && fclose(out) != 0)
		ok = 0;
	fclose(in);
	if (!ok) {
		unlink(dst);
		free(dst);
		return NULL;
	}
	return dst;
}

static int
cmd_demo(struct cli *c)
{
	char		 tmpl[] = "/tmp/exectop-demo.XXXXXX", *fifo, *dir;
	char		*config = NULL, *baseline = NULL;
	pid_t		 pid;
	int		 rc, fd, status;

	if (c->nsources != 0)
		usage_error("demo: unexpected argument '%s'", c->sources[0]);
	if (mkdtemp(tmpl) == NULL) {
		fprintf(stderr, "exectop: demo: %s\n", strerror(errno));
		return 2;
	}
	/*
	 * The shipped config and the demo's baseline (ROOT/config in a source
	 * tree, PREFIX/share/exectop when installed), copied next to the FIFO:
	 * the threshold editor's `w` and the `b` key then change the copies,
	 * never the shipped files.
	 */
	if ((dir = paths_shipped_dir()) != NULL) {
		char	*src = xasprintf("%s/exectop.yaml", dir);

		config = demo_copy(src, tmpl, "exectop.yaml");
		free(src);
		src = xasprintf("%s/baseline.yaml", dir);
		baseline = demo_copy(src, tmpl, "baseline.yaml");
		free(src);
		free(dir);
	}
	if (config == NULL)
		fprintf(stderr, "exectop: demo: no shipped config found next "
		    "to the binary; using the built-in defaults\n");
	fifo = xasprintf("%s/records.fifo", tmpl);
	if (mkfifo(fifo, 0600) == -1) {
		fprintf(stderr, "exectop: demo: mkfifo %s: %s\n", fifo,
		    strerror(errno));
		rc = 2;
		goto out;
	}

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
	c->tui.baseline_path = baseline;
	c->tui.sources = &fifo;
	c->tui.nsources = 1;
	rc = tui_run(&c->tui);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
out:
	unlink(fifo);
	if (config != NULL)
		unlink(config);
	if (baseline != NULL)
		unlink(baseline);
	rmdir(tmpl);
	free(fifo);
	free(config);
	free(baseline);
	return rc;
}

static int
cmd_tui(struct cli *c)
{
	struct cli_cfgsrc	src;
	int			rc;

	if (c->nsources == 0)
		usage_error("no SOURCE given (a file, a FIFO, or - for stdin)");
	cli_config_find(c, &src);
	c->tui.config_path = src.path;
	c->tui.baseline_path = c->baseline;
	c->tui.sources = c->sources;
	c->tui.nsources = c->nsources;
	rc = tui_run(&c->tui);
	free(src.path);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli	c;

	/*
	 * The parallel reader's batches are large and short-lived.  A fixed
	 * mmap threshold keeps them mmap'd, so freeing one gives it back;
	 * glibc's adaptive threshold would move them into heap arenas that
	 * only grow, and peak memory would creep up with the number of
	 * records instead of staying flat.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	signal(SIGPIPE, SIG_IGN);
	/* Past the file size limit write() fails with EFBIG (reported)
	 * instead of the process being killed. */
	signal(SIGXFSZ, SIG_IGN);
	cli_parse(&c, argc, argv);
	switch (c.cmd) {
	case CMD_REPORT:
		return cmd_report(&c);
	case CMD_BASELINE:
		return cmd_baseline(&c);
	case CMD_GEN:
		return cmd_gen(&c);
	case CMD_DEMO:
		return cmd_demo(&c);
	case CMD_CONFIG:
		return cmd_config(&c);
	default:
		return cmd_tui(&c);
	}
}
