/*
 * tui.c - tui_run(): terminal set-up and teardown, signals, and the event
 * loop that ingests, analyses and draws.
 *
 * One poll() waits on a self-pipe (signals), the keyboard and every
 * source descriptor; its timeout is the time left to the next timer:
 * source housekeeping (TUI_TICK_MS: source_tick, and reading followed
 * regular files, which have no descriptor to poll), the config file check
 * (TUI_CONFIG_CHECK_MS) and the refresh (ui.refresh_ms).  Each source gets
 * at most TUI_READ_BUDGET bytes per pass, so keys stay responsive; when a
 * budget was used up the next poll does not wait.  A FIFO or stdin that
 * just gave records is left out of the poll for TUI_COALESCE_MS, so a
 * steady stream is read in batches rather than with a wakeup per record;
 * its pipe buffer is enlarged to TUI_PIPE_SIZE, and a read that got a
 * quarter of it or more is followed at once, so the writer does not wait.
 *
 * A regular file of TUI_CATCHUP_MIN bytes or more is first caught up in
 * parallel (catchup_start: every core parses in the background); this
 * loop applies the parsed batches to the model for at most TUI_APPLY_US
 * per pass, so keys and refreshes go on during the catch-up (at least
 * every TUI_CATCHUP_REFRESH_MS), the header shows its progress, and only
 * this thread ever touches the model.  Then the source follows the file
 * from where the catch-up stopped (source_resume).
 *
 * The analysis runs at a refresh, and only when the model or the config
 * changed since the last one; its results are copied into the view (see
 * view.h) and freed.  On a table so big that the analysis takes more than
 * a tenth of the refresh interval, it is spaced out to TUI_ANALYSIS_SHARE
 * percent of the time (tui_rebuild_timed).  Keys only change state and set
 * t->dirty; drawing happens here, once, with erase() + wnoutrefresh() +
 * doupdate(), so nothing flickers and an idle screen costs nothing.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "analysis.h"
#include "baseline.h"
#include "ingest.h"
#include "model.h"
#include "paths.h"
#include "tui_int.h"
#include "xmalloc.h"

static volatile sig_atomic_t	 tui_sig_quit;
static volatile sig_atomic_t	 tui_sig_hup;
static volatile sig_atomic_t	 tui_sig_cont;
static int			 tui_sigpipe[2] = { -1, -1 };
static struct sigaction		 tui_old_int, tui_old_term, tui_old_hup,
				 tui_old_cont;
static SCREEN			*tui_term;

uint64_t
tui_now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
tui_set_status(struct tui *t, bool error, const char *fmt, ...)
{
	va_list	ap;

	free(t->status);
	va_start(ap, fmt);
	t->status = xvasprintf(fmt, ap);
	va_end(ap);
	t->status_error = error;
	t->status_until = tui_now_ms() + TUI_STATUS_MS;
	t->dirty = true;
}

const struct tui_screen_ops *
tui_screen(const struct tui *t)
{
	switch (t->screen) {
	case SCREEN_DETAIL:
		return &screen_detail_ops;
	case SCREEN_HELP:
		return &screen_help_ops;
	case SCREEN_EDITOR:
		return &screen_editor_ops;
	default:
		return &screen_main_ops;
	}
}

void
tui_switch(struct tui *t, enum tui_screen_id s)
{
	if (s == SCREEN_HELP && t->screen != SCREEN_HELP) {
		t->back = t->screen;
		t->help_top = 0;
	}
	t->screen = s;
	t->dirty = true;
}

struct analysis *
tui_analyse(struct tui *t, const struct config *cfg)
{
	/* The detectors follow the baseline and thresholds in force (an
	 * unchanged reference keeps its state). */
	if (t->cfg_gen != t->view_cfg_gen || !t->view_built)
		model_set_reference(t->model, t->bl, &t->cfg);
	return analysis_run(t->model, t->bl, cfg);
}

void
tui_reorder(struct tui *t)
{
	long	pos;

	view_order(&t->view, t->sort, t->reverse, t->filter);
	pos = view_find(&t->view, t->sel_id);
	if (pos >= 0)
		t->sel = (size_t)pos;
	else if (t->sel >= t->view.norder)
		t->sel = t->view.norder > 0 ? t->view.norder - 1 : 0;
	free(t->sel_id);
	t->sel_id = t->view.norder > 0 ?
	    xstrdup(t->view.rows[t->view.order[t->sel]].id) : NULL;
	if (t->alert_sel >= t->view.nalerts)
		t->alert_sel = t->view.nalerts > 0 ? t->view.nalerts - 1 : 0;
	if (t->bn_sel >= t->view.nbns)
		t->bn_sel = t->view.nbns > 0 ? t->view.nbns - 1 : 0;
	t->dirty = true;
}

void
tui_rebuild_view(struct tui *t)
{
	struct analysis	*a;

	a = tui_analyse(t, &t->cfg);
	view_build(&t->view, t->model, a);
	view_set_missing(&t->view, t->bl, t->model);
	analysis_free(a);
	t->view_built = true;
	t->view_model_gen = t->model->generation;
	t->view_cfg_gen = t->cfg_gen;
	t->ed.preview_valid = false;
	tui_reorder(t);
}

static void
tui_signal(int sig)
{
	int	saved = errno;
	ssize_t	n;

	if (sig == SIGHUP)
		tui_sig_hup = 1;
	else if (sig == SIGCONT)
		tui_sig_cont = 1;
	else
		tui_sig_quit = 1;
	if (tui_sigpipe[1] != -1) {
		n = write(tui_sigpipe[1], "x", 1);
		(void)n;
	}
	errno = saved;
}

static void
tui_fatal_hook(void)
{
	if (tui_term != NULL && !isendwin())
		endwin();
}

static void
tui_signals(bool on)
{
	struct sigaction	sa;
	int			i;

	if (!on) {
		sigaction(SIGINT, &tui_old_int, NULL);
		sigaction(SIGTERM, &tui_old_term, NULL);
		sigaction(SIGHUP, &tui_old_hup, NULL);
		sigaction(SIGCONT, &tui_old_cont, NULL);
		for (i = 0; i < 2; i++) {
			if (tui_sigpipe[i] != -1)
				close(tui_sigpipe[i]);
			tui_sigpipe[i] = -1;
		}
		return;
	}
	if (pipe2(tui_sigpipe, O_NONBLOCK | O_CLOEXEC) == -1)
		tui_sigpipe[0] = tui_sigpipe[1] = -1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = tui_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &tui_old_int);
	sigaction(SIGTERM, &sa, &tui_old_term);
	sigaction(SIGHUP, &sa, &tui_old_hup);
	sigaction(SIGCONT, &sa, &tui_old_cont);
	signal(SIGPIPE, SIG_IGN);
}

/* Refuses a terminal we cannot draw on; message on stderr. */
static int
tui_check_terminal(void)
{
	const char	*term = getenv("TERM");

	if (!isatty(STDOUT_FILENO)) {
		fprintf(stderr, "exectop: standard output is not a terminal; "
		    "use 'exectop report SOURCE...' for a report\n");
		return -1;
	}
	if (term == NULL || *term == '\0' || strcmp(term, "dumb") == 0) {
		fprintf(stderr, "exectop: the terminal type %s%s%s cannot show "
		    "the live screen (set TERM, e.g. TERM=xterm-256color); use "
		    "'exectop report SOURCE...' for a report\n",
		    term == NULL || *term == '\0' ? "" : "'",
		    term == NULL || *term == '\0' ? "(TERM unset)" : term,
		    term == NULL || *term == '\0' ? "" : "'");
		return -1;
	}
	return 0;
}

static void
tui_curses_start(struct tui *t)
{
	mmask_t	mask;

	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, TRUE);

	t->ncolors = 0;
	if (!t->mono && has_colors() && start_color() == OK) {
		t->default_colors = use_default_colors() == OK;
		if (COLORS >= 256)
			t->ncolors = 256;
		else if (COLORS >= 16)
			t->ncolors = 16;
		else if (COLORS >= 8)
			t->ncolors = 8;
	}
	if (t->ncolors == 0 && !t->mono) {
		/* The terminal has no colours: attributes only. */
		t->mono = true;
		theme_free(&t->theme);
		if (action_theme_set(t, "mono", NULL) == -1)
			theme_builtin(&t->theme, true);
	}
	t->mouse = false;
	if (!t->opts->no_mouse) {
		mask = BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
		mask |= BUTTON5_PRESSED;
#endif
		if (mousemask(mask, NULL) != 0) {
			mouseinterval(0);
			t->mouse = true;
		}
	}
	t->curses = true;
	draw_colors(t);
	getmaxyx(stdscr, t->lines, t->cols);
}

void
tui_draw(struct tui *t)
{
	getmaxyx(stdscr, t->lines, t->cols);
	if (t->clear) {
		clearok(curscr, TRUE);
		t->clear = false;
	}
	erase();
	if (!layout_fits(t->cols, t->lines))
		draw_too_small(t);
	else
		tui_screen(t)->draw(t);
	wnoutrefresh(stdscr);
	doupdate();
	benchlog_frame(t);
	t->dirty = false;
	t->drawn_gen = t->model->generation;
	t->drawn_sec = (tui_now_ms() - t->start_ms) / 1000;
}

/* Removes the last UTF-8 character of the prompt input. */
static void
tui_input_backspace(struct tui *t)
{
	while (t->input_len > 0) {
		t->input_len--;
		if (((unsigned char)t->input[t->input_len] & 0xc0) != 0x80)
			break;
	}
	t->input[t->input_len] = '\0';
}

static void
tui_input_add(struct tui *t, int code)
{
	char		 mb[MB_LEN_MAX];
	mbstate_t	 ps;
	size_t		 n;

	memset(&ps, 0, sizeof ps);
	n = wcrtomb(mb, (wchar_t)code, &ps);
	if (n == (size_t)-1 || t->input_len + n >= sizeof t->input)
		return;
	memcpy(t->input + t->input_len, mb, n);
	t->input_len += n;
	t->input[t->input_len] = '\0';
}

static bool
tui_is_enter(const struct tui_key *k)
{
	return (!k->fn && (k->code == '\n' || k->code == '\r')) ||
	    (k->fn && k->code == KEY_ENTER);
}

static bool
tui_is_backspace(const struct tui_key *k)
{
	return (!k->fn && (k->code == TUI_KEY_DEL || k->code == '\b')) ||
	    (k->fn && k->code == KEY_BACKSPACE);
}

static void
tui_prompt_key(struct tui *t, const struct tui_key *k)
{
	enum tui_prompt_kind	p = t->prompt;
	bool			pre = t->input_prefilled;

	t->dirty = true;
	t->input_prefilled = false;
	if (p == PROMPT_QUIT) {
		t->prompt = PROMPT_NONE;
		if (!k->fn && (k->code == 'w' || k->code == 'W')) {
			editor_write(t);
			if (!t->ed.modified)
				t->quit = true;
		} else if (!k->fn && (k->code == 'd' || k->code == 'D'))
			t->quit = true;
		else
			tui_set_status(t, false, "quit cancelled: threshold "
			    "changes kept, not written");
		return;
	}
	if (p == PROMPT_BASELINE) {
		t->prompt = PROMPT_NONE;
		if (!k->fn && (k->code == 'y' || k->code == 'Y'))
			action_baseline_save(t);
		else
			tui_set_status(t, false, "baseline not saved");
		return;
	}
	if (!k->fn && k->code == TUI_KEY_ESC) {
		t->prompt = PROMPT_NONE;
		if (p == PROMPT_FILTER) {
			t->filter[0] = '\0';
			tui_reorder(t);
		}
		return;
	}
	if (tui_is_enter(k)) {
		t->prompt = PROMPT_NONE;
		if (p == PROMPT_VALUE)
			editor_set_value(t, t->input);
		return;
	}
	if (tui_is_backspace(k))
		tui_input_backspace(t);
	else if (!k->fn && k->code >= 0x20 && k->code != TUI_KEY_DEL) {
		/* A pre-filled value is replaced by what is typed. */
		if (pre) {
			t->input_len = 0;
			t->input[0] = '\0';
		}
		tui_input_add(t, k->code);
	} else
		return;
	if (p == PROMPT_FILTER) {
		snprintf(t->filter, sizeof t->filter, "%s", t->input);
		t->sel = 0;
		tui_reorder(t);
	}
}

static void
tui_refresh_step(struct tui *t, int dir)
{
	unsigned	ms = t->refresh_ms, step;

	step = ms < 500 ? 50 : ms < 2000 ? 250 : 1000;
	if (dir < 0 && ms > step)
		ms -= step;
	else if (dir > 0)
		ms += step;
	if (ms < TUI_REFRESH_MIN)
		ms = TUI_REFRESH_MIN;
	if (ms > TUI_REFRESH_MAX)
		ms = TUI_REFRESH_MAX;
	t->refresh_ms = ms;
	t->refresh_user = true;
	tui_set_status(t, false, "refresh every %u ms", ms);
}

/* Keys every screen shares (after the screen had its chance). */
static void
tui_global_key(struct tui *t, const struct tui_key *k)
{
	if (k->fn) {
		if (k->code == KEY_F(1))
			tui_switch(t, SCREEN_HELP);
		return;
	}
	switch (k->code) {
	case 'q':
	case 'Q':
		if (t->ed.modified) {
			/* Unsaved threshold changes: write, discard or cancel. */
			t->prompt = PROMPT_QUIT;
			t->dirty = true;
		} else
			t->quit = true;
		break;
	case '?':
	case 'h':
		tui_switch(t, SCREEN_HELP);
		break;
	case 's':
		action_snapshot(t);
		break;
	case 'b':
		action_baseline_prompt(t);
		break;
	case 't':
		t->ed.preview_valid = false;
		tui_switch(t, SCREEN_EDITOR);
		break;
	case 'R':
		if (t->opts->config_path == NULL)
			tui_set_status(t, true, "no config file to reload "
			    "(start with -c FILE)");
		else
			action_config_check(t, true, false);
		break;
	case 'c':
		action_theme_cycle(t);
		break;
	case TUI_KEY_CTRL_L:
		t->clear = true;
		break;
	case 'p':
	case 'P':
		t->paused = !t->paused;
		if (!t->paused)
			tui_rebuild_view(t);
		break;
	case '+':
	case '=':
		tui_refresh_step(t, 1);
		break;
	case '-':
	case '_':
		tui_refresh_step(t, -1);
		break;
	case 'i':
		t->show_invalid = !t->show_invalid;
		break;
	}
	t->dirty = true;
}

static void
tui_key(struct tui *t, const struct tui_key *k)
{
	const struct tui_screen_ops	*ops = tui_screen(t);
	MEVENT				 ev;

	if (k->fn && k->code == KEY_RESIZE) {
		getmaxyx(stdscr, t->lines, t->cols);
		t->clear = true;
		t->dirty = true;
		return;
	}
	if (k->fn && k->code == KEY_MOUSE) {
		if (getmouse(&ev) == OK && ops->mouse != NULL &&
		    t->prompt == PROMPT_NONE &&
		    layout_fits(t->cols, t->lines))
			ops->mouse(t, ev.y, ev.x, ev.bstate);
		t->dirty = true;
		return;
	}
	if (t->prompt != PROMPT_NONE) {
		tui_prompt_key(t, k);
		return;
	}
	if (ops->key(t, k)) {
		t->dirty = true;
		return;
	}
	tui_global_key(t, k);
}

static void
tui_read_keys(struct tui *t)
{
	struct tui_key	k;
	wint_t		wc;
	int		r;

	while (!t->quit && (r = get_wch(&wc)) != ERR) {
		k.fn = r == KEY_CODE_YES;
		k.code = (int)wc;
		tui_key(t, &k);
		benchlog_key(t, &k);
	}
}

/* Records per second over the last few seconds of refreshes. */
static void
tui_rate_sample(struct tui *t, uint64_t now)
{
	unsigned	i, oldest;
	uint64_t	dt;

	t->rate_t[t->rate_head] = now;
	t->rate_n[t->rate_head] = t->model->records;
	t->rate_head = (t->rate_head + 1) % TUI_RATE_SAMPLES;
	if (t->rate_count < TUI_RATE_SAMPLES)
		t->rate_count++;
	oldest = (t->rate_head + TUI_RATE_SAMPLES - t->rate_count) %
	    TUI_RATE_SAMPLES;
	/* The oldest sample within three seconds. */
	for (i = 0; i < t->rate_count; i++) {
		if (now - t->rate_t[oldest] <= 3000)
			break;
		oldest = (oldest + 1) % TUI_RATE_SAMPLES;
	}
	dt = now - t->rate_t[oldest];
	if (dt == 0)
		t->rate = 0;
	else
		t->rate = (double)(t->model->records - t->rate_n[oldest]) *
		    1000.0 / (double)dt;
}

/*
 * Notices a source's new descriptor: a pipe's buffer is enlarged to
 * TUI_PIPE_SIZE so the writer never waits while we let records gather
 * (src_pipe: its size, 0 for anything but a pipe).
 */
static void
tui_pipe_check(struct tui *t, size_t i)
{
	int	fd = source_fd(t->src[i]), size;

	if (fd == t->src_fd[i])
		return;
	t->src_fd[i] = fd;
	t->src_pipe[i] = 0;
	t->src_quiet[i] = 0;
	if (fd == -1)
		return;
	size = fcntl(fd, F_GETPIPE_SZ);
	if (size > 0 && size < TUI_PIPE_SIZE &&
	    fcntl(fd, F_SETPIPE_SZ, TUI_PIPE_SIZE) != -1)
		size = fcntl(fd, F_GETPIPE_SZ);
	t->src_pipe[i] = size > 0 ? (size_t)size : 0;
}

/* Starts a parallel catch-up on every big regular file not read yet. */
static void
tui_catchup_begin(struct tui *t)
{
	struct stat	 st;
	const char	*path;
	char		*cause = NULL;
	size_t		 i;

	for (i = 0; i < t->nsrc; i++) {
		path = source_path(t->src[i]);
		if (source_kind(t->src[i]) != SOURCE_FILE ||
		    source_state(t->src[i]) != SOURCE_CATCHING_UP ||
		    source_lines(t->src[i]) != 0 || stat(path, &st) == -1 ||
		    !S_ISREG(st.st_mode) || st.st_size < TUI_CATCHUP_MIN)
			continue;
		t->catchup[i] = catchup_start(path, 0, 0, t->cfg.max_line_bytes,
		    t->nthreads, &cause);
		/* On failure the source reads the file itself. */
		free(cause);
		cause = NULL;
		t->catchup_ms[i] = tui_now_ms();
	}
}

/* A catch-up finished: the source follows the file from there. */
static void
tui_catchup_end(struct tui *t, size_t i)
{
	struct catchup_progress	pr;
	uint64_t		lines;
	off_t			offset;
	int			fd;

	catchup_progress(t->catchup[i], &pr);
	benchlog_catchup(t, pr.records, (uint64_t)(pr.offset - pr.start));
	fd = catchup_take_file(t->catchup[i], &offset, &lines);
	if (fd != -1 && source_resume(t->src[i], fd, offset, lines) == -1)
		tui_set_status(t, true, "%s: cannot follow after the catch-up",
		    source_path(t->src[i]));
	catchup_free(t->catchup[i]);
	t->catchup[i] = NULL;
	t->dirty = true;
}

/* Applies what the catch-ups parsed; true when more is ready already. */
static bool
tui_catchup_step(struct tui *t)
{
	size_t	i, n = 0;
	bool	busy = false;

	for (i = 0; i < t->nsrc; i++)
		n += t->catchup[i] != NULL;
	for (i = 0; i < t->nsrc && n > 0; i++) {
		if (t->catchup[i] == NULL)
			continue;
		catchup_apply(t->catchup[i], t->model, TUI_APPLY_US / n);
		if (catchup_done(t->catchup[i]))
			tui_catchup_end(t, i);
		else if (catchup_ready(t->catchup[i]))
			busy = true;
	}
	return busy;
}

/* Reads a source without a descriptor (a followed regular file) unless
 * it is being caught up; true when its budget was used up. */
static bool
tui_read_file(struct tui *t, size_t i)
{
	bool	full;

	if (t->catchup[i] != NULL || source_fd(t->src[i]) != -1)
		return false;
	full = source_read(t->src[i], t->model, TUI_READ_BUDGET) ==
	    TUI_READ_BUDGET;
	benchlog_ingested(t);
	return full;
}

static int
tui_min_timeout(uint64_t now, uint64_t a, uint64_t b)
{
	uint64_t	next = a < b ? a : b;

	if (next <= now)
		return 0;
	return next - now > 60000 ? 60000 : (int)(next - now);
}

/*
 * The analysis at a refresh.  On a table so big that it takes longer than
 * a tenth of the refresh interval, the next one waits until it has used
 * at most TUI_ANALYSIS_SHARE of the time (the header says so); frames,
 * keys and ingestion go on meanwhile.
 */
static void
tui_rebuild_timed(struct tui *t, uint64_t now)
{
	uint64_t	cost;

	tui_rebuild_view(t);
	cost = tui_now_ms() - now;
	t->rebuild_cost_ms = cost;
	t->next_rebuild = cost * 10 > t->refresh_ms ?
	    now + cost * (100 / TUI_ANALYSIS_SHARE) : 0;
}

static void
tui_loop(struct tui *t, int keyfd)
{
	struct pollfd	*pfd;
	size_t		*pfd_src, i, j, n, got;
	uint64_t	 now, next_tick = 0, next_cfg = 0, next_refresh = 0;
	uint64_t	 wake;
	bool		 more = false, busy;
	char		 drain[64];
	unsigned	 interval;
	int		 timeout;

	pfd = xcalloc(2 * t->nsrc + 2, sizeof *pfd);
	pfd_src = xcalloc(2 * t->nsrc + 2, sizeof *pfd_src);
	t->dirty = true;
	while (!t->quit) {
		if (tui_sig_quit)
			break;
		if (tui_sig_cont) {
			/* Resumed after a stop: the shell put the terminal
			 * back in cooked mode; restore ours and redraw. */
			tui_sig_cont = 0;
			reset_prog_mode();
			clearok(curscr, TRUE);
			t->dirty = true;
		}
		if (tui_sig_hup) {
			tui_sig_hup = 0;
			if (t->opts->config_path != NULL)
				action_config_check(t, true, false);
		}
		busy = tui_catchup_step(t);
		now = tui_now_ms();

		if (now >= next_tick) {
			more = false;
			for (i = 0; i < t->nsrc; i++) {
				if (t->catchup[i] != NULL)
					continue;
				source_tick(t->src[i], t->model);
				if (tui_read_file(t, i))
					more = true;
			}
			next_tick = now + TUI_TICK_MS;
		} else if (more) {
			/* Reading a file: keep reading between keys. */
			more = false;
			for (i = 0; i < t->nsrc; i++) {
				if (tui_read_file(t, i))
					more = true;
			}
		}
		if (t->opts->config_path != NULL && now >= next_cfg) {
			action_config_check(t, false, false);
			next_cfg = now + TUI_CONFIG_CHECK_MS;
		}
		if (now >= next_refresh) {
			tui_rate_sample(t, now);
			if (!t->paused && (!t->view_built ||
			    t->model->generation != t->view_model_gen ||
			    t->cfg_gen != t->view_cfg_gen) &&
			    (now >= t->next_rebuild || t->cfg_gen !=
			    t->view_cfg_gen))
				tui_rebuild_timed(t, now);
			if (t->model->generation != t->drawn_gen ||
			    (now - t->start_ms) / 1000 != t->drawn_sec)
				t->dirty = true;
			/* On a fixed cadence: a late pass does not slow it.
			 * A catch-up shows its progress at least 5 times a
			 * second. */
			interval = t->refresh_ms;
			for (i = 0; i < t->nsrc; i++) {
				if (t->catchup[i] != NULL &&
				    interval > TUI_CATCHUP_REFRESH_MS)
					interval = TUI_CATCHUP_REFRESH_MS;
			}
			next_refresh += interval;
			if (next_refresh <= now)
				next_refresh = now + interval;
		}
		if (t->status != NULL && now >= t->status_until) {
			free(t->status);
			t->status = NULL;
			t->dirty = true;
		}
		if (t->dirty)
			tui_draw(t);

		/* Wait for input, a signal or the next timer. */
		now = tui_now_ms();
		wake = next_refresh < next_cfg || t->opts->config_path == NULL ?
		    next_refresh : next_cfg;
		if (t->status != NULL && t->status_until < wake)
			wake = t->status_until;
		n = 0;
		pfd[n].fd = tui_sigpipe[0];
		pfd[n++].events = POLLIN;
		pfd[n].fd = keyfd;
		pfd[n++].events = POLLIN;
		for (i = 0; i < t->nsrc; i++) {
			if (source_fd(t->src[i]) == -1)
				continue;
			tui_pipe_check(t, i);
			if (t->src_quiet[i] > now) {
				/* Just read: let records gather a moment. */
				if (t->src_quiet[i] < wake)
					wake = t->src_quiet[i];
				continue;
			}
			pfd[n].fd = source_fd(t->src[i]);
			pfd[n].events = POLLIN;
			pfd_src[n++] = i;
		}
		for (i = 0; i < t->nsrc; i++) {
			if (t->catchup[i] == NULL)
				continue;
			pfd[n].fd = catchup_fd(t->catchup[i]);
			pfd[n].events = POLLIN;
			pfd_src[n++] = SIZE_MAX;	/* applied next pass */
		}
		timeout = more || busy ? 0 : tui_min_timeout(now, next_tick,
		    wake);
		if (poll(pfd, n, timeout) == -1) {
			if (errno == EINTR) {
				/* SIGWINCH: ncurses queues KEY_RESIZE. */
				tui_read_keys(t);
				continue;
			}
			fatal("poll: %s", strerror(errno));
		}
		if (pfd[0].revents & POLLIN) {
			while (read(tui_sigpipe[0], drain, sizeof drain) > 0)
				;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR))
			tui_read_keys(t);
		for (i = 2; i < n; i++) {
			if (pfd[i].revents == 0 || pfd_src[i] == SIZE_MAX)
				continue;
			j = pfd_src[i];
			got = source_read(t->src[j], t->model, TUI_READ_BUDGET);
			if (got == TUI_READ_BUDGET)
				more = true;
			else if (got > 0 && got < t->src_pipe[j] / 4)
				t->src_quiet[j] = tui_now_ms() + TUI_COALESCE_MS;
			benchlog_ingested(t);
		}
		if (pfd[1].revents & (POLLHUP | POLLERR | POLLNVAL))
			t->quit = true;	/* the terminal went away */
	}
	free(pfd);
	free(pfd_src);
}

/* Parser threads for the catch-up: every online core. */
static unsigned
tui_threads(void)
{
	long	n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 64 ? 64 : (unsigned)n;
}

static void
tui_free(struct tui *t)
{
	size_t	i;

	for (i = 0; i < t->nsrc; i++) {
		if (t->catchup != NULL)
			catchup_free(t->catchup[i]);
		source_close(t->src[i]);
	}
	free(t->catchup);
	free(t->catchup_ms);
	free(t->src_fd);
	free(t->src_pipe);
	free(t->src_quiet);
	free(t->src);
	benchlog_close(t);
	model_free(t->model);
	baseline_free(t->bl);
	free(t->bl_path);
	config_free(&t->cfg);
	free(t->cfg_error);
	view_free(&t->view);
	theme_free(&t->theme);
	paths_list_free(t->theme_names);
	free(t->sel_id);
	free(t->detail_id);
	free(t->status);
	free(t->sources_desc);
}

int
tui_run(const struct tui_opts *opts)
{
	struct tui		 t;
	struct model_limits	 lim;
	FILE			*keys = NULL;
	const char		*theme, *nc;
	char			*cause = NULL;
	size_t			 i;
	bool			 need_tty = !isatty(STDIN_FILENO);
	int			 rc = 0;

	if (tui_check_terminal() == -1)
		return 2;
	/* The user's locale for characters (wide-char ncurses), never for
	 * numbers: every number read or written stays in C format so
	 * snapshots equal `report` output and "0.01" parses (issue 12). */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	text_detect_utf8();

	memset(&t, 0, sizeof t);
	t.opts = opts;
	t.sort = COL_SCORE;
	t.start_ms = tui_now_ms();
	config_defaults(&t.cfg);
	if (opts->config_path != NULL) {
		action_config_check(&t, false, true);	/* remember its stamp */
		config_free(&t.cfg);
		if (config_load(&t.cfg, opts->config_path, &cause) == -1) {
			fprintf(stderr, "exectop: %s\n", cause);
			free(cause);
			config_free(&t.cfg);
			free(t.cfg_error);
			return 2;
		}
	}
	t.refresh_ms = t.cfg.refresh_ms >= TUI_REFRESH_MIN ?
	    t.cfg.refresh_ms : 250;

	/* Colours: --no-color and NO_COLOR (any non-empty value) give mono. */
	nc = getenv("NO_COLOR");
	t.mono = opts->no_color || (nc != NULL && *nc != '\0');
	theme = t.mono ? "mono" : opts->theme != NULL ? opts->theme :
	    t.cfg.theme != NULL ? t.cfg.theme : "default";
	if (action_theme_set(&t, theme, &cause) == -1) {
		if (opts->theme != NULL || (strcmp(theme, "default") != 0 &&
		    strcmp(theme, "mono") != 0)) {
			fprintf(stderr, "exectop: %s\n", cause);
			free(cause);
			config_free(&t.cfg);
			return 2;
		}
		free(cause);
		cause = NULL;
		theme_builtin(&t.theme, t.mono);
	}
	t.theme_names = paths_theme_names(&t.ntheme_names);

	lim.window = t.cfg.window;
	lim.max_executors = t.cfg.max_executors;
	lim.max_methods = t.cfg.max_methods;
	t.model = model_create(&lim);
	t.src = xcalloc(opts->nsources, sizeof *t.src);
	t.catchup = xcalloc(opts->nsources, sizeof *t.catchup);
	t.catchup_ms = xcalloc(opts->nsources, sizeof *t.catchup_ms);
	t.src_fd = xcalloc(opts->nsources, sizeof *t.src_fd);
	t.src_pipe = xcalloc(opts->nsources, sizeof *t.src_pipe);
	t.src_quiet = xcalloc(opts->nsources, sizeof *t.src_quiet);
	for (i = 0; i < opts->nsources; i++)
		t.src_fd[i] = -2;	/* not seen yet */
	for (i = 0; i < opts->nsources; i++) {
		if (strcmp(opts->sources[i], "-") == 0)
			need_tty = true;
		t.src[i] = source_open(opts->sources[i], true,
		    t.cfg.max_line_bytes, &cause);
		if (t.src[i] == NULL) {
			fprintf(stderr, "exectop: %s\n", cause);
			free(cause);
			t.nsrc = i;
			tui_free(&t);
			return 2;
		}
		t.nsrc = i + 1;
	}
	t.sources_desc = source_display_list(opts->sources, opts->nsources);
	action_baseline_load(&t, action_baseline_path(&t));
	model_set_reference(t.model, t.bl, &t.cfg);

	/* Keys come from the terminal even when stdin carries records. */
	if (need_tty && (keys = fopen("/dev/tty", "re")) == NULL) {
		fprintf(stderr, "exectop: cannot open /dev/tty for the "
		    "keyboard: %s\n", strerror(errno));
		tui_free(&t);
		return 2;
	}
	tui_term = newterm(NULL, stdout, keys != NULL ? keys : stdin);
	if (tui_term == NULL) {
		fprintf(stderr, "exectop: cannot use the terminal type '%s'\n",
		    getenv("TERM"));
		if (keys != NULL)
			fclose(keys);
		tui_free(&t);
		return 2;
	}
	set_term(tui_term);
	fatal_set_hook(tui_fatal_hook);
	tui_signals(true);
	tui_curses_start(&t);
	benchlog_open(&t);
	t.nthreads = tui_threads();
	tui_catchup_begin(&t);
	tui_rebuild_view(&t);

	tui_loop(&t, fileno(keys != NULL ? keys : stdin));

	if (t.mouse)
		mousemask(0, NULL);
	endwin();
	tui_signals(false);
	fatal_set_hook(NULL);
	delscreen(tui_term);
	tui_term = NULL;
	tui_sig_quit = 0;
	tui_sig_hup = 0;
	if (keys != NULL)
		fclose(keys);
	tui_free(&t);
	return rc;
}
