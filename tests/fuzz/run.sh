#!/bin/sh
# Runs libFuzzer targets for a while each and reports how many inputs each
# executed; exits non-zero when one found a crash (its input is kept in
# BUILD/artifacts/ and the end of its log is shown).
#   usage: tests/fuzz/run.sh BUILD SECONDS TARGET...
# Each target starts from its seed corpus (tests/fuzz/corpus/TARGET) and
# keeps what it finds in BUILD/corpus/TARGET, so later runs go on from
# there.  FUZZ_JOBS targets run at once (default: the number of CPUs).
build=$1; seconds=$2; shift 2
case $build in /*) ;; *) build=./$build ;; esac
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 1)}
mkdir -p "$build/artifacts" "$build/logs"
# The file loaders' targets write each input to a file: on a tmpfs when
# there is one, removed at the end.
EXECTOP_FUZZ_TMP=$(mktemp -d /dev/shm/exectop-fuzz.XXXXXX 2>/dev/null ||
    mktemp -d /tmp/exectop-fuzz.XXXXXX) || exit 1
export EXECTOP_FUZZ_TMP
trap 'rm -rf "$EXECTOP_FUZZ_TMP"' EXIT INT TERM

run_one() {
	t=$1
	mkdir -p "$build/corpus/$t"
	case $t in
	record) dict=tests/fuzz/record.dict ;;
	*) dict=tests/fuzz/yaml.dict ;;
	esac
	"$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 \
	    -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
	    -dict="$dict" -artifact_prefix="$build/artifacts/$t-" \
	    "$build/corpus/$t" "tests/fuzz/corpus/$t" \
	    > "$build/logs/$t.log" 2>&1
	echo $? > "$build/logs/$t.rc"
}

running=0
for t in "$@"; do
	run_one "$t" &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

failed=""
for t in "$@"; do
	rc=$(cat "$build/logs/$t.rc" 2>/dev/null || echo 1)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/logs/$t.log")
	units=$(ls "$build/corpus/$t" | wc -l)
	if [ "$rc" = 0 ]; then
		echo "fuzz $t: ${execs:-?} inputs in ${seconds}s, no crash ($units in corpus)"
	else
		echo "fuzz $t: FAILED after ${execs:-?} inputs (exit $rc):" >&2
		tail -n 40 "$build/logs/$t.log" >&2
		ls "$build/artifacts/$t-"* 2>/dev/null >&2
		failed="$failed $t"
	fi
done
[ -z "$failed" ] || { echo "fuzz: crashes in:$failed" >&2; exit 1; }
