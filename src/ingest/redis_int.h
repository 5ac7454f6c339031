/*
 * redis_int.h - the Redis stream source (redis.c), used by source.c only.
 *
 * redis://[user[:password]@]host[:port][/db]/STREAM[?from-start]
 */
#ifndef EXECTOP_REDIS_INT_H
#define EXECTOP_REDIS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ingest.h"

struct model;
struct record;
struct redis_src;

/* Whether a SOURCE names a Redis stream. */
bool		  redis_src_is_url(const char *);
/* The URL with its password replaced by "***" (malloc'd). */
char		 *redis_src_redact(const char *);
/* Parses the URL and starts the reader thread (it connects by itself).
 * NULL with *cause on a bad URL. */
struct redis_src *redis_src_open(const char *url, bool follow,
		    char **cause);
void		  redis_src_close(struct redis_src *);
/* Readable when entries wait or the state changed. */
int		  redis_src_fd(const struct redis_src *);
/* Feeds waiting entries to the model (about budget bytes of record
 * text); *entries counts the entries handed over. */
size_t		  redis_src_read(struct redis_src *, struct model *,
		    struct record *, const char *name, size_t max_line_bytes,
		    size_t budget, uint64_t *entries);
enum source_state redis_src_state(struct redis_src *);
const char	 *redis_src_status(struct redis_src *, char *, size_t);
/* The stream's key (the name rejections carry). */
const char	 *redis_src_key(const struct redis_src *);

#endif
