#!/usr/bin/env bash
# lint.sh: the project rules a compiler does not check (docs/CONVENTIONS.md).
#  1. banned functions in src/ (sprintf vsprintf strcpy strcat gets atoi atol): fail
#  2. SQL built with format strings (a printf-style call whose format holds
#     SQL and a % conversion, or any sqlite3_*printf): fail
#  3. layers (scripts/layers.txt): an include a folder may not make, and
#     any circle between files (scripts/lint_deps.pl says exactly what
#     counts): fail
#  4. the policy asked outside its one entry: a call of policy_check,
#     policy_explain or policy_administer anywhere in src/web but
#     src/web/gate_ask.c (gate_ask checks the route's declared categories
#     first; docs/policy.md): fail
#  5. a C file over 1000 lines: warning only
# Prints `lint: N passed, N failed` counting checks; exit 1 on any failure.
#
# `lint.sh --self-test` proves the layer check can fail: it copies src/ and
# the lint to a temporary tree, expects the copy to pass, then plants a bad
# include, a circle of calls and a circle of headers, one at a time, and
# expects each to fail with its message; then a policy call planted in a
# handler. Ends with `N passed, N failed`. `lint.sh --policy-only` runs the
# policy check alone (the self-test uses it).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = --self-test ]; then
	exec bash scripts/lint_selftest.sh
fi

mapfile -t files < <(find src -type f \( -name '*.c' -o -name '*.h' \) 2>/dev/null | sort)
passed=0
failed=0

# Calls of the policy in src/web outside gate_ask.c, comments and strings
# blanked; prints FILE:LINE: CODE for each.
policy_calls() {
	perl -0777 -ne '
		next if $ARGV eq "src/web/gate_ask.c";
		my $src = $_;
		my $code = $src;
		$code =~ s{(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'"'"'(?:\\.|[^'"'"'\\\n])*'"'"')}{
			my $m = $1; $m =~ s/[^\n]/ /g; $m }gse;
		my @lines = split /\n/, $src, -1;
		while ($code =~ /\b(policy_check|policy_explain|policy_administer)\s*\(/g) {
			my ($fn, $at) = ($1, $-[0]);
			my $line = 1 + (() = substr($code, 0, $at) =~ /\n/g);
			my $text = $lines[$line - 1]; $text =~ s/^\s+//;
			print "$ARGV:$line: $fn: $text\n";
		}
	' "$@"
}

policy_check_web() {
	echo "== the policy asked only through gate_ask (src/web)"
	local web=() f hits
	for f in "${files[@]}"; do
		case $f in src/web/*) web+=("$f") ;; esac
	done
	if [ ${#web[@]} -gt 0 ]; then hits=$(policy_calls "${web[@]}"); else hits=""; fi
	if [ -n "$hits" ]; then
		printf '%s\n' "$hits"
		echo "lint: ask the policy through gate_ask (web/gate.h), which checks the route's declared categories"
		return 1
	fi
	echo "ok"
}

if [ "${1:-}" = --policy-only ]; then
	policy_check_web
	exit
fi

# Comments and string literals are blanked (newlines kept, so line numbers
# hold) before looking for calls; prints FILE:LINE: CODE for each hit.
banned_calls() {
	perl -0777 -ne '
		my $src = $_;
		my $code = $src;
		$code =~ s{(/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|'"'"'(?:\\.|[^'"'"'\\\n])*'"'"')}{
			my $m = $1; $m =~ s/[^\n]/ /g; $m }gse;
		my @lines = split /\n/, $src, -1;
		while ($code =~ /\b(sprintf|vsprintf|strcpy|strcat|gets|atoi|atol)\s*\(/g) {
			my ($fn, $at) = ($1, $-[0]);
			my $line = 1 + (() = substr($code, 0, $at) =~ /\n/g);
			my $text = $lines[$line - 1]; $text =~ s/^\s+//;
			print "$ARGV:$line: $fn: $text\n";
		}
	' "$@"
}

sql_formats() {
	perl -0777 -ne '
		my $src = $_;
		my $code = $src;
		# Blank comments only: the format string is what we look at.
		$code =~ s{(/\*.*?\*/|//[^\n]*)}{ my $m = $1; $m =~ s/[^\n]/ /g; $m }gse;
		my $kw = qr/\b(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE|DROP|ALTER|WHERE|VALUES|ORDER\s+BY|PRAGMA)\b/;
		while ($code =~ /\b(sqlite3_v?mprintf|sqlite3_v?snprintf|\w*printf|str_fmt\w*|buf_printf\w*)\s*\(([^;]*)/g) {
			my ($fn, $args) = ($1, $2);
			my $at = $-[0];
			my $lits = join "", ($args =~ /"((?:\\.|[^"\\])*)"/g);
			next unless $fn =~ /^sqlite3_/ ? 1 : ($lits =~ $kw && $lits =~ /%/);
			next if $fn =~ /^sqlite3_/ && $lits !~ $kw;
			my $line = 1 + (() = substr($code, 0, $at) =~ /\n/g);
			print "$ARGV:$line: $fn builds SQL from a format string\n";
		}
	' "$@"
}

echo "== banned functions"
if [ ${#files[@]} -gt 0 ]; then hits=$(banned_calls "${files[@]}"); else hits=""; fi
if [ -n "$hits" ]; then
	printf '%s\n' "$hits"
	echo "lint: banned functions used; use buf_printf, str_fmt, str_copy, str_to_long"
	failed=$((failed + 1))
else
	echo "ok"
	passed=$((passed + 1))
fi

echo "== SQL from format strings"
if [ ${#files[@]} -gt 0 ]; then hits=$(sql_formats "${files[@]}"); else hits=""; fi
if [ -n "$hits" ]; then
	printf '%s\n' "$hits"
	echo "lint: SQL must use \$1-style parameters, never formatted strings"
	failed=$((failed + 1))
else
	echo "ok"
	passed=$((passed + 1))
fi

if perl scripts/lint_deps.pl scripts/layers.txt "${files[@]}"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

if policy_check_web; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi

echo "== file length (warning only)"
long=0
for f in "${files[@]}" $(find tests/unit fuzz -name '*.[ch]' 2>/dev/null | sort); do
	n=$(wc -l < "$f")
	if [ "$n" -gt 1000 ]; then
		echo "warning: $f has $n lines (keep files under about 1000)"
		long=$((long + 1))
	fi
done
[ "$long" -eq 0 ] && echo "ok"
passed=$((passed + 1))

echo "lint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
