/*
 * ingest.h - sources of records (regular file, named FIFO, stdin) and the
 * line splitter that feeds the model.
 *
 * A source is read without blocking.  Lines may arrive split across reads:
 * a partial line is held until its newline.  A line longer than
 * max_line_bytes is discarded up to its newline and counted once.
 *
 * Follow mode (the TUI) keeps going past EOF like `tail -F`: a file is
 * re-checked on every source_tick() for growth, truncation and rotation;
 * a FIFO whose writers all closed waits for the next writer.  Report mode
 * stops at EOF and parses a last line that has no newline.
 */
#ifndef EXECTOP_INGEST_H
#define EXECTOP_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct model;
struct source;

enum source_kind { SOURCE_FILE, SOURCE_FIFO, SOURCE_STDIN, SOURCE_REDIS };

enum source_state {
	SOURCE_READING,		/* open, data flowing or idle at the end */
	SOURCE_CATCHING_UP,	/* reading an existing file, not at its end yet */
	SOURCE_WAITING,		/* no writer on the FIFO, or the file is missing */
	SOURCE_EOF,		/* finished (report mode, or stdin closed) */
	SOURCE_ERROR		/* see source_status() */
};

/* Opening never fails in follow mode (a missing file is waited for); in
 * report mode an unopenable path gives NULL and *cause. */
struct source	*source_open(const char *path, bool follow,
		    size_t max_line_bytes, char **cause);
void		 source_close(struct source *);
/* A SOURCE argument as shown in headers, reports and baselines: a Redis
 * URL's password replaced by "***" (malloc'd). */
char		*source_display(const char *);
/* Every SOURCE argument so, joined by ", " (malloc'd). */
char		*source_display_list(char *const *args, size_t n);

/* The descriptor to poll() for input, or -1 when there is none to poll
 * (regular files: call source_read() on a timer instead). */
int		 source_fd(const struct source *);
/*
 * Reads at most budget bytes of what is available and feeds every complete
 * line to the model.  Returns the number of bytes read (0 when nothing was
 * available).  Never blocks.
 */
size_t		 source_read(struct source *, struct model *, size_t budget);
/* Follow mode housekeeping (rotation, truncation, reopening). */
void		 source_tick(struct source *, struct model *);

enum source_kind  source_kind(const struct source *);
enum source_state source_state(const struct source *);
const char	*source_path(const struct source *);
/* "reading", "catching up 42%", "waiting for writer", "EOF", or the
 * error text; written into buf. */
const char	*source_status(const struct source *, char *buf, size_t len);
uint64_t	 source_lines(const struct source *);
uint64_t	 source_bytes(const struct source *);

/*
 * Reads every source to its end (report and baseline modes), poll()ing
 * FIFOs and stdin so several sources merge.  Returns 0, or -1 with *cause
 * when a source failed.
 */
int		 ingest_run_to_eof(struct source **, size_t, struct model *,
		    char **cause);
/* The same; after 2 s without data a FIFO still waiting for its writer
 * is named on stderr, and timeout_s > 0 seconds without data fail
 * ("no writer" / "no data within --timeout N s"). */
int		 ingest_run_to_eof_timeout(struct source **, size_t,
		    struct model *, unsigned timeout_s, char **cause);

/*
 * The line splitter, exposed for tests.  Feeds bytes; calls fn once per
 * complete line (without the newline; a trailing '\r' is kept).
 */
struct linebuf {
	char		*buf;
	size_t		 len;
	size_t		 cap;
	size_t		 max;		/* longest line accepted */
	bool		 discarding;	/* inside an over-long line */
	uint64_t	 lineno;	/* lines completed so far */
};
typedef void linebuf_cb(void *arg, const char *line, size_t len,
		    uint64_t lineno, bool too_long);
void		 linebuf_init(struct linebuf *, size_t max);
void		 linebuf_free(struct linebuf *);
void		 linebuf_feed(struct linebuf *, const char *, size_t,
		    linebuf_cb *, void *);
/* At EOF: hands over a held partial line, if any.  Returns 1 if it did. */
int		 linebuf_flush(struct linebuf *, linebuf_cb *, void *);
/* Drops any held partial line (after truncation). */
void		 linebuf_reset(struct linebuf *);

/*
 * Reads a regular file to its end (as it is when opened) with nthreads
 * parser threads; the model is updated in file order, so the result is
 * the same as a sequential read's whatever the thread count.  Returns 0,
 * or -1 with *cause.
 */
int		 ingest_file_parallel(const char *path, struct model *,
		    size_t max_line_bytes, unsigned nthreads, char **cause);

struct record;
/* Whether a line holds only spaces, tabs and CRs (ignored, not counted). */
int		 ingest_blank(const char *, size_t);
/* Parses one line into the model (empty/whitespace lines are ignored;
 * too_long counts a line_too_long rejection). */
void		 ingest_line(struct model *, const char *source,
		    const char *line, size_t len, uint64_t lineno,
		    bool too_long);
/* The same with a caller's scratch record, reused between lines. */
void		 ingest_line_with(struct model *, struct record *,
		    const char *source, const char *line, size_t len,
		    uint64_t lineno, bool too_long);

/*
 * The TUI's parallel catch-up on an existing regular file (catchup.c):
 * the bytes from offset to the end of the file's last complete line are
 * parsed by nthreads threads in the background; the caller applies the
 * parsed batches to the model, in file order, with catchup_apply() -
 * the model is only touched by the calling thread, and it gets the same
 * records, rejections and line numbers as a sequential read.  When the
 * file has grown by a megabyte or more by the time the catch-up gets to
 * its end, it reads on to the new end.  Never blocks the caller.
 */
struct catchup;
struct catchup_progress {
	off_t		start;		/* where the catch-up began */
	off_t		offset;		/* applied up to here (a line end) */
	off_t		end;		/* reading up to here */
	uint64_t	lines;		/* number of the last line applied */
	uint64_t	records;	/* accepted records applied */
	uint64_t	invalid;	/* rejected lines applied */
};

/* lines: the number of lines before offset (line numbers go on from
 * it).  NULL with *cause when the file cannot be read. */
struct catchup	*catchup_start(const char *path, off_t offset,
		    uint64_t lines, size_t max_line_bytes, unsigned nthreads,
		    char **cause);
/* Stops the threads and frees everything (the descriptor too, unless
 * taken).  NULL does nothing. */
void		 catchup_free(struct catchup *);
/* Readable when a parsed batch waits to be applied or the catch-up is
 * done: for the caller's poll(). */
int		 catchup_fd(const struct catchup *);
/* Applies parsed batches in file order until none is ready or budget_us
 * microseconds have passed (at least one batch when one is ready).
 * Returns the number of batches applied. */
size_t		 catchup_apply(struct catchup *, struct model *,
		    uint64_t budget_us);
/* Whether a parsed batch waits to be applied. */
bool		 catchup_ready(struct catchup *);
/* Whether everything was read and applied. */
bool		 catchup_done(struct catchup *);
/* Once done: hands over the file's descriptor (the caller owns it) with
 * the offset and line count reached, for source_resume().  -1 before. */
int		 catchup_take_file(struct catchup *, off_t *offset,
		    uint64_t *lines);
void		 catchup_progress(struct catchup *, struct catchup_progress *);

/*
 * A followed regular file whose first offset bytes (lines lines, ending
 * with a newline) were read elsewhere - the TUI's catch-up, from fd:
 * the source takes fd over (closing its own descriptor) and follows the
 * file from offset.  Returns 0, or -1 (fd closed) when the source is not
 * a followed file or fd cannot be used.
 */
int		 source_resume(struct source *, int fd, off_t offset,
		    uint64_t lines);

#endif
