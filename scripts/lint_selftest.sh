#!/usr/bin/env bash
# lint_selftest.sh: proves that scripts/lint.sh's layer check can fail
# (run as `scripts/lint.sh --self-test`). Each case copies src/ and the lint
# into a fresh temporary tree, plants one fault, runs the lint there and
# expects it to fail with the fault's message; the untouched copy must pass.
# Ends with `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."

root=$(mktemp -d /tmp/ibbis-lint-XXXXXX)
trap 'rm -rf "$root"' EXIT
passed=0
failed=0

fresh() {
	rm -rf "$root/t"
	mkdir -p "$root/t/scripts"
	cp -r src "$root/t/src"
	cp scripts/lint.sh scripts/lint_deps.pl scripts/layers.txt "$root/t/scripts/"
}

# expect NAME pass|fail [PATTERN]: runs the lint's layer check in the copy
# exactly as lint.sh does (the other checks are not the subject here).
expect() {
	local name=$1 want=$2 pattern=${3:-} out rc
	out=$(cd "$root/t" && perl scripts/lint_deps.pl scripts/layers.txt \
		$(find src -type f \( -name '*.c' -o -name '*.h' \) | sort) 2>&1)
	rc=$?
	if [ "$want" = pass ] && [ "$rc" -eq 0 ]; then
		echo "ok: $name"
		passed=$((passed + 1))
	elif [ "$want" = fail ] && [ "$rc" -ne 0 ] && grep -qF -- "$pattern" <<<"$out"; then
		echo "ok: $name"
		passed=$((passed + 1))
	else
		echo "FAILED: $name (exit $rc, wanted $want${pattern:+ with '$pattern'})"
		printf '%s\n' "$out" | tail -15
		failed=$((failed + 1))
	fi
}

fresh
expect "the tree as it is passes" pass

fresh
printf '#include "web/web.h"\n' >>"$root/t/src/store/store.c"
expect "store including web fails" fail "src/store/store.c:"
expect "... and names the layers" fail "store may not include web (web/web.h)"

fresh
printf '#include "view/i18n.h"\n' >>"$root/t/src/domain/cases/case.c"
expect "domain including view fails" fail "domain may not include view"

fresh
mkdir -p "$root/t/src/insight"
printf '#include "base/err.h"\n' >"$root/t/src/insight/x.c"
expect "a folder not in layers.txt fails" fail "src/insight is not in"

# Two files that call each other through a module's shared header (no
# include between them: the circle is in the calls).
fresh
d=$root/t/src/domain/plans
printf 'int lint_a(int n);\nint lint_b(int n);\n' >"$d/lint_ab_int.h"
printf '#include "domain/plans/lint_ab_int.h"\n\nint lint_a(int n)\n{\n\treturn n ? lint_b(n - 1) : 0;\n}\n' >"$d/lint_a.c"
printf '#include "domain/plans/lint_ab_int.h"\n\nint lint_b(int n)\n{\n\treturn n ? lint_a(n - 1) : 1;\n}\n' >"$d/lint_b.c"
expect "a circle of calls fails" fail "circle of 2 files: domain/plans/lint_a domain/plans/lint_b"
expect "... and says which call" fail "src/domain/plans/lint_b.c uses lint_a"

# The same calls one way only pass.
printf '#include "domain/plans/lint_ab_int.h"\n\nint lint_b(int n)\n{\n\treturn n + 1;\n}\n' >"$d/lint_b.c"
expect "calls one way pass" pass

# A circle of three files through a variable.
fresh
d=$root/t/src/base
printf 'extern int lint_x;\nextern int lint_y;\nint lint_z(void);\n' >"$d/lint_int.h"
printf '#include "base/lint_int.h"\nint lint_x = 1;\nint lint_get(void);\nint lint_get(void)\n{\n\treturn lint_y;\n}\n' >"$d/lint_x.c"
printf '#include "base/lint_int.h"\nint lint_y = 2;\nint lint_w(void);\nint lint_w(void)\n{\n\treturn lint_z();\n}\n' >"$d/lint_y.c"
printf '#include "base/lint_int.h"\nint lint_z(void)\n{\n\treturn lint_x;\n}\n' >"$d/lint_z.c"
expect "a circle of three through variables fails" fail "circle of 3 files: base/lint_x base/lint_y base/lint_z"

# Headers that include each other.
fresh
d=$root/t/src/base
printf '#include "base/lint_q.h"\n' >"$d/lint_p.h"
printf '#include "base/lint_p.h"\n' >"$d/lint_q.h"
expect "headers including each other fail" fail "circle of 2 files: base/lint_p base/lint_q"

# A static function of the same name is no dependency.
fresh
d=$root/t/src/base
printf 'int lint_s(void);\nint lint_s(void)\n{\n\treturn 1;\n}\n' >"$d/lint_s.c"
printf 'static int lint_s(void)\n{\n\treturn web_x();\n}\nint web_x(void)\n{\n\treturn lint_s();\n}\n' >"$d/lint_t.c"
printf 'int lint_u(void);\nint lint_u(void)\n{\n\treturn web_x() + lint_s();\n}\n' >"$d/lint_u.c"
expect "static names are not dependencies" pass

# A known circle may be left out only while it exists.
fresh
printf 'pending: base/str -> web/web\n' >>"$root/t/scripts/layers.txt"
expect "a stale pending entry fails" fail "stale pending: base/str -> web/web"

# The policy asked outside gate_ask (lint.sh --policy-only).
expect_policy() {
	local name=$1 want=$2 pattern=${3:-} out rc
	out=$(cd "$root/t" && bash scripts/lint.sh --policy-only 2>&1)
	rc=$?
	if [ "$want" = pass ] && [ "$rc" -eq 0 ]; then
		echo "ok: $name"
		passed=$((passed + 1))
	elif [ "$want" = fail ] && [ "$rc" -ne 0 ] && grep -qF -- "$pattern" <<<"$out"; then
		echo "ok: $name"
		passed=$((passed + 1))
	else
		echo "FAILED: $name (exit $rc, wanted $want${pattern:+ with '$pattern'})"
		printf '%s\n' "$out" | tail -15
		failed=$((failed + 1))
	fi
}

fresh
expect_policy "the tree as it is asks the policy only through gate_ask" pass

fresh
printf 'static int lint_p(const struct policy_actor *a, const struct policy_item *i)\n{\n\treturn policy_check(a, POLICY_READ, i);\n}\n' >>"$root/t/src/web/teams/h_teams.c"
expect_policy "a handler calling policy_check fails" fail "src/web/teams/h_teams.c:"
expect_policy "... and says how to ask" fail "ask the policy through gate_ask"

fresh
printf '/* policy_explain(a, b, c) in a comment */\nstatic const char *lint_q = "policy_administer(x)";\n' >>"$root/t/src/web/teams/h_teams.c"
expect_policy "a comment or a string naming it passes" pass

fresh
printf 'int lint_r(void);\nint lint_r(void)\n{\n\treturn policy_administer(POLICY_ADMIN);\n}\n' >>"$root/t/src/domain/teams/team.c"
expect_policy "below the web layer it is not this check's business" pass

echo "lint self-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
