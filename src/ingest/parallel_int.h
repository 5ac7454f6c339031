/*
 * parallel_int.h - the batch machinery of parallel.c, shared inside
 * src/ingest with catchup.c (the TUI's non-blocking variant).  Not a
 * public interface: only src/ingest includes this.
 *
 * A reader cuts a regular file into batches of whole lines; worker
 * threads (pool_worker) parse batches into compact, pointer-free results;
 * one thread applies the results to the model in file order
 * (batch_apply), so the model sees what a sequential read would give.
 */
#ifndef EXECTOP_PARALLEL_INT_H
#define EXECTOP_PARALLEL_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "metric.h"
#include "record.h"

struct model;

#define BATCH_BYTES	(512 * 1024)
#define BATCH_AHEAD	2		/* batches in flight per thread */
#define NO_STR		UINT32_MAX

enum pentry_kind { PENTRY_RECORD, PENTRY_REJECT };

struct pentry {
	enum pentry_kind	kind;
	enum reject_reason	why;
	uint64_t		line;		/* within the batch, 1-based */
	double			v[METRIC_COUNT];
	double			timestamp;
	bool			success;
	uint32_t		id;		/* offsets into the string arena */
	uint32_t		error;
	uint32_t		detail;
	uint32_t		meth;		/* first method in the method array */
	uint32_t		nmeth;
	uint32_t		unknown[RECORD_MAX_UNKNOWN];
	uint32_t		nunknown;
	uint32_t		unknown_in_method;
};

struct pmethod {
	uint32_t	cls;
	uint32_t	name;
	uint32_t	error;
	double		time;
	double		mem;
	uint64_t	calls;
	bool		success;
};

struct batch {
	char		*data;		/* whole lines, owned */
	size_t		 len, datacap;
	bool		 overlong;	/* stands for one line over max_line */

	/* Results, filled by a worker. */
	struct pentry	*ent;
	size_t		 nent, capent;
	struct pmethod	*meth;
	size_t		 nmeth, capmeth;
	char		*str;
	size_t		 nstr, capstr;
	uint64_t	 lines;
	int		 done;
	off_t		 end;		/* file offset after it (catchup.c) */
};

/*
 * Batches live in a ring of `ahead` slots.  The calling thread reads batch
 * nread into its slot, workers parse batches next..nread-1, and the calling
 * thread applies batch `applied` once it is done and empties its slot
 * (its buffers are kept for the next batch: no page faults per batch).
 * (In catchup.c a reader thread reads and the UI thread applies.)
 */
struct pool {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	struct batch	*ring;
	size_t		 ahead;
	size_t		 nread;		/* batches read so far */
	size_t		 next;		/* next batch to parse */
	size_t		 applied;	/* batches applied so far */
	bool		 eof;		/* no more batches will be read */
	size_t		 max_line;
};

/*
 * The reader: fills batches with whole lines from fd.  A partial last
 * line is carried into the next batch; a line longer than max_line is
 * skipped up to its newline and stands as an "overlong" batch of its own,
 * so memory stays bounded and the order of lines is kept.
 */
struct reader {
	int	 fd;
	char	*carry;
	size_t	 ncarry;
	bool	 eof;
	bool	 skipping;	/* inside an over-long line */
	int	 err;
	off_t	 pos;		/* file offset of the next read */
	off_t	 limit;		/* stop at this offset; 0: at EOF */
};

/* Parses a batch's lines into its results (any thread). */
void	 batch_parse(struct batch *, struct record *, size_t max_line);
/* Applies a parsed batch to the model; line numbers continue from base. */
void	 batch_apply(struct batch *, struct model *, const char *name,
	    uint64_t base);
/* Empties a batch, keeping its buffers; the slot can be filled again. */
void	 batch_release(struct batch *);
/* Frees a batch's data and results. */
void	 batch_free(struct batch *);
/* A parser thread of the pool (arg: the struct pool). */
void	*pool_worker(void *);
/* Fills b with the next whole lines; returns 0 when there is nothing
 * left. */
int	 reader_next(struct reader *, struct batch *, size_t max_line);

#endif
