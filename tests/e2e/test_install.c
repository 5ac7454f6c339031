/*
 * test_install.c - `make install DESTDIR=... PREFIX=/usr` into a temporary
 * staging tree, then the installed binary run from a directory outside
 * the source tree: --help, config discovery (installed default, the
 * user's XDG config, $EXECTOP_CONFIG, -c) and theme resolution through
 * `config --print`, a report gated on the installed demo baseline, the
 * demo itself in tmux, the installed bash completion (subcommands,
 * options, values, theme names from the installed and the user's theme
 * dirs), and `make uninstall` removing every installed file.  The
 * Makefile's own rules: .PHONY names only targets, a missing pkg-config
 * package stops make by name, a new PREFIX rebuilds the compiled-in
 * DATADIR.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "tmux.h"

static const char *const installed[] = {
	"usr/bin/exectop",
	"usr/share/man/man1/exectop.1",
	"usr/share/exectop/exectop.yaml",
	"usr/share/exectop/baseline.yaml",
	"usr/share/exectop/themes/default.yaml",
	"usr/share/exectop/themes/light.yaml",
	"usr/share/exectop/themes/mono.yaml",
	"usr/share/bash-completion/completions/exectop",
};

struct inst {
	char	*dir;		/* the temporary directory */
	char	*stage;		/* DESTDIR */
	char	*share;		/* DESTDIR/usr/share/exectop */
	char	*bin;		/* the installed exectop */
	char	*work;		/* a cwd outside the source tree */
	char	*env;		/* env prefix: clean config environment */
};

static struct inst in;

/* make with the parent make's flags removed (a nested make under `make
 * test` must not inherit its jobserver or variables); one at a time, as
 * PREFIX=/usr rebuilds paths.o in the shared build directory. */
static int
run_make(const char *target, char **out)
{
	char	*cmd, *err = NULL;
	int	 st;

	cmd = tu_fmt("cd '%s' && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "
	    "flock Makefile make --no-print-directory %s DESTDIR='%s' "
	    "PREFIX=/usr 2>&1", tu_root(), target, in.stage);
	st = tu_run(cmd, out, &err);
	free(cmd);
	free(err);
	return st;
}

static void
setup(void)
{
	char	*out = NULL, *p;
	int	 st;

	in.dir = tu_tmpdir();
	in.stage = tu_fmt("%s/stage", in.dir);
	in.share = tu_fmt("%s/usr/share/exectop", in.stage);
	in.bin = tu_fmt("%s/usr/bin/exectop", in.stage);
	in.work = tu_fmt("%s/work", in.dir);
	p = tu_fmt("%s/xdg", in.dir);
	cr_assert_eq(mkdir(in.work, 0700), 0);
	cr_assert_eq(mkdir(p, 0700), 0);
	/* No user config unless a test writes one; HOME outside too. */
	in.env = tu_fmt("cd '%s' && env -u EXECTOP_CONFIG XDG_CONFIG_HOME='%s' "
	    "HOME='%s'", in.work, p, in.work);
	free(p);
	st = run_make("install", &out);
	cr_assert_eq(st, 0, "make install failed:\n%s", out);
	free(out);
}

static void
teardown(void)
{
	tu_rmtree(in.dir);
	free(in.dir);
	free(in.stage);
	free(in.share);
	free(in.bin);
	free(in.work);
	free(in.env);
}

/* Runs the installed binary with args from the work directory. */
static int
inst_run(const char *extra_env, const char *args, char **out, char **err)
{
	char	*cmd = tu_fmt("%s %s '%s' %s", in.env, extra_env, in.bin, args);
	int	 st = tu_run(cmd, out, err);

	free(cmd);
	return st;
}

static void
expect_line(const char *text, const char *want)
{
	cr_expect_not_null(strstr(text, want), "missing '%s' in:\n%s", want,
	    text);
}

TestSuite(install, .init = setup, .fini = teardown, .timeout = 300);

Test(install, installs_runs_outside_the_tree_and_uninstalls)
{
	struct stat	 st;
	char		*p, *out = NULL, *err = NULL, *want;
	size_t		 i, len;

	for (i = 0; i < sizeof installed / sizeof installed[0]; i++) {
		p = tu_fmt("%s/%s", in.stage, installed[i]);
		cr_expect_eq(stat(p, &st), 0, "not installed: %s", installed[i]);
		free(p);
	}
	cr_expect_eq(access(in.bin, X_OK), 0);

	/* The data dir compiled in as a fallback is this PREFIX's, even
	 * though build/ was made for /usr/local first (the DATADIR stamp). */
	p = tu_read_file(in.bin, &len);
	cr_assert_not_null(p);
	cr_expect(memmem(p, len, "/usr/share/exectop", 19) != NULL,
	    "the installed binary lacks DATADIR /usr/share/exectop");
	cr_expect(memmem(p, len, "/usr/local/share/exectop", 25) == NULL,
	    "the installed binary holds the old DATADIR");
	free(p);

	/* --help and --version from outside the tree. */
	cr_assert_eq(inst_run("", "--help", &out, &err), 0, "%s", err);
	expect_line(out, "usage: exectop");
	expect_line(out, "Exit status");
	free(out);
	free(err);
	cr_assert_eq(inst_run("", "report --help", &out, NULL), 0);
	expect_line(out, "--fail-on");
	expect_line(out, "junit");
	free(out);
	cr_assert_eq(inst_run("", "--version", &out, NULL), 0);
	cr_expect(strncmp(out, "exectop ", 8) == 0, "%s", out);
	free(out);

	/* The installed default config and themes are found. */
	cr_assert_eq(inst_run("", "config --print", &out, &err), 0, "%s", err);
	want = tu_fmt("# config: %s/exectop.yaml (installed default)", in.share);
	expect_line(out, want);
	free(want);
	want = tu_fmt("# data dir: %s", in.share);
	expect_line(out, want);
	free(want);
	want = tu_fmt("# theme: default (ui.theme): %s/themes/default.yaml",
	    in.share);
	expect_line(out, want);
	free(want);
	want = tu_fmt("window: 50");
	expect_line(out, want);
	free(want);
	want = tu_fmt("%s/exectop.yaml:", in.share);	/* values from file:line */
	expect_line(out, want);
	free(want);
	free(out);
	free(err);
	cr_assert_eq(inst_run("", "config --theme light", &out, NULL), 0);
	want = tu_fmt("# theme: light (--theme): %s/themes/light.yaml",
	    in.share);
	expect_line(out, want);
	free(want);
	free(out);
	/* The TUI's own lookup rule: a name starting with '.' is refused. */
	cr_assert_eq(inst_run("", "config --theme .light", &out, NULL), 0);
	expect_line(out, "# theme: .light (--theme): theme '.light': not a "
	    "theme name");
	free(out);

	/* A report from outside the tree, gated on the installed baseline. */
	p = tu_fmt("%s '%s' gen --records 2000 --seed 5 --slow D1-Q2:3 > "
	    "slow.jsonl && '%s' report -b '%s/baseline.yaml' --fail-on critical "
	    "slow.jsonl > report.json", in.env, in.bin, in.bin, in.share);
	st.st_size = tu_run(p, NULL, &err);
	cr_expect_eq(st.st_size, 1, "the gate did not trip (exit %d): %s",
	    (int)st.st_size, err);
	free(err);
	free(p);
	p = tu_fmt("%s/report.json", in.work);
	{
		json_error_t	 je;
		json_t		*doc = json_load_file(p, 0, &je);

		cr_assert_not_null(doc, "%s", je.text);
		cr_expect_eq(json_integer_value(json_object_get(doc,
		    "total_runs")), 2000);
		cr_expect_gt(json_array_size(json_object_get(doc,
		    "regressions")), 0);
		json_decref(doc);
	}
	free(p);
	/* The installed default config applies without -c (JUnit names it). */
	cr_assert_eq(inst_run("", "report -f junit --fail-on never slow.jsonl",
	    &out, &err), 0, "%s", err);
	want = tu_fmt("<property name=\"config\" value=\"%s/exectop.yaml\"/>",
	    in.share);
	expect_line(out, want);
	free(want);
	free(out);
	free(err);

	/* Uninstall removes every file and the data directory. */
	cr_assert_eq(run_make("uninstall", &out), 0, "%s", out);
	free(out);
	for (i = 0; i < sizeof installed / sizeof installed[0]; i++) {
		p = tu_fmt("%s/%s", in.stage, installed[i]);
		cr_expect_neq(stat(p, &st), 0, "left behind: %s", installed[i]);
		free(p);
	}
	cr_expect_neq(stat(in.share, &st), 0, "%s left behind", in.share);
	p = tu_fmt("find '%s' -type f | wc -l", in.stage);
	cr_assert_eq(tu_run(p, &out, NULL), 0);
	cr_expect_eq(atoi(out), 0, "files left in the staging tree: %s", out);
	free(out);
	free(p);
}

Test(install, config_discovery_order)
{
	char	*xdg = tu_fmt("%s/xdg/exectop", in.dir), *p, *out = NULL, *want;
	char	*err = NULL, *envcfg = tu_fmt("%s/env.yaml", in.dir);
	char	*ccfg = tu_fmt("%s/c.yaml", in.dir);

	/* The user's config beats the installed default. */
	cr_assert_eq(mkdir(xdg, 0700), 0);
	p = tu_fmt("%s/config.yaml", xdg);
	tu_write_file(p, "# mine\nwindow: 7\n", 17, 0);
	cr_assert_eq(inst_run("", "config --print", &out, &err), 0, "%s", err);
	want = tu_fmt("# config: %s ($XDG_CONFIG_HOME/exectop/config.yaml)", p);
	expect_line(out, want);
	free(want);
	want = tu_fmt("window: 7");
	expect_line(out, want);
	free(want);
	want = tu_fmt("# %s:2", p);	/* where the value came from */
	expect_line(out, want);
	free(want);
	expect_line(out, "critical_factor: 2");
	expect_line(out, "# default");
	free(out);
	free(err);

	/* ~/.config when XDG_CONFIG_HOME is unset. */
	{
		char *home = tu_fmt("%s/home", in.dir);
		char *cfgdir = tu_fmt("%s/.config/exectop", home);
		char *mk = tu_fmt("mkdir -p '%s' && printf 'window: 9\\n' > "
		    "'%s/config.yaml'", cfgdir, cfgdir);
		char *cmd;

		cr_assert_eq(tu_run(mk, NULL, NULL), 0);
		cmd = tu_fmt("cd '%s' && env -u EXECTOP_CONFIG -u XDG_CONFIG_HOME "
		    "HOME='%s' '%s' config", in.work, home, in.bin);
		cr_assert_eq(tu_run(cmd, &out, NULL), 0);
		expect_line(out, "(~/.config/exectop/config.yaml)");
		expect_line(out, "window: 9");
		free(out);
		free(cmd);
		free(mk);
		free(cfgdir);
		free(home);
	}

	/* $EXECTOP_CONFIG beats the user's file; -c beats both. */
	tu_write_file(envcfg, "window: 11\n", 11, 0);
	tu_write_file(ccfg, "window: 13\n", 11, 0);
	want = tu_fmt("EXECTOP_CONFIG='%s'", envcfg);
	cr_assert_eq(inst_run(want, "config", &out, NULL), 0);
	free(want);
	expect_line(out, "($EXECTOP_CONFIG)");
	expect_line(out, "window: 11");
	free(out);
	want = tu_fmt("EXECTOP_CONFIG='%s'", envcfg);
	p = tu_fmt("config -c '%s'", ccfg);
	cr_assert_eq(inst_run(want, p, &out, NULL), 0);
	expect_line(out, "(-c)");
	expect_line(out, "window: 13");
	free(out);
	free(p);
	free(want);

	/* A named config that does not exist is an error (exit 2). */
	cr_expect_eq(inst_run("EXECTOP_CONFIG=/nonexistent/x.yaml", "config",
	    NULL, &err), 2);
	cr_expect(strncmp(err, "exectop: ", 9) == 0, "%s", err);
	free(err);

	/* A user theme is found before the installed ones. */
	p = tu_fmt("mkdir -p '%s/themes' && cp '%s/themes/light.yaml' "
	    "'%s/themes/mine.yaml'", xdg, in.share, xdg);
	cr_assert_eq(tu_run(p, NULL, NULL), 0);
	free(p);
	cr_assert_eq(inst_run("", "config --theme mine", &out, NULL), 0);
	want = tu_fmt("# theme: mine (--theme): %s/themes/mine.yaml", xdg);
	expect_line(out, want);
	free(want);
	free(out);
	free(xdg);
	free(envcfg);
	free(ccfg);
}

/* Completions of the installed script for the given words (bash syntax,
 * double quotes only). */
static char *
complete(const char *words)
{
	char	*script, *path, *cmd, *out = NULL, *err = NULL;

	path = tu_fmt("%s/complete.bash", in.dir);
	script = tu_fmt("source '%s/usr/share/bash-completion/completions/exectop'"
	    "\nCOMP_WORDS=(%s)\nCOMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
	    "COMPREPLY=()\n_exectop\nprintf '%%s\\n' \"${COMPREPLY[@]}\"\n",
	    in.stage, words);
	tu_write_file(path, script, strlen(script), 0);
	cmd = tu_fmt("%s bash '%s'", in.env, path);
	cr_assert_eq(tu_run(cmd, &out, &err), 0, "%s: %s", cmd, err);
	free(err);
	free(cmd);
	free(script);
	free(path);
	return out;
}

Test(install, bash_completion)
{
	char	*out, *w, *p;

	out = complete("exectop re");
	cr_expect_str_eq(out, "report\n");
	free(out);
	w = tu_fmt("\"%s\" report --f", in.bin);
	out = complete(w);
	expect_line(out, "--format\n");
	expect_line(out, "--fail-on\n");
	free(out);
	free(w);
	w = tu_fmt("\"%s\" report --format \"\"", in.bin);
	out = complete(w);
	cr_expect_str_eq(out, "json\nmarkdown\nhtml\njunit\n");
	free(out);
	free(w);
	w = tu_fmt("\"%s\" gen --", in.bin);
	out = complete(w);
	expect_line(out, "--records\n");
	expect_line(out, "--slow\n");
	cr_expect_null(strstr(out, "--theme"), "%s", out);
	free(out);
	free(w);
	/* Theme names: the installed ones and the user's. */
	p = tu_fmt("mkdir -p '%s/xdg/exectop/themes' && touch "
	    "'%s/xdg/exectop/themes/solarized.yaml'", in.dir, in.dir);
	cr_assert_eq(tu_run(p, NULL, NULL), 0);
	free(p);
	w = tu_fmt("\"%s\" --theme \"\"", in.bin);
	out = complete(w);
	cr_expect_str_eq(out, "default\nlight\nmono\nsolarized\n");
	free(out);
	free(w);
}

Test(install, demo_runs_from_the_installed_files)
{
	struct tmux	 tm;
	char		*cmd, *screen;
	bool		 ok;

	cr_assert(tmux_available(), "tmux is not installed: run .ci/deps.sh test");
	cmd = tu_fmt("env -u EXECTOP_CONFIG XDG_CONFIG_HOME='%s/xdg' '%s' demo",
	    in.dir, in.bin);
	cr_assert_eq(tmux_start(&tm, 300, 40, in.work, cmd), 0);
	/* The shipped baseline makes the slowed D1-Q2 critical. */
	ok = tmux_wait_for(&tm, "(1 crit)", 60000);
	screen = tmux_capture(&tm);
	tmux_stop(&tm);
	cr_assert(ok, "the installed demo never showed a critical alert");
	cr_assert_not_null(screen);
	/* The demo works on copies of the installed files (so `w` and `b`
	 * never change them); the alert shows the installed baseline was
	 * the one copied. */
	expect_line(screen, "config: /tmp/exectop-demo.");
	expect_line(screen, "/baseline.yaml (10)");
	expect_line(screen, "CRIT D1-Q2");
	free(screen);
	free(cmd);
}

/* The installed default config is shared by every user: the threshold
 * editor's `w` refuses to write it and says where a user's copy goes. */
Test(install, editor_never_writes_the_installed_default)
{
	struct tmux	 tm;
	char		*cmd, *screen, *path, *before, *after;
	bool		 ok;

	cr_assert(tmux_available(), "tmux is not installed: run .ci/deps.sh test");
	path = tu_fmt("%s/exectop.yaml", in.share);
	before = tu_read_file(path, NULL);
	cr_assert_not_null(before);
	cmd = tu_fmt("env -u EXECTOP_CONFIG XDG_CONFIG_HOME='%s/xdg' '%s' gen "
	    "--records 200 > '%s/s.jsonl' && env -u EXECTOP_CONFIG "
	    "XDG_CONFIG_HOME='%s/xdg' '%s' '%s/s.jsonl'", in.dir, in.bin,
	    in.work, in.dir, in.bin, in.work);
	cr_assert_eq(tmux_start(&tm, 160, 40, in.work, cmd), 0);
	ok = tmux_wait_for(&tm, "records 200", 20000);
	cr_assert(ok, "the installed TUI never showed the records");
	tmux_keys(&tm, "t");
	tmux_keys(&tm, "Up");
	tmux_keys(&tm, "+");
	tmux_keys(&tm, "w");
	ok = tmux_wait_for(&tm, "is the installed default", 10000);
	screen = tmux_capture(&tm);
	tmux_stop(&tm);
	cr_assert(ok, "no refusal shown:\n%s", screen != NULL ? screen : "");
	after = tu_read_file(path, NULL);
	cr_assert_str_eq(after, before, "the installed default was changed");
	free(screen);
	free(after);
	free(before);
	free(path);
	free(cmd);
}

/* Every .PHONY name is a target of the Makefile, and the test targets
 * are declared phony. */
Test(makefile, phony_names_are_targets)
{
	char	*cmd, *out = NULL, *err = NULL;

	cmd = tu_fmt("cd '%s' && awk '/^\\.PHONY:/ { on = 1 } on { for (i = 1; "
	    "i <= NF; i++) if ($i != \"\\\\\" && $i != \".PHONY:\") p[$i] = 1; "
	    "on = /\\\\$/ } /^[A-Za-z0-9_-]+:/ { n = $1; sub(/:.*/, \"\", n); "
	    "t[n] = 1 } END { for (x in p) if (!(x in t)) print \"phony, no "
	    "target: \" x; split(\"check check-unit valgrind fuzz-smoke\", w, "
	    "\" \"); for (i in w) if (!(w[i] in p)) print \"not phony: \" "
	    "w[i] }' Makefile", tu_root());
	cr_assert_eq(tu_run(cmd, &out, &err), 0, "%s", err);
	cr_expect_str_eq(out, "", "%s", out);
	free(out);
	free(err);
	free(cmd);
}

/* A package pkg-config does not know stops the build with its name, not
 * with a compiler error about a missing header later. */
Test(makefile, missing_package_is_named)
{
	char	*cmd, *out = NULL, *err = NULL;
	int	 st;

	cmd = tu_fmt("cd '%s' && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make "
	    "--no-print-directory -n -B BUILD=build-nosuch PKGS='ncursesw "
	    "exectop-no-such-pkg' build-nosuch/obj/src/util/xmalloc.o",
	    tu_root());
	st = tu_run(cmd, &out, &err);
	cr_expect_eq(st, 2, "make went on (exit %d): %s", st, out);
	cr_expect_not_null(strstr(err, "exectop-no-such-pkg"), "%s", err);
	cr_expect_not_null(strstr(err, "make deps"), "%s", err);
	free(out);
	free(err);
	free(cmd);
}
