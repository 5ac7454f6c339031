/*
 * test_record_diff.c - issue 10: the streaming record reader (yajl) and
 * the jansson reference accept and reject the same lines, for the same
 * reason, and read the same values; over a corpus of tricky lines, over
 * generated records with fields in random order and of random types, and
 * over byte-level mutations of them.  Also: fractional ISO timestamps do
 * not depend on LC_NUMERIC.
 */
#include <criterion/criterion.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"
#include "record_diff.h"

static void
expect_same(const char *line, size_t len)
{
	const char	*d = record_diff(line, len);

	cr_assert_null(d, "%s\n  line: %.*s", d, (int)(len > 300 ? 300 : len),
	    line);
}

#define SAME(s) expect_same((s), strlen(s))

static const char *corpus[] = {
	"", " ", "{", "}", "[", "]", "{}", "[]", "null", "true", "false", "42",
	"-0", "1e309", "\"x\"", "nul", "tru", "{\"executor_id\":\"x\"}",
	"{\"executor_id\":\"x\"} ", " \t\r\n{\"executor_id\":\"x\"}\n\r\t ",
	"{\"executor_id\":\"x\"}\v", "\f{\"executor_id\":\"x\"}",
	"{\"executor_id\":\"x\"}{}", "{}\"executor", "{} \"a}", "{} tru", "{} 12",
	"{\"executor_id\":\"x\"} -", "[] \"a", "\"abc", "\"abc\" \"d", "42 \"a",
	"42\"", "{\"executor_id\":\"x\"} \"\\\"}", "{\"executor_id\":\"x\"},",
	"{\"executor_id\":\"x\"} /* c */", "{\"executor_id\":\"x\"}x",
	"\xef\xbb\xbf{\"executor_id\":\"x\"}",
	"{\"executor_id\":\"x\",}", "{,\"executor_id\":\"x\"}",
	"{\"executor_id\"\"x\"}", "{\"executor_id\":}", "{\"executor_id\"}",
	"{'executor_id':'x'}", "{executor_id:\"x\"}",
	/* ids */
	"{\"executor_id\":5}", "{\"executor_id\":null}", "{\"executor_id\":\"\"}",
	"{\"executor_id\":[]}", "{\"executor_id\":{}}", "{\"executor_id\":true}",
	"{\"executor_id\":\"a\\u0000b\"}", "{\"executor_id\":\"\\u0000\"}",
	"{\"executor_id\":\"\\u00e9\\u65e5\\ud83d\\ude00\"}",
	"{\"executor_id\":\"\\ud800\"}", "{\"executor_id\":\"\\udc00\"}",
	"{\"executor_id\":\"\\ud800x\"}", "{\"executor_id\":\"\\ud800\\u0041\"}",
	"{\"executor_id\":\"\\ud800\\ud800\"}", "{\"executor_id\":\"\\udbff\\udfff\"}",
	"{\"executor_id\":\"\\\\ud800\"}", "{\"executor_id\":\"\\\\\\ud800\"}",
	"{\"executor_id\":\"\\u12\"}", "{\"executor_id\":\"\\uzzzz\"}",
	"{\"executor_id\":\"\\x\"}", "{\"executor_id\":\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"}",
	"{\"executor_id\":\"\xc0\xaf\"}", "{\"executor_id\":\"\xed\xa0\x80\"}",
	"{\"executor_id\":\"\xf4\x90\x80\x80\"}", "{\"executor_id\":\"\xf5\x80\x80\x80\"}",
	"{\"executor_id\":\"\xe6\x97\"}", "{\"executor_id\":\"\x80\"}",
	"{\"executor_id\":\"\xff\"}", "{\"executor_id\":\"\xf0\x9f\x98\x80\"}",
	"{\"executor_id\":\"a\x7f\"}", "{\"executor_id\":\"a\x1f\"}",
	"{\"executor_id\":\"a\tb\"}", "{\"executor_id\":\"x\",\"\xff\":1}",
	"{\"executor_id\":\"x\",\"\xc0\xaf\":1}", "{\"\\u0000\":1,\"executor_id\":\"x\"}",
	"{\"executor_id\\u0000\":\"x\"}", "{\"executor\\u005fid\":\"x\"}",
	"{\"Executor_Id\":\"x\"}",
	/* duplicates */
	"{\"executor_id\":\"x\",\"executor_id\":\"x\"}",
	"{\"executor_id\":\"x\",\"\\u0065xecutor_id\":\"y\"}",
	"{\"executor_id\":\"x\",\"u\":1,\"u\":2}",
	"{\"executor_id\":\"x\",\"u\":{\"k\":1,\"k\":2}}",
	"{\"executor_id\":\"x\",\"u\":{\"k\":1},\"v\":{\"k\":2}}",
	"{\"executor_id\":\"x\",\"u\":[{\"k\":1},{\"k\":2}]}",
	"{\"executor_id\":\"x\",\"u\":{\"k\":{\"k\":{\"k\":1}}}}",
	"{\"executor_id\":\"x\",\"u\":{\"a\":{\"k\":1},\"k\":2}}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"a\",\"method_name\":\"b\"}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"a\",\"z\":1,\"z\":1}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"a\"},{\"method_name\":\"a\"}]}",
	"{\"executor_id\":\"x\",\"success\":true,\"success\":true}",
	/* numbers */
	"{\"executor_id\":\"x\",\"execution_time_ms\":NaN}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":Infinity}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":-Infinity}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":1e309}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":-1e309}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":1e-400}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":1.7976931348623157e308}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":1.7976931348623159e308}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":4.9e-324}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":0.1}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":12.5E+2}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":12.5e-2}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":-0}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":-0.0}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":01}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":1.}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":.5}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":+1}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":0x10}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":1e}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":-}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":9223372036854775807}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":9223372036854775808}",
	"{\"executor_id\":\"x\",\"memory_footprint_mb\":-9223372036854775808}",
	"{\"executor_id\":\"x\",\"memory_footprint_mb\":-9223372036854775809}",
	"{\"executor_id\":\"x\",\"u\":1e999}", "{\"executor_id\":\"x\",\"u\":[99999999999999999999]}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":123456789012345678901234567890.5}",
	"{\"executor_id\":\"x\",\"execution_time_ms\":0.000000000000000000000000000000000000000001}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"call_count\":9007199254740992}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"call_count\":9007199254740993}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"call_count\":-1}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"call_count\":-0}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"call_count\":1.0}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"call_count\":1e2}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"call_count\":null}]}",
	/* types and the order of reasons */
	"{\"execution_time_ms\":\"12\"}", "{\"execution_time_ms\":-1}",
	"{\"method_calls\":5,\"executor_id\":7}",
	"{\"method_calls\":5,\"executor_id\":\"x\",\"execution_time_ms\":-1}",
	"{\"serialization_size_bytes\":\"1\",\"execution_time_ms\":-1,\"executor_id\":\"x\"}",
	"{\"error\":5,\"success\":\"no\",\"executor_id\":\"x\"}",
	"{\"timestamp\":true,\"error\":5,\"executor_id\":\"x\"}",
	"{\"executor_id\":\"x\",\"timestamp\":\"2026-11-27T10:00:00Z\"}",
	"{\"executor_id\":\"x\",\"timestamp\":\"2026-11-27 10:00:00.25+0130\"}",
	"{\"executor_id\":\"x\",\"timestamp\":\"2026-11-27T10:00:00.123456\"}",
	"{\"executor_id\":\"x\",\"timestamp\":\"2026-11-27T10:00:00-05\"}",
	"{\"executor_id\":\"x\",\"timestamp\":\"2026-11-27T10:00:00.\"}",
	"{\"executor_id\":\"x\",\"timestamp\":\"2026-11-27T10:00:00Z\\u0000x\"}",
	"{\"executor_id\":\"x\",\"timestamp\":\"yesterday\"}",
	"{\"executor_id\":\"x\",\"timestamp\":[]}",
	"{\"executor_id\":\"x\",\"timestamp\":null}",
	"{\"executor_id\":\"x\",\"timestamp\":-1.5}",
	"{\"executor_id\":\"x\",\"success\":null,\"error\":null,\"method_calls\":null}",
	"{\"executor_id\":\"x\",\"error\":\"a\\u0000b\"}",
	"{\"executor_id\":\"x\",\"error\":{}}",
	"{\"executor_id\":\"x\",\"method_calls\":{}}",
	"{\"executor_id\":\"x\",\"method_calls\":[]}",
	"{\"executor_id\":\"x\",\"method_calls\":[1]}",
	"{\"executor_id\":\"x\",\"method_calls\":[null]}",
	"{\"executor_id\":\"x\",\"method_calls\":[[]]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"\"}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":null}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"a\\u0000\"}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"class_name\":5}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"class_name\":5}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"execution_time_ms\":-1,\"memory_delta_mb\":\"x\",\"method_name\":\"m\"}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"error\":1,\"success\":1,\"call_count\":-1,\"method_name\":\"m\"}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\"},7]}",
	"{\"executor_id\":\"x\",\"method_calls\":[7,{\"method_name\":5}]}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\",\"success\":false,\"error\":\"e\",\"memory_delta_mb\":-2.5,\"u\":{\"method_name\":1}}]}",
	"{\"executor_id\":\"x\",\"u\":{\"method_calls\":5,\"executor_id\":1}}",
	"{\"u\":{\"executor_id\":\"x\"}}",
	"{\"executor_id\":\"x\",\"method_calls\":[{\"method_name\":\"m\"}],\"z\":[{\"method_name\":5}]}",
};

Test(record_diff, corpus)
{
	size_t	i;

	for (i = 0; i < sizeof corpus / sizeof corpus[0]; i++)
		SAME(corpus[i]);
	/* Raw NUL bytes, inside and outside strings. */
	expect_same("{\"executor_id\":\"a\0b\"}", 20);
	expect_same("{\"executor_id\":\"ab\"}\0", 21);
	expect_same("\0", 1);
	/* Found by the fuzz target: a bare number then NUL (both reject;
	 * the reasons differ, an allowed difference of record_diff). */
	expect_same("7\0", 2);
	expect_same("-12.5\0", 6);
}

/* Nesting around jansson's limit of 2048, in each place it can be. */
Test(record_diff, depth_limit)
{
	static const char *open[] = { "[", "{\"a\":" }, *close[] = { "]", "}" };
	static const char *inner[] = { "", "1", "[]", "{}" };
	size_t	depth, o, k, i, len;
	char	*s = malloc(3000 * 8 + 100), *p;

	for (o = 0; o < 2; o++) {
		for (k = 0; k < 4; k++) {
			for (depth = 2044; depth <= 2050; depth++) {
				p = s + sprintf(s, "{\"executor_id\":\"x\",\"u\":");
				for (i = 0; i < depth; i++)
					p += sprintf(p, "%s", open[o]);
				p += sprintf(p, "%s", o == 1 && *inner[k] == '\0' ?
				    "0" : inner[k]);
				for (i = 0; i < depth; i++)
					p += sprintf(p, "%s", close[o]);
				p += sprintf(p, "}");
				len = (size_t)(p - s);
				expect_same(s, len);
			}
		}
	}
	free(s);
}

/* A small deterministic generator (xorshift64). */
static uint64_t	rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n == 0 ? 0 : rng % n;
}

static const char *strs[] = { "\"x\"", "\"\"", "\"a\\u0000b\"", "\"\\u00e9\"",
    "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"\xc3\xa9\"", "\"\xed\xa0\x80\"",
    "\"\\n\\t\\\"\"", "\"2026-11-27T10:00:00Z\"", "\"2026-01-01T00:00:05.123456\"",
    "\"2026-11-27T12:00:00.5+02:00\"", "\"nope\"" };
static const char *nums[] = { "0", "1", "-1", "12.5", "-3.25", "1e3", "1E-2",
    "1e309", "1e-400", "9007199254740992", "9007199254740993",
    "99999999999999999999", "-0", "0.1", "123456.789", "2048" };
static const char *lits[] = { "null", "true", "false", "[]", "{}", "[1,\"a\"]",
    "{\"k\":1}", "{\"k\":1,\"k\":2}" };

static void
put_value(char **p)
{
	switch (rnd(10)) {
	case 0: case 1: case 2:
		*p += sprintf(*p, "%s", strs[rnd(sizeof strs / sizeof strs[0])]);
		break;
	case 3: case 4: case 5: case 6:
		*p += sprintf(*p, "%s", nums[rnd(sizeof nums / sizeof nums[0])]);
		break;
	default:
		*p += sprintf(*p, "%s", lits[rnd(sizeof lits / sizeof lits[0])]);
		break;
	}
}

static const char *rkeys[] = { "executor_id", "execution_time_ms",
    "memory_footprint_mb", "memory_peak_mb", "serialization_time_ms",
    "serialization_size_bytes", "success", "error", "timestamp",
    "method_calls", "extra", "tag" };
static const char *mkeys[] = { "class_name", "method_name",
    "execution_time_ms", "memory_delta_mb", "call_count", "success", "error",
    "extra" };

/* A record, mostly well-formed: known fields in random order, each of a
 * plausible type most of the time. */
static size_t
gen_record(char *buf)
{
	char	*p = buf;
	size_t	 n, i, j, nm;
	bool	 first = true;

	p += sprintf(p, "{");
	n = rnd(12) + 1;
	for (i = 0; i < n; i++) {
		size_t	k = rnd(sizeof rkeys / sizeof rkeys[0]);

		if (i == 0 && rnd(10) != 0)
			k = 0;
		p += sprintf(p, "%s\"%s\":", first ? "" : ",", rkeys[k]);
		first = false;
		if (k == 0 && rnd(8) != 0)
			p += sprintf(p, "\"E%u\"", (unsigned)rnd(50));
		else if (k >= 1 && k <= 5 && rnd(4) != 0)
			p += sprintf(p, "%s", nums[rnd(7)]);
		else if (k == 9 && rnd(5) != 0) {
			p += sprintf(p, "[");
			nm = rnd(4);
			for (j = 0; j < nm; j++) {
				size_t	f, nf = rnd(6);

				p += sprintf(p, "%s{\"method_name\":\"m%u\"", j ? "," : "",
				    (unsigned)rnd(5));
				for (f = 0; f < nf; f++) {
					p += sprintf(p, ",\"%s\":",
					    mkeys[rnd(sizeof mkeys / sizeof mkeys[0])]);
					put_value(&p);
				}
				p += sprintf(p, "}");
			}
			p += sprintf(p, "]");
		} else
			put_value(&p);
	}
	p += sprintf(p, "}");
	return (size_t)(p - buf);
}

Test(record_diff, generated_records)
{
	char	buf[8192];
	size_t	i, len;

	for (i = 0; i < 30000; i++) {
		len = gen_record(buf);
		expect_same(buf, len);
	}
}

/*
 * Numbers of every shape the reader converts without strtod (up to 18
 * digits, exponents near +-22) and just past it: the value read is the
 * double strtod gives, bit for bit (sign of zero included), and jansson
 * reads the same.
 */
Test(record_diff, numbers_exact)
{
	struct record		 r;
	enum reject_reason	 why;
	char			 num[64], line[160], detail[160];
	size_t			 i, nd, dot, k, len;
	double			 want;
	int			 n;
	bool			 real;

	record_init(&r);
	for (i = 0; i < 200000; i++) {
		n = 0;
		if (rnd(3) == 0)
			num[n++] = '-';
		nd = rnd(21) + 1;
		dot = rnd(nd + 1);
		for (k = 0; k < nd; k++) {
			if (k == dot && k > 0 && rnd(2) == 0)
				num[n++] = '.';
			num[n++] = (char)('0' + (k == 0 && nd > 1 && (dot != 1 ||
			    rnd(2)) ? rnd(9) + 1 : rnd(10)));
		}
		if (num[n - 1] == '.')
			num[n++] = '0';
		if (rnd(3) == 0)
			n += sprintf(num + n, "%s%s%d", rnd(2) ? "e" : "E",
			    rnd(3) == 0 ? "+" : rnd(2) ? "-" : "",
			    (int)rnd(30));
		num[n] = '\0';
		/* a leading 0 is followed by '.', 'e' or nothing in JSON */
		if (num[num[0] == '-'] == '0' && num[(num[0] == '-') + 1] >= '0' &&
		    num[(num[0] == '-') + 1] <= '9')
			continue;
		len = (size_t)snprintf(line, sizeof line, "{\"executor_id\":\"x\","
		    "\"memory_footprint_mb\":%s}", num);
		expect_same(line, len);
		real = strchr(num, '.') || strchr(num, 'e') || strchr(num, 'E');
		if (record_parse(&r, line, len, &why, detail, sizeof detail) ==
		    -1) {
			/* only an integer beyond long long is refused */
			cr_assert(!real && nd >= 19, "%s: %s: %s", num,
			    record_reject_name(why), detail);
			continue;
		}
		want = real ? strtod(num, NULL) : (double)strtoll(num, NULL, 10);
		cr_assert(memcmp(&r.v[METRIC_MEM_FOOTPRINT], &want,
		    sizeof want) == 0, "%s read as %.17g, strtod gives %.17g",
		    num, r.v[METRIC_MEM_FOOTPRINT], want);
	}
	record_free(&r);
}

/* Byte-level damage to generated records: flips, deletions, insertions of
 * interesting bytes, truncation. */
Test(record_diff, mutated_records)
{
	static const char ins[] = "\"\\{}[],:0e.-\xff\xc3\x80\v\f\t u";
	char	buf[8192];
	size_t	i, len, pos, m;

	for (i = 0; i < 30000; i++) {
		len = gen_record(buf);
		for (m = rnd(3) + 1; m > 0 && len > 0; m--) {
			pos = rnd(len);
			switch (rnd(4)) {
			case 0:
				buf[pos] = (char)rnd(256);
				break;
			case 1:
				memmove(buf + pos, buf + pos + 1, len - pos - 1);
				len--;
				break;
			case 2:
				memmove(buf + pos + 1, buf + pos, len - pos);
				buf[pos] = ins[rnd(sizeof ins - 1)];
				len++;
				break;
			default:
				len = pos;
				break;
			}
		}
		expect_same(buf, len);
	}
}

/* The fraction of an ISO timestamp is read the same whatever LC_NUMERIC
 * says (the TUI runs under the user's locale).  A comma locale from the
 * system when there is one; else the check still runs in "C" and says so. */
Test(record_diff, iso_fraction_ignores_locale)
{
	static const char *comma[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8",
	    "fr_FR.utf8", "nl_NL.UTF-8", "ru_RU.UTF-8", "it_IT.UTF-8" };
	struct record		 r;
	enum reject_reason	 why;
	char			 detail[160];
	const char		*line = "{\"executor_id\":\"x\",\"execution_time_ms\":"
				    "12.5,\"timestamp\":\"2026-01-01T00:00:05.123456\"}";
	size_t			 i;
	const char		*got = NULL;

	for (i = 0; i < sizeof comma / sizeof comma[0] && got == NULL; i++)
		got = setlocale(LC_NUMERIC, comma[i]);
	if (got == NULL)
		cr_skip_test("no comma-decimal locale installed (apt-get install "
		    "locales, then locale-gen de_DE.UTF-8)");
	cr_assert_str_eq(localeconv()->decimal_point, ",");
	record_init(&r);
	cr_assert_eq(record_parse(&r, line, strlen(line), &why, detail,
	    sizeof detail), 0, "%s: %s", record_reject_name(why), detail);
	cr_assert_float_eq(r.timestamp, 1767225605.123456, 1e-6);
	cr_assert_eq(r.v[METRIC_EXEC_TIME], 12.5);
	cr_assert_eq(record_parse_iso8601("2026-01-01T00:00:05.5Z"),
	    1767225605.5);
	record_free(&r);
	setlocale(LC_NUMERIC, "C");
}
