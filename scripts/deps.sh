#!/usr/bin/env bash
# deps.sh [run|all]: install what IBBIS needs on Debian 12. Idempotent and
# fast when everything is there: dpkg is asked first, apt only when
# something is missing, and `npm ci` only when node_modules is older than
# package-lock.json.
#   run  what building and running need (`make demo`): the compiler, the
#        libraries, node for DKFDS
#   all  (the default; `make check`) the test tools too: cmocka, clang,
#        chromium, nginx, PostgreSQL, sqlmap, wrk, systemd-analyze, ...
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-all}
case "$mode" in
run | all) ;;
*)
	echo "usage: scripts/deps.sh [run|all]" >&2
	exit 2
	;;
esac

# Building and running.
packages=(
	gcc make pkg-config
	libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
	zlib1g-dev
	libcurl4-openssl-dev # mail over SMTP (the outbox sender)
	libzip-dev libxml2-dev  # research: the export zip, REFI-QDA XML
	git
)

# The test suites, fuzzing and the benchmark.
test_packages=(
	libcmocka-dev
	libxml2-utils unzip zip  # research tests: xmllint --schema, unpacking and packing projects
	clang                # fuzzing (make fuzz)
	chromium             # browser tests
	nginx-light wrk      # benchmark, multi-node and TLS tests
	postgresql           # the PostgreSQL backend and its test cluster
	sqlite3              # CLI
	sqlmap curl          # the injection scan (scripts/sqlmap.sh)
	openssl              # the TLS test's certificate
	systemd              # systemd-analyze verify on the units (tests/ops)
)
if [ "$mode" = all ]; then
	packages+=("${test_packages[@]}")
fi

# A node >= 18 with npm already on PATH (outside dpkg, say) is used as it is.
node_ok() {
	command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || return 1
	local major
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null) || return 1
	[ "${major:-0}" -ge 18 ]
}
if ! node_ok; then
	packages+=(nodejs npm)
fi

installed() {
	dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

missing=()
for p in "${packages[@]}"; do
	installed "$p" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps.sh: missing Debian packages: ${missing[*]}" >&2
		echo "deps.sh: run as root, or: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
		exit 1
	fi
	echo "deps.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if ! node_ok; then
	echo "deps.sh: no node >= 18 with npm on PATH after installing nodejs and npm" >&2
	exit 1
fi

# npm packages: dkfds (running), playwright-core, axe-core and the test
# servers (devDependencies, for `all`). A stamp per mode records the last
# successful `npm ci`; a newer package-lock.json means install again.
fresh() {
	[ -d node_modules ] && [ -f "$1" ] && [ ! package-lock.json -nt "$1" ]
}
stamp_all=node_modules/.ibbis-npm-stamp
stamp_run=node_modules/.ibbis-npm-stamp-run
if fresh "$stamp_all" || { [ "$mode" = run ] && fresh "$stamp_run"; }; then
	:
elif [ "$mode" = run ]; then
	echo "deps.sh: npm ci --omit=dev"
	npm ci --omit=dev --no-audit --no-fund
	touch "$stamp_run"
else
	echo "deps.sh: npm ci"
	# playwright-core downloads no browser; Debian's chromium is used.
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch "$stamp_all"
fi

need=(node_modules/dkfds/dist/css/dkfds.min.css)
if [ "$mode" = all ]; then
	need+=(node_modules/axe-core/axe.min.js node_modules/playwright-core/package.json)
fi
for f in "${need[@]}"; do
	if [ ! -f "$f" ]; then
		echo "deps.sh: $f is missing after npm ci" >&2
		exit 1
	fi
done
