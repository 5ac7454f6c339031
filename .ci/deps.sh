#!/bin/sh
# Installs the Debian packages exectop needs to build and test, but only
# those whose pkg-config module (or command) is missing.  Called by the
# Makefile before every build; does nothing when all is present.
#   usage: .ci/deps.sh [build|test|bench]
set -u
mode=${1:-build}

missing=""
need_pc() {	# need_pc MODULE PACKAGE
	pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_cmd() {	# need_cmd COMMAND PACKAGE
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}

need_cmd pkg-config pkg-config
need_cmd cc gcc
need_cmd make make
need_pc ncursesw libncurses-dev
need_pc yaml-0.1 libyaml-dev
need_pc jansson libjansson-dev
# The stream record reader (issue 10).
need_pc yajl libyajl-dev
# Redis stream sources (issue 15).
need_pc hiredis libhiredis-dev
if [ "$mode" = test ]; then
	need_pc criterion libcriterion-dev
	need_cmd tmux tmux
	need_cmd valgrind valgrind
	need_cmd python3 python3
	need_cmd clang clang
	# libFuzzer's runtime for the fuzz targets (issue 5): clang alone
	# does not bring it.
	if ! command -v clang >/dev/null 2>&1 || ! ls \
	    "$(clang -print-runtime-dir 2>/dev/null)"/libclang_rt.fuzzer*.a \
	    >/dev/null 2>&1; then
		missing="$missing libclang-rt-dev"
	fi
	# Docs, recipes and the browser test (issue 6): the man page lint,
	# the shell and multi-machine producer recipes, and the HTML report
	# opened in headless Chromium driven by a small Node script.
	need_cmd mandoc mandoc
	need_cmd jq jq
	need_cmd socat socat
	need_cmd node nodejs
	need_cmd chromium chromium
	# A comma-decimal locale for the record reader's LC_NUMERIC test
	# (issue 10); compiled below once the locales package is there.
	need_cmd localedef locales
	# Redis stream tests (issue 15): a real server, and the Python
	# package's Redis sink.
	need_cmd redis-server redis-server
	/usr/bin/python3 -c 'import redis' >/dev/null 2>&1 || missing="$missing python3-redis"
fi

# make bench drives the TUI in tmux; its side-by-side rows run Python and
# DuckDB (npm's @duckdb/node-api, installed by the bench into build/bench).
if [ "$mode" = bench ]; then
	need_cmd tmux tmux
	need_cmd python3 python3
	need_cmd node nodejs
	need_cmd npm npm
fi

# test_record_diff reads ISO timestamps under de_DE.UTF-8 (issue 10).
comma_locale() {
	[ "$mode" = test ] || return 0
	locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' && return 0
	command -v localedef >/dev/null 2>&1 || return 0
	${SUDO:-} localedef -i de_DE -f UTF-8 de_DE.UTF-8 >/dev/null 2>&1 || \
	    echo "exectop: could not compile de_DE.UTF-8 (a test will skip)" >&2
	return 0
}

if [ -z "$missing" ]; then
	comma_locale
	exit 0
fi

echo "exectop: installing missing packages:$missing" >&2
if ! command -v apt-get >/dev/null 2>&1; then
	echo "exectop: apt-get not found; install these packages by hand:$missing" >&2
	exit 1
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "exectop: not root and no sudo; install by hand:$missing" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends $missing >/dev/null 2>&1; then
	$SUDO apt-get update -qq >/dev/null 2>&1 || true
	if ! $SUDO apt-get install -y --no-install-recommends $missing; then
		echo "exectop: apt-get could not install:$missing" >&2
		exit 1
	fi
fi
comma_locale
