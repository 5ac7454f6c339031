/*
 * actions.c - what the TUI does to files: reloading the config when it
 * changes, snapshots in every report format, saving and loading the
 * baseline, and switching themes.
 *
 * Every failure here is recoverable: the message goes to the status line
 * and the TUI keeps running with what it had.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analysis.h"
#include "baseline.h"
#include "model.h"
#include "paths.h"
#include "report.h"
#include "tui_int.h"
#include "xmalloc.h"

/* Same file, same content as far as stat can tell? */
static bool
action_stamp_same(const struct tui *t, const struct stat *st)
{
	return t->cfg_seen && t->cfg_dev == st->st_dev &&
	    t->cfg_ino == st->st_ino && t->cfg_size == st->st_size &&
	    t->cfg_mtime.tv_sec == st->st_mtim.tv_sec &&
	    t->cfg_mtime.tv_nsec == st->st_mtim.tv_nsec;
}

static void
action_stamp_set(struct tui *t, const struct stat *st)
{
	t->cfg_seen = true;
	t->cfg_dev = st->st_dev;
	t->cfg_ino = st->st_ino;
	t->cfg_size = st->st_size;
	t->cfg_mtime = st->st_mtim;
}

static bool
action_str_differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

void
action_config_check(struct tui *t, bool force, bool quiet)
{
	const char	*path = t->opts->config_path;
	struct config	 nc;
	struct stat	 st;
	char		*cause = NULL;
	bool		 theme_changed, window_changed;

	if (path == NULL)
		return;
	if (stat(path, &st) == -1) {
		if (!t->cfg_seen && !force)
			return;
		t->cfg_seen = false;
		free(t->cfg_error);
		t->cfg_error = xasprintf("%s: %s", path, strerror(errno));
		t->dirty = true;
		return;
	}
	if (action_stamp_same(t, &st) && !force)
		return;
	action_stamp_set(t, &st);
	if (!t->curses && t->model == NULL)
		return;		/* start-up: only the stamp */

	if (config_load(&nc, path, &cause) == -1) {
		config_free(&nc);
		free(t->cfg_error);
		t->cfg_error = cause;
		tui_set_status(t, true, "config not reloaded: %s", cause);
		return;
	}
	free(t->cfg_error);
	t->cfg_error = NULL;

	window_changed = nc.window != t->cfg.window;
	theme_changed = action_str_differ(nc.theme, t->cfg.theme);
	config_free(&t->cfg);
	t->cfg = nc;
	t->cfg_gen++;
	t->ed.modified = false;
	t->ed.preview_valid = false;
	if (window_changed)
		model_set_window(t->model, t->cfg.window);
	if (!t->refresh_user && t->cfg.refresh_ms >= TUI_REFRESH_MIN)
		t->refresh_ms = t->cfg.refresh_ms;
	if (action_str_differ(action_baseline_path(t), t->bl_path))
		action_baseline_load(t, action_baseline_path(t));
	if (theme_changed && t->opts->theme == NULL && !t->mono &&
	    t->cfg.theme != NULL &&
	    action_theme_set(t, t->cfg.theme, &cause) == -1) {
		tui_set_status(t, true, "%s", cause);
		free(cause);
		quiet = true;
	}
	if (!quiet)
		tui_set_status(t, false, "config reloaded from %s", path);
	t->dirty = true;
}

const char *
action_baseline_path(const struct tui *t)
{
	if (t->opts->baseline_path != NULL)
		return t->opts->baseline_path;
	if (t->cfg.baseline != NULL)
		return t->cfg.baseline;
	return "baseline.yaml";
}

void
action_baseline_load(struct tui *t, const char *path)
{
	struct baseline	*bl = NULL;
	struct stat	 st;
	char		*cause = NULL;

	if (path == NULL)
		return;
	if (stat(path, &st) == -1 && errno == ENOENT) {
		/* Not made yet: `b` will write it. */
		baseline_free(t->bl);
		t->bl = NULL;
		free(t->bl_path);
		t->bl_path = xstrdup(path);
		t->cfg_gen++;
		return;
	}
	if (baseline_load(&bl, path, &cause) == -1) {
		tui_set_status(t, true, "baseline not loaded: %s", cause);
		free(cause);
		return;
	}
	baseline_free(t->bl);
	t->bl = bl;
	free(t->bl_path);
	t->bl_path = xstrdup(path);
	t->cfg_gen++;
	t->dirty = true;
}

void
action_baseline_prompt(struct tui *t)
{
	if (t->model->nexecs == 0) {
		tui_set_status(t, true, "no records yet: nothing to save as "
		    "a baseline");
		return;
	}
	t->prompt = PROMPT_BASELINE;
	t->dirty = true;
}

void
action_baseline_save(struct tui *t)
{
	struct baseline	*bl;
	const char	*path = action_baseline_path(t);
	char		*cause = NULL;

	bl = baseline_from_model(t->model, t->sources_desc);
	if (baseline_save(bl, path, &cause) == -1) {
		tui_set_status(t, true, "baseline not saved: %s", cause);
		free(cause);
		baseline_free(bl);
		return;
	}
	if (bl->path == NULL)
		bl->path = xstrdup(path);
	baseline_free(t->bl);
	t->bl = bl;
	free(t->bl_path);
	t->bl_path = xstrdup(path);
	t->cfg_gen++;
	tui_rebuild_view(t);
	tui_set_status(t, false, "baseline of %zu executors saved to %s; "
	    "comparing against it", bl->n, path);
}

void
action_snapshot(struct tui *t)
{
	static const struct {
		unsigned		bit;
		enum report_format	fmt;
	} formats[] = {
		{ SNAP_JSON, REPORT_JSON },
		{ SNAP_MARKDOWN, REPORT_MARKDOWN },
		{ SNAP_HTML, REPORT_HTML },
	};
	struct report_ctx	 ctx;
	struct analysis		*a;
	struct tm		 tm;
	enum report_format	 fmts[3];
	const char		*dir;
	char			 stamp[32], *base = NULL, *done, *n;
	char			*cause = NULL;
	time_t			 now = time(NULL);
	size_t			 i, nfmts = 0;

	for (i = 0; i < sizeof formats / sizeof *formats; i++)
		if (t->cfg.snapshot_formats & formats[i].bit)
			fmts[nfmts++] = formats[i].fmt;
	if (nfmts == 0) {
		tui_set_status(t, true, "snapshot: no formats in "
		    "snapshot.formats");
		return;
	}
	dir = t->cfg.snapshot_dir != NULL ? t->cfg.snapshot_dir : ".";
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);

	a = tui_analyse(t, &t->cfg);
	memset(&ctx, 0, sizeof ctx);
	ctx.model = t->model;
	ctx.analysis = a;
	ctx.baseline = t->bl;
	ctx.config = &t->cfg;
	ctx.now = now;
	ctx.sources = t->sources_desc;
	if (report_snapshot(dir, stamp, fmts, nfmts, &ctx, &base,
	    &cause) == -1) {
		tui_set_status(t, true, "snapshot failed: %s", cause);
		free(cause);
		analysis_free(a);
		return;
	}
	done = xstrdup("");
	for (i = 0; i < nfmts; i++) {
		n = xasprintf("%s%s%s.%s", done, *done != '\0' ? ", " : "",
		    base, report_format_ext(fmts[i]));
		free(done);
		done = n;
	}
	tui_set_status(t, false, "snapshot: %s", done);
	free(done);
	free(base);
	analysis_free(a);
}

int
action_theme_set(struct tui *t, const char *name, char **cause)
{
	struct theme	 nt;
	char		*path, *why = NULL;

	path = paths_theme_find(name, &why);
	if (path == NULL) {
		if (paths_theme_builtin(name)) {
			/* The shipped themes are built in too. */
			free(why);
			theme_free(&t->theme);
			theme_builtin(&t->theme, strcmp(name, "mono") == 0);
			goto apply;
		}
		if (cause != NULL)
			*cause = why;
		else
			free(why);
		return -1;
	}
	if (theme_load(&nt, path, &why) == -1) {
		free(path);
		if (cause != NULL)
			*cause = why;
		else
			free(why);
		return -1;
	}
	free(path);
	theme_free(&t->theme);
	t->theme = nt;
apply:
	if (t->curses) {
		draw_colors(t);
		t->clear = true;
		t->dirty = true;
	}
	return 0;
}

void
action_theme_cycle(struct tui *t)
{
	const char	*next;
	char		*cause = NULL;
	size_t		 i;

	if (t->mono) {
		tui_set_status(t, false, "colours are off (NO_COLOR, --no-color "
		    "or the terminal): only the mono theme applies");
		return;
	}
	if (t->ntheme_names == 0) {
		next = t->theme.name != NULL &&
		    strcmp(t->theme.name, "default") == 0 ? "mono" : "default";
	} else {
		for (i = 0; i < t->ntheme_names; i++) {
			if (t->theme.name != NULL &&
			    strcmp(t->theme_names[i], t->theme.name) == 0)
				break;
		}
		next = t->theme_names[i >= t->ntheme_names ? 0 :
		    (i + 1) % t->ntheme_names];
	}
	if (action_theme_set(t, next, &cause) == -1) {
		tui_set_status(t, true, "%s", cause);
		free(cause);
		return;
	}
	tui_set_status(t, false, "theme: %s", t->theme.name);
}
