/*
 * bare_parse.c - the benchmark's yardstick: jansson's json_loadb on every
 * line of a file plus reads of the fields exectop uses, one thread, no
 * aggregation.  Prints the records parsed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

int
main(int argc, char **argv)
{
	FILE		*f;
	char		*line = NULL;
	size_t		 cap = 0, i, n = 0;
	ssize_t		 len;
	json_t		*o, *mc, *m;
	double		 sink = 0;

	if (argc != 2 || (f = fopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "usage: bare_parse FILE\n");
		return 2;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		o = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, NULL);
		if (o == NULL)
			continue;
		sink += strlen(json_string_value(json_object_get(o, "executor_id")));
		sink += json_number_value(json_object_get(o, "execution_time_ms"));
		sink += json_number_value(json_object_get(o, "memory_footprint_mb"));
		sink += json_number_value(json_object_get(o, "memory_peak_mb"));
		sink += json_number_value(json_object_get(o, "serialization_time_ms"));
		sink += json_number_value(json_object_get(o, "serialization_size_bytes"));
		sink += json_is_true(json_object_get(o, "success"));
		mc = json_object_get(o, "method_calls");
		json_array_foreach(mc, i, m) {
			sink += strlen(json_string_value(json_object_get(m, "method_name")));
			sink += json_number_value(json_object_get(m, "execution_time_ms"));
			sink += json_number_value(json_object_get(m, "memory_delta_mb"));
		}
		json_decref(o);
		n++;
	}
	free(line);
	fclose(f);
	printf("%zu %g\n", n, sink > 0 ? 1.0 : 0.0);
	return 0;
}
