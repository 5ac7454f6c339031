/*
 * test_docs.c - the manual page and the help stay true to the program:
 * exectop.1 passes `mandoc -Tlint`, renders every section, and describes
 * every long option that `exectop --help` and each command's --help
 * print, every key of the TUI's help table (help_lines, the table the
 * `?` screen draws), every configuration key with the default that
 * `exectop config --print` reports, the environment variables, the exit
 * statuses and the version.  The README shows the browser screenshot.
 * Tests include only public headers and the declared tests/lib ones.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "internal.h"

static const char *const commands[] = { "", "report", "baseline", "gen",
	"demo", "config" };

/* The man page source with roff escapes reduced to plain characters. */
static char *
man_text(void)
{
	char	*path = tu_fmt("%s/exectop.1", tu_root()), *src, *out, *o;
	const char *s;

	src = tu_read_file(path, NULL);
	cr_assert_not_null(src, "no %s", path);
	out = o = calloc(1, strlen(src) + 1);
	for (s = src; *s != '\0'; s++) {
		if (s[0] != '\\') {
			*o++ = *s;
			continue;
		}
		if (s[1] == '-' || s[1] == 'e') {
			*o++ = s[1] == '-' ? '-' : '\\';
			s++;
		} else if (s[1] == '&')
			s++;
		else if (s[1] == 'f' && s[2] != '\0')
			s += 2;			/* \fB \fI \fR \fP */
		else if (s[1] == '(' && s[2] != '\0' && s[3] != '\0') {
			*o++ = '?';		/* \(mu \(dq */
			s += 3;
		} else
			*o++ = *s;
	}
	free(src);
	free(path);
	return out;
}

/* Whether word appears in text, not as part of a longer option name. */
static bool
has_word(const char *text, const char *word)
{
	const char	*p = text;
	size_t		 n = strlen(word);

	while ((p = strstr(p, word)) != NULL) {
		if (!isalnum((unsigned char)p[n]) && p[n] != '-' && p[n] != '_')
			return true;
		p++;
	}
	return false;
}

/* The text of a section, from ".SH NAME" to the next ".SH". */
static char *
man_section(const char *text, const char *name)
{
	char		*head = tu_fmt(".SH %s\n", name);
	const char	*p = strstr(text, head), *end;

	cr_assert_not_null(p, "the man page has no %s section", name);
	p += strlen(head);
	end = strstr(p, "\n.SH ");
	free(head);
	return strndup(p, end != NULL ? (size_t)(end - p) : strlen(p));
}

Test(docs, man_page_lints_clean)
{
	char	*cmd, *out = NULL, *err = NULL;
	int	 st;

	cr_assert_eq(tu_run("command -v mandoc", NULL, NULL), 0,
	    "mandoc is not installed: run .ci/deps.sh test");
	cmd = tu_fmt("mandoc -Tlint -W style '%s/exectop.1' 2>&1", tu_root());
	st = tu_run(cmd, &out, &err);
	cr_expect_eq(st, 0, "%s: exit %d:\n%s", cmd, st, out);
	cr_expect_str_eq(out, "", "mandoc -Tlint:\n%s", out);
	free(cmd);
	free(out);
	free(err);

	/* It renders, with every section a manual page is expected to have. */
	cmd = tu_fmt("mandoc -Tascii '%s/exectop.1' | col -b", tu_root());
	cr_assert_eq(tu_run(cmd, &out, NULL), 0);
	{
		static const char *const sections[] = { "NAME", "SYNOPSIS",
		    "DESCRIPTION", "COMMANDS", "OPTIONS", "KEYS",
		    "CONFIGURATION", "THEMES", "FILES", "ENVIRONMENT",
		    "EXIT STATUS", "EXAMPLES", "SEE ALSO" };
		size_t i;

		for (i = 0; i < sizeof sections / sizeof sections[0]; i++) {
			char *h = tu_fmt("\n%s\n", sections[i]);

			cr_expect_not_null(strstr(out, h), "no %s", sections[i]);
			free(h);
		}
	}
	free(out);
	free(cmd);
}

Test(docs, every_option_of_every_help_is_in_the_man_page)
{
	char	*man = man_text(), *cmd, *out = NULL, *line, *save = NULL, *p;
	char	*opts = man_section(man, "OPTIONS");
	char	 opt[64];
	size_t	 i, n, total = 0;

	for (i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		cmd = tu_fmt("'%s' %s --help", tu_exectop(), commands[i]);
		cr_assert_eq(tu_run(cmd, &out, NULL), 0, "%s", cmd);
		cr_expect_not_null(strstr(out, "usage: exectop"), "%s", out);
		cr_expect_not_null(strstr(out, "Exit status: 0"), "%s", out);
		cr_expect_not_null(strstr(out, "EXECTOP_CONFIG"), "%s", out);
		if (*commands[i] != '\0') {
			p = tu_fmt(".SY \"exectop %s\"", commands[i]);
			cr_expect_not_null(strstr(man, p), "no synopsis of %s",
			    commands[i]);
			free(p);
		}
		/* Option lines: "  -c, --config FILE ..." or "      --x". */
		for (line = strtok_r(out, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			p = line + strspn(line, " ");
			if (p == line || p[0] != '-')
				continue;
			if (p[1] != '-' && (p = strstr(p, ", --")) != NULL)
				p += 2;
			if (p == NULL || strncmp(p, "--", 2) != 0)
				continue;
			n = strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
			cr_assert_lt(n + 2, sizeof opt);
			snprintf(opt, sizeof opt, "%.*s", (int)n + 2, p);
			cr_expect(has_word(opts, opt), "%s --help prints %s, "
			    "which the man page's OPTIONS does not describe",
			    *commands[i] ? commands[i] : "exectop", opt);
			total++;
		}
		free(out);
		free(cmd);
	}
	/* Not vacuous: 20 distinct options plus repeats across commands. */
	cr_expect_geq(total, 30, "only %zu option lines found", total);
	free(opts);
	free(man);
}

Test(docs, every_tui_key_is_in_the_man_page)
{
	char	*man = man_text(), *keys = man_section(man, "KEYS");
	char	*want;
	size_t	 i, nkeys = 0;

	for (i = 0; i < help_nlines; i++) {
		if (help_lines[i].keys == NULL) {
			if (*help_lines[i].what != '\0') {
				want = tu_fmt(".SS %s\n", help_lines[i].what);
				cr_expect_not_null(strstr(keys, want),
				    "no KEYS subsection '%s'",
				    help_lines[i].what);
				free(want);
			}
			continue;
		}
		want = tu_fmt(".B %s\n", help_lines[i].keys);
		cr_expect_not_null(strstr(keys, want), "the TUI help lists "
		    "'%s' (%s), the man page's KEYS does not",
		    help_lines[i].keys, help_lines[i].what);
		free(want);
		nkeys++;
	}
	cr_expect_geq(nkeys, 20);
	free(keys);
	free(man);
}

Test(docs, every_config_key_and_default_is_in_the_man_page)
{
	char	*man = man_text(), *conf = man_section(man, "CONFIGURATION");
	char	*dir = tu_tmpdir(), *cmd, *out = NULL, *line, *save = NULL;
	char	*key, *val, *hash, *want, *entry, *end;
	size_t	 nkeys = 0;

	/* The built-in defaults, whatever config the machine has. */
	cmd = tu_fmt("cd '%s' && env -u EXECTOP_CONFIG XDG_CONFIG_HOME='%s' "
	    "'%s' config --print", dir, dir, tu_exectop());
	cr_assert_eq(tu_run(cmd, &out, NULL), 0, "%s", cmd);
	for (line = strtok_r(out, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || (hash = strstr(line, " # ")) == NULL)
			continue;
		cr_expect_not_null(strstr(hash, "# default"), "%s", line);
		while (hash > line && hash[-1] == ' ')
			hash--;
		*hash = '\0';
		key = line;
		val = strstr(line, ": ");
		cr_assert_not_null(val, "%s", line);
		*val = '\0';
		val += 2;
		want = tu_fmt(".TP\n.B %s\n", key);
		entry = strstr(conf, want);
		cr_expect_not_null(entry, "config key %s is not described", key);
		if (entry != NULL) {
			entry += strlen(want);
			end = strstr(entry, ".TP\n");
			entry = strndup(entry, end != NULL ?
			    (size_t)(end - entry) : strlen(entry));
			free(want);
			want = tu_fmt("Default: %s", val);
			cr_expect_not_null(strstr(entry, want), "%s: the man "
			    "page does not say '%s':\n%s", key, want, entry);
			free(entry);
		}
		free(want);
		nkeys++;
	}
	cr_expect_geq(nkeys, 21, "only %zu keys printed", nkeys);
	free(out);
	free(cmd);
	free(conf);
	free(man);
	tu_rmtree(dir);
	free(dir);
}

Test(docs, environment_exit_status_and_version)
{
	static const char *const vars[] = { "NO_COLOR", "EXECTOP_CONFIG",
	    "XDG_CONFIG_HOME", "TERM", "SOURCE_DATE_EPOCH" };
	char	*man = man_text(), *sec, *want, *cmd, *out = NULL;
	size_t	 i;

	sec = man_section(man, "ENVIRONMENT");
	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		want = tu_fmt(".B %s\n", vars[i]);
		cr_expect_not_null(strstr(sec, want), "%s not in ENVIRONMENT",
		    vars[i]);
		free(want);
	}
	free(sec);
	sec = man_section(man, "EXIT STATUS");
	cr_expect_not_null(strstr(sec, ".B 0\n"));
	cr_expect_not_null(strstr(sec, ".B 1\n"));
	cr_expect_not_null(strstr(sec, ".B 2\n"));
	free(sec);
	sec = man_section(man, "FILES");
	cr_expect_not_null(strstr(sec, "config.yaml"));
	cr_expect_not_null(strstr(sec, "share/exectop/themes"));
	free(sec);

	cmd = tu_fmt("'%s' --version", tu_exectop());
	cr_assert_eq(tu_run(cmd, &out, NULL), 0);
	out[strcspn(out, "\n")] = '\0';
	want = tu_fmt("\"%s\"", out);	/* .TH ... "exectop X.Y.Z" */
	cr_expect_not_null(strstr(man, want), "man page is not for %s", out);
	free(want);
	free(out);
	free(cmd);
	free(man);
}

Test(docs, readme_shows_the_report_screenshot)
{
	char	*p = tu_fmt("%s/README.md", tu_root()), *readme, *png;
	size_t	 len;

	readme = tu_read_file(p, NULL);
	cr_assert_not_null(readme);
	cr_expect_not_null(strstr(readme, "](tests/browser/report.png)"));
	cr_expect_not_null(strstr(readme, "## Feeding exectop from Python"));
	free(p);
	p = tu_fmt("%s/tests/browser/report.png", tu_root());
	png = tu_read_file(p, &len);
	cr_assert_not_null(png, "no %s", p);
	cr_expect(len > 10000 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
	free(png);
	free(readme);
	free(p);
}

/* Tests, benchmarks and fuzz targets include public headers (include/),
 * the helpers of tests/lib and tests/lib/internal.h: no path into src/,
 * and src/'s own headers only through internal.h. */
Test(docs, tests_include_only_declared_headers)
{
	char	*cmd, *out = NULL, *err = NULL;

	cmd = tu_fmt("cd '%s' && grep -rnE '^[[:space:]]*#[[:space:]]*include"
	    "[[:space:]]*\"([.][.]/)+src/|^[[:space:]]*#[[:space:]]*include"
	    "[[:space:]]*\"(tui|cli|config|ingest|model|report|stats|util|gen|"
	    "analysis)/' tests --include='*.c' --include='*.h' | grep -v "
	    "'^tests/lib/internal.h:'", tu_root());
	tu_run(cmd, &out, &err);
	cr_expect_str_eq(out, "", "undeclared internal includes:\n%s", out);
	free(out);
	free(err);
	free(cmd);
}

/*
 * Issue 13 item 13: the man page's socat example is README's (one
 * listener and FIFO per machine): every socat line of the page is a line
 * of README, so the page cannot send every machine into one FIFO again.
 */
Test(docs, man_page_socat_example_is_the_readme_one)
{
	char	*man = man_text(), *rp = tu_fmt("%s/README.md", tu_root());
	char	*readme = tu_read_file(rp, NULL), *line, *save = NULL, *want;
	int	 n = 0, listeners = 0;

	cr_assert_not_null(readme);
	for (line = strtok_r(man, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "socat -u") == NULL)
			continue;
		n++;
		if (strstr(line, "TCP-LISTEN") != NULL)
			listeners++;
		want = tu_fmt("\n%s\n", line);
		cr_expect(strstr(readme, want) != NULL,
		    "man page line not in README: %s", line);
		free(want);
	}
	cr_assert(n >= 3, "%d socat lines in the man page", n);
	cr_assert(listeners >= 2, "one listener per machine: %d", listeners);
	free(readme);
	free(rp);
	free(man);
}

/*
 * Issue 13 item 14: README says how to capture a baseline that means
 * something, and its A/A check works as written: a baseline from one
 * generated run and a second run of the same setup (another noise seed)
 * exit 0 with --fail-on warning, while a slowed run fails it.
 */
Test(docs, readme_baseline_capture_advice_and_its_aa_check,
    .init = tu_dir_setup_isolated, .fini = tu_dir_teardown, .timeout = 120)
{
	char	*rp = tu_fmt("%s/README.md", tu_root());
	char	*readme = tu_read_file(rp, NULL), *sec, *end, *cmd, *d;
	int	 st;

	cr_assert_not_null(readme);
	sec = strstr(readme, "### Capturing a baseline that means something");
	cr_assert_not_null(sec, "README has no baseline capture section");
	end = strstr(sec + 4, "\n## ");
	cr_assert_not_null(end);
	*end = '\0';
	cr_assert(strstr(sec, "Same machine, same load") != NULL);
	cr_assert(strstr(sec, "make test") != NULL);
	cr_assert(strstr(sec, "Same pacing") != NULL);
	cr_assert(strstr(sec, "min_samples") != NULL);
	cr_assert(strstr(sec, "exectop report -b baseline.yaml --fail-on "
	    "warning run2.jsonl") != NULL, "the A/A command changed");
	d = tu_dir;
	cmd = tu_fmt("cd '%s' && '%s' gen --records 4000 > run1.jsonl && "
	    "'%s' gen --records 4000 --seed 2 > run2.jsonl && "
	    "'%s' baseline -o baseline.yaml run1.jsonl && "
	    "'%s' report -b baseline.yaml --fail-on warning run2.jsonl "
	    ">/dev/null", d, tu_exectop(), tu_exectop(), tu_exectop(),
	    tu_exectop());
	st = tu_run(cmd, NULL, NULL);
	cr_assert_eq(st, 0, "A/A check: exit %d: %s", st, cmd);
	free(cmd);
	cmd = tu_fmt("cd '%s' && '%s' gen --records 4000 --seed 3 --slow "
	    "D1-Q2:2 > run3.jsonl && '%s' report -b baseline.yaml --fail-on "
	    "warning run3.jsonl >/dev/null", d, tu_exectop(), tu_exectop());
	st = tu_run(cmd, NULL, NULL);
	cr_assert_eq(st, 1, "a slowed run passes the A/A baseline: exit %d", st);
	free(cmd);
	free(readme);
	free(rp);
}
