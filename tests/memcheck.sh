#!/bin/sh
# Runs exectop end to end under valgrind memcheck: `report` in every
# format against a baseline, on a stream holding every kind of bad line,
# read from a file (in parallel), a FIFO and stdin; `baseline`; `gen`;
# and the error paths (a bad config, a bad baseline).  Any memcheck error
# or a definite or possible leak fails; "still reachable" does not.
#   usage: tests/memcheck.sh path/to/exectop
set -u
bin=$1
dir=$(mktemp -d /tmp/exectop-memcheck.XXXXXX)
trap 'rm -rf "$dir"' EXIT INT TERM
export XDG_CONFIG_HOME="$dir" HOME="$dir" SOURCE_DATE_EPOCH=1795773600

vg() {	# vg EXPECTED_STATUS ARGS...
	want=$1; shift
	valgrind -q --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,possible \
	    --show-leak-kinds=definite,possible --track-fds=no \
	    --log-file="$dir/vg.log" "$bin" "$@" > "$dir/out" 2> "$dir/err"
	rc=$?
	runs=$((runs + 1))
	if [ "$rc" = 99 ] || [ -s "$dir/vg.log" ]; then
		echo "memcheck: errors in: exectop $*" >&2
		cat "$dir/vg.log" >&2
		exit 1
	fi
	if [ "$rc" != "$want" ]; then
		echo "memcheck: exectop $* exited $rc, expected $want" >&2
		cat "$dir/err" >&2
		exit 1
	fi
}
runs=0

"$bin" gen --records 1000 --executors 12 --methods 4 --seed 1 > "$dir/base.jsonl"
"$bin" gen --records 600 --executors 12 --methods 4 --seed 2 \
    --slow D1-Q2:3 > "$dir/run.jsonl"
cat >> "$dir/run.jsonl" <<'LINES'
not json
{"executor_id":"x"
[1,2]
{"execution_time_ms":1}
{"executor_id":""}
{"executor_id":"A","execution_time_ms":"12"}
{"executor_id":"A","execution_time_ms":-1}
{"executor_id":"A","executor_id":"B"}
{"executor_id":"\u001b]8;;x\u0007<script>|`\n\u202e","error":"</script>\r","method_calls":[{"class_name":"<b>","method_name":"m|\u009b","execution_time_ms":1}]}
LINES
printf '{"executor_id":"last","execution_time_ms":1}' >> "$dir/run.jsonl"
printf 'window: 20\nmin_samples: 3\nlimits:\n  max_executors: 10\n  max_methods: 3\n  max_line_bytes: 4096\n' > "$dir/cfg.yaml"

vg 0 baseline -c "$dir/cfg.yaml" -o "$dir/base.yaml" "$dir/base.jsonl"
for f in json markdown html junit; do
	vg 1 report -c "$dir/cfg.yaml" -b "$dir/base.yaml" -f "$f" \
	    -o "$dir/r.$f" "$dir/run.jsonl"
done
vg 1 report -c "$dir/cfg.yaml" -b "$dir/base.yaml" -j 3 "$dir/run.jsonl"
mkfifo "$dir/in.fifo"
( cat "$dir/run.jsonl" > "$dir/in.fifo" ) &
vg 1 report -c "$dir/cfg.yaml" -b "$dir/base.yaml" -f markdown \
    "$dir/in.fifo" - < "$dir/run.jsonl"
wait
vg 0 gen --records 500 --executors 3 --slow D1-Q1:2
printf 'a: &a [*a]\n' > "$dir/bad.yaml"
vg 2 report -c "$dir/bad.yaml" "$dir/run.jsonl"
vg 2 report -b "$dir/bad.yaml" "$dir/run.jsonl"
vg 2 report "$dir/missing.jsonl"
echo "memcheck: $runs runs of exectop under valgrind, no errors, no leaks"
