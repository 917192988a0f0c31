#!/usr/bin/env bash
# demo.sh: a demo database (ibbis-demo.db) and the server on
# http://127.0.0.1:8080. `make demo` installs and builds first.
# The admin password below is a documented demo password, for this local
# demo only.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${IBBIS_BIN:-build/ibbis}
DB=${DEMO_DB:-ibbis-demo.db}
LISTEN=${DEMO_LISTEN:-127.0.0.1:8080}
ACCOUNTS=${DEMO_ACCOUNTS:-ibbis-demo-accounts.json}
ADMIN_USER=admin
ADMIN_PASSWORD=demo-admin-2026

if [ ! -x "$BIN" ]; then
	echo "demo: $BIN is missing; run make first" >&2
	exit 1
fi

if [ ! -f "$DB" ]; then
	echo "demo: creating $DB"
	# A half-made demo database would be reused next time: remove it on failure.
	trap 'echo "demo: setup failed; removing $DB" >&2; rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.key" "$ACCOUNTS"' ERR
	"$BIN" migrate --db "$DB"
	"$BIN" org add --kind health --db "$DB" "Region Hovedstaden Psykiatri"
	"$BIN" org add --kind jobcentre --db "$DB" "Jobcenter København"
	printf '%s\n' "$ADMIN_PASSWORD" | "$BIN" user add --role admin \
		--org "Region Hovedstaden Psykiatri" --name "Demo Administrator" \
		--db "$DB" "$ADMIN_USER"
	# Invented cases and accounts, once the command exists.
	if "$BIN" help 2>&1 | grep -qE '^[[:space:]]*demo-data\b'; then
		"$BIN" demo-data --db "$DB" --cases 60 --accounts "$ACCOUNTS"
	else
		echo "demo: (this build has no demo-data command yet: only the admin account)"
	fi
	trap - ERR
else
	echo "demo: using the existing $DB (delete it to start over)"
fi

url="http://$LISTEN"
echo
echo "================================================================"
echo " IBBIS demo:  $url"
echo
echo " administrator:  $ADMIN_USER  /  $ADMIN_PASSWORD   (demo password)"
if [ -f "$ACCOUNTS" ]; then
	echo
	echo " a few other demo logins (all in $ACCOUNTS):"
	node -e '
		const a = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
		const list = Array.isArray(a) ? a : (a.accounts || Object.values(a));
		const seen = new Set();
		const pick = [];
		for (const x of list) {
			if (!x || typeof x !== "object") continue;
			if (!seen.has(x.role) || pick.length < 3) { seen.add(x.role); pick.push(x); }
			if (pick.length >= 6) break;
		}
		for (const x of pick) {
			const role = (x.role || "").padEnd(22);
			console.log(`   ${role} ${x.username}  /  ${x.password}`);
		}
	' "$ACCOUNTS" || echo "   (could not read $ACCOUNTS)"
fi
echo "================================================================"
echo
exec "$BIN" serve --db "$DB" --listen "$LISTEN"
