#!/usr/bin/env bash
# deps.sh: install what IBBIS needs on Debian 12. Idempotent and fast when
# everything is there: dpkg is asked first, apt only when something is missing,
# and `npm ci` only when node_modules is older than package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
	gcc make pkg-config
	libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
	libcmocka-dev zlib1g-dev
	clang                # fuzzing (make fuzz)
	chromium             # browser tests
	nginx-light wrk      # benchmark, later multi-node tests
	postgresql           # the PostgreSQL backend and its test cluster
	sqlite3              # CLI
	sqlmap curl          # the injection scan (scripts/sqlmap.sh)
	git
)

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

# npm packages: playwright-core, axe-core, dkfds. The stamp records the last
# successful `npm ci`; a newer package-lock.json means install again.
stamp=node_modules/.ibbis-npm-stamp
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
	echo "deps.sh: npm ci"
	# playwright-core downloads no browser; Debian's chromium is used.
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch "$stamp"
fi

for f in node_modules/dkfds/dist/css/dkfds.min.css node_modules/axe-core/axe.min.js \
	node_modules/playwright-core/package.json; do
	if [ ! -f "$f" ]; then
		echo "deps.sh: $f is missing after npm ci" >&2
		exit 1
	fi
done
