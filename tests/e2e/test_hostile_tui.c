/*
 * test_hostile_tui.c - issue 5, case 5 in the live TUI: ids, method
 * names, errors and rejected lines holding every character that acts on
 * a terminal (ESC sequences including an unterminated OSC, BEL, CR, BS,
 * LF, C1 CSI, U+202E, U+2028) are drawn as visible placeholders, one
 * record on one row, columns aligned, in the table, the detail view and
 * the "last invalid" line.  The real binary runs in a private tmux server
 * (tests/lib/tmux.h) whose screen is read back.
 *
 * test_tui.c checks ESC sequences and wide characters in the table; this
 * file adds the characters ncurses passes through to the terminal.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "tmux.h"

#define WAIT	20000

static char		*dir;
static struct tmux	 tm;

static void
setup(void)
{
	cr_assert(tmux_available(), "tmux is needed for these tests");
	cr_assert_eq(tu_export_exectop(), 0, "no exectop binary at %s",
	    tu_exectop());
	memset(&tm, 0, sizeof tm);
	dir = tu_tmpdir();
}

static void
teardown(void)
{
	tmux_stop(&tm);
	tu_rmtree(dir);
	free(dir);
}

TestSuite(hostile_tui, .init = setup, .fini = teardown, .timeout = 120);

/* What goes into the stream (JSON escapes) and what must be seen. */
static const struct {
	const char	*json;
	const char	*shown;
} hostile[] = {
	{ "osc\\u001b]8;;http://evil", "osc\\x1b]8;;http://evil" },
	{ "bel\\u0007bel", "bel\\x07bel" },
	{ "cr\\rcr", "cr\\rcr" },
	{ "bs\\bbs", "bs\\x08bs" },
	{ "lf\\nlf", "lf\\nlf" },
	{ "csi\\u009b2Jcsi", "csi\\u009b2Jcsi" },
	{ "rlo\\u202eolr", "rlo\\u202eolr" },
	{ "ls\\u2028ls", "ls\\u2028ls" },
	{ "tab\\ttab", "tab\\ttab" },
};
#define NHOSTILE (sizeof hostile / sizeof hostile[0])

/* The screen line holding text (malloc'd), NULL when none. */
static char *
line_with(const char *screen, const char *text)
{
	const char	*p = strstr(screen, text), *l, *e;

	if (p == NULL)
		return NULL;
	for (l = p; l > screen && l[-1] != '\n'; l--)
		;
	e = strchr(p, '\n');
	return e != NULL ? strndup(l, (size_t)(e - l)) : strdup(l);
}

static int
count(const char *s, const char *needle)
{
	int	n = 0;

	for (s = strstr(s, needle); s != NULL; s = strstr(s + 1, needle))
		n++;
	return n;
}

/* Lines holding anything but spaces. */
static int
nonblank_lines(const char *s)
{
	int	n = 0, any = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			n += any;
			any = 0;
		} else if (*s != ' ')
			any = 1;
	}
	return n + any;
}

/* Display columns from s to p: characters, not bytes (everything on
 * these rows is one column wide, "…" included). */
static int
columns(const char *s, const char *p)
{
	int	n = 0;

	for (; s < p; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n;
}

static void
start(const char *args)
{
	char	*cmd;

	cmd = tu_fmt("LC_ALL=C.UTF-8 XDG_CONFIG_HOME='%s' '%s' %s 2>err.txt; "
	    "echo EXIT=$? > exit.txt", dir, tu_exectop(), args);
	cr_assert_eq(tmux_start(&tm, 160, 40, dir, cmd), 0);
	free(cmd);
}

static bool
records_are(const char *screen, void *want)
{
	const char	*p = strstr(screen, " records ");

	return p != NULL && strtoll(p + 9, NULL, 10) == *(long long *)want;
}

Test(hostile_tui, control_characters_are_placeholders_one_row_each)
{
	char		*log = tu_fmt("%s/run.jsonl", dir), *line, *s, *row;
	char		*table;
	const char	*end;
	long long	 want = NHOSTILE;
	size_t		 i;
	int		 col = -1, c;
	const char	*p;

	tu_write_file(log, "", 0, 0);
	for (i = 0; i < NHOSTILE; i++) {
		line = tu_fmt("{\"executor_id\":\"%s\",\"execution_time_ms\":"
		    "77.5,\"success\":false,\"error\":\"E:%s\",\"method_calls\":"
		    "[{\"class_name\":\"C%s\",\"method_name\":\"m\","
		    "\"execution_time_ms\":1}]}\n", hostile[i].json,
		    hostile[i].json, hostile[i].json);
		tu_write_file(log, line, strlen(line), 1);
		free(line);
	}
	start("run.jsonl");
	cr_assert(tmux_wait_until(&tm, records_are, &want, WAIT));
	cr_assert(tmux_wait_for(&tm, hostile[0].shown, WAIT));
	s = tmux_capture(&tm);
	cr_assert_not_null(s);
	/* The table: from its header line to the alerts panel. */
	table = strstr(s, "EXECUTOR");
	cr_assert_not_null(table, "%s", s);
	end = strstr(table, " Alerts:");
	cr_assert_not_null(end, "%s", s);
	table = strndup(table, (size_t)(end - table));
	for (i = 0; i < NHOSTILE; i++) {
		/* Long ids are cut with an ellipsis: match the start. */
		char	*shown = strndup(hostile[i].shown, 14);

		row = line_with(table, shown);
		cr_assert_not_null(row, "'%s' not shown as '%s':\n%s",
		    hostile[i].json, hostile[i].shown, s);
		cr_assert_eq(count(table, shown), 1, "'%s' more than once:\n%s",
		    shown, s);
		/* The row goes on after the id: the numbers are on it, at
		 * the same column as on every other row. */
		p = strstr(row, "77.5");
		cr_assert_not_null(p, "row of '%s' cut: %s", shown, row);
		c = columns(row, p);
		if (col == -1)
			col = c;
		cr_assert_eq(c, col, "row of '%s' misaligned (%d, not %d):\n%s",
		    shown, c, col, s);
		free(row);
		free(shown);
	}
	/* One row per record: nothing leaked onto rows of its own. */
	cr_assert_eq(nonblank_lines(table), (int)NHOSTILE + 1, "%s", s);
	cr_assert_eq(count(table, "olr"), 1, "%s", s);
	free(table);
	free(s);

	/* The detail view of the worst one: error and method escaped. */
	tmux_keys(&tm, "/");
	tmux_type(&tm, "lf");
	tmux_keys(&tm, "Enter");
	tmux_keys(&tm, "Enter");
	cr_assert(tmux_wait_for(&tm, "Methods:", WAIT));
	cr_assert(tmux_wait_for(&tm, "Clf\\nlf", WAIT));
	cr_assert(tmux_wait_for(&tm, "E:lf\\nlf", WAIT));
	tmux_keys(&tm, "Escape");
	tmux_keys(&tm, "Escape");
	cr_assert(tmux_wait_for(&tm, "EXECUTOR", WAIT));
	tmux_keys(&tm, "q");
	cr_assert(tu_wait_file(s = tu_fmt("%s/exit.txt", dir), "EXIT=0", WAIT));
	free(s);
	free(log);
}

/* The last invalid line, as shown by `i`: the reason and an inert
 * detail, even when jansson's message quotes raw control bytes. */
Test(hostile_tui, invalid_line_detail_is_inert)
{
	char		*log = tu_fmt("%s/run.jsonl", dir), *s, *row;
	const char	*data =
	    "{\"executor_id\":\"ok\",\"execution_time_ms\":1}\n"
	    "{\"executor_id\":\"x\",\x1b]0;PWNED\x07\r\b\n";
	long long	 want = 1;

	tu_write_file(log, data, strlen(data), 0);
	start("run.jsonl");
	cr_assert(tmux_wait_until(&tm, records_are, &want, WAIT));
	cr_assert(tmux_wait_for(&tm, "invalid 1", WAIT));
	tmux_keys(&tm, "i");
	cr_assert(tmux_wait_for(&tm, "invalid_json", WAIT));
	s = tmux_capture(&tm);
	row = line_with(s, "invalid_json");
	cr_assert_not_null(row);
	/* The window title was not set, the line was not split. */
	cr_assert_null(strstr(s, "\x07"));
	cr_assert(strstr(row, ":2") != NULL, "no line number: %s", row);
	free(row);
	free(s);
	tmux_keys(&tm, "q");
	cr_assert(tu_wait_file(s = tu_fmt("%s/exit.txt", dir), "EXIT=0", WAIT));
	free(s);
	free(log);
}
