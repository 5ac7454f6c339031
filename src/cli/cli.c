/*
 * cli.c - exectop's command line: the table of commands (each defined in
 * its cmd_*.c), one table of options that drives getopt, which command
 * takes which option, and each command's --help, so the three never
 * disagree; usage errors.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "analysis.h"
#include "report.h"

/* In the order of `exectop --help`; the first is the default command. */
static const struct cli_command *const cli_commands[] = {
	&cli_cmd_tui, &cli_cmd_report, &cli_cmd_baseline, &cli_cmd_gen,
	&cli_cmd_demo, &cli_cmd_config
};
#define CLI_NCOMMANDS (sizeof cli_commands / sizeof cli_commands[0])

enum {
	OPT_FAIL_ON = 256, OPT_THEME, OPT_NO_MOUSE, OPT_NO_COLOR, OPT_RECORDS,
	OPT_EXECUTORS, OPT_METHODS, OPT_SEED, OPT_PROFILE_SEED, OPT_SLOW,
	OPT_RATE, OPT_FAIL_RATE, OPT_PRINT, OPT_VERSION, OPT_NOISE, OPT_AR,
	OPT_OUTLIERS, OPT_STEP, OPT_MAX_INVALID,
	OPT_FAIL_ON_MISSING, OPT_TIMEOUT, OPT_FROM_START
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
	{ "from-start", OPT_FROM_START, NULL, CMD_TUI,
	    "read Redis streams from their first entry (default:\n"
	    "new entries only; report and baseline always do)" },
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

const struct cli_command *
cli_command_of(enum cli_cmd cmd)
{
	size_t	i;

	for (i = 0; i < CLI_NCOMMANDS; i++) {
		if (cli_commands[i]->cmd == cmd)
			return cli_commands[i];
	}
	return cli_commands[0];
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
		    cli_commands[i]->synopsis);
	printf("       exectop COMMAND --help | --version\n\n");
	printf("exectop watches executor performance records (JSON Lines) and "
	    "shows live\nrankings, bottleneck scores and regression alerts "
	    "against a baseline.\n\n%s\nCommands:\n", c->text);
	for (i = 0; i < CLI_NCOMMANDS; i++)
		printf("  %-10s  %s\n", i == 0 ? "(none)" : cli_commands[i]->name,
		    cli_commands[i]->about);
	printf("\nOptions of the live UI (exectop COMMAND --help shows a "
	    "command's own):\n");
	cli_print_options(stdout, CMD_TUI);
	printf("\n%s", cli_config_text);
	exit(0);
}

static enum cli_cmd cli_current = CMD_TUI;

void
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
		d = cli_distance(arg, cli_commands[i]->name);
		if (d < bestd) {
			bestd = d;
			best = cli_commands[i]->name;
		}
	}
	if (best != NULL)
		usage_error("'%s' is neither a command nor a file (did you mean "
		    "'%s'?)", arg, best);
	usage_error("'%s' is neither a command nor a file (commands: report, "
	    "baseline, gen, demo, config; a file that does not exist yet: "
	    "./%s)", arg, arg);
}

void
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
		if (strcmp(argv[1], cli_commands[i]->name) == 0) {
			c->cmd = cli_commands[i]->cmd;
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
		case OPT_FROM_START:
			c->from_start = true;
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
				usage_error("--slow: expected ID:FACTOR with FACTOR a "
				    "decimal in (0, 1e6] (at most %d), got '%s'",
				    GEN_MAX_SLOW, optarg);
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
				    "FACTOR in (0, 1e6] and RUN >= 1 (at most %d), "
				    "got '%s'",
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
