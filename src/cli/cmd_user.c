/* cmd_user.c: `ibbis user ...` and `ibbis org add ...`.
 *
 *   ibbis user add --role ROLE [--org ORG] [--name "Full Name"] [--lang en|da]
 *                  [--db PATH] USERNAME        (password: first line of stdin)
 *   ibbis user list [--role ROLE]
 *   ibbis user disable|enable USERNAME
 *   ibbis user role USERNAME ROLE
 *   ibbis org add --kind health|jobcentre [--db PATH] NAME
 *
 * Exit 0 ok, 1 failure (a duplicate, a missing organisation), 2 usage or
 * bad input. What a command did goes to stderr in one line; `user list`
 * prints its table on stdout. `add` migrates a new database first; the
 * others refuse a database that does not exist. */
#include "cli/cli.h"
#include "cli/cli_db.h"

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "audit/audit.h"
#include "domain/accounts/account.h"
#include "domain/trust/seal.h"
#include "store/store.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct opts {
	const char *role, *org, *name, *lang, *kind;
	const char *positional; /* the one non-flag argument */
};

/* Which flags a command accepts, by name. */
static const char **flag_slot(struct opts *o, const char *name, const char *allowed)
{
	if (!strstr(allowed, name))
		return NULL;
	if (strcmp(name, "role") == 0)
		return &o->role;
	if (strcmp(name, "org") == 0)
		return &o->org;
	if (strcmp(name, "name") == 0)
		return &o->name;
	if (strcmp(name, "lang") == 0)
		return &o->lang;
	if (strcmp(name, "kind") == 0)
		return &o->kind;
	return NULL;
}

/* argv[0] is the sub-command ("add"). "--x v" and "--x=v" both work. */
static int parse(int argc, char **argv, const char *allowed, struct opts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!str_starts_with(a, "--")) {
			if (o->positional) {
				fprintf(stderr, "ibbis: unexpected argument '%s'\n", a);
				return ERR_INVALID;
			}
			o->positional = a;
			continue;
		}
		char name[16];
		const char *eq = strchr(a, '=');
		size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		const char **slot = NULL;
		if (n > 0 && n < sizeof name) {
			memcpy(name, a + 2, n);
			name[n] = '\0';
			slot = flag_slot(o, name, allowed);
		}
		if (!slot) {
			fprintf(stderr, "ibbis: unknown flag '%s'\n", a);
			return ERR_INVALID;
		}
		if (!eq && i + 1 >= argc) {
			fprintf(stderr, "ibbis: %s needs a value\n", a);
			return ERR_INVALID;
		}
		*slot = eq ? eq + 1 : argv[++i];
	}
	return 0;
}

/* The first line of stdin without its line ending, into pw. */
/* The key the audit chain needs, loaded (or made, for a new database, as
 * migrate does) before anything changes, so a change is never left
 * unaudited. 0 or an error (said on stderr). */
static int audit_ready(struct store *s, const char *url, const char *cmd)
{
	int rc = seal_setup(s, url, cli_db_key_file(), true);
	if (rc)
		fprintf(stderr, "ibbis %s: the audit key cannot be loaded (%s); nothing changed\n", cmd,
			err_code(rc));
	return rc;
}

/* An administrator's action from the command line, in the audit log as the
 * web's are (category "admin"; /admin/log shows it). */
static int audit_admin(struct store_conn *c, const char *cmd, const char *item,
		       const char *action, const char *detail)
{
	struct audit_entry e = {.at = (int64_t)time(NULL),
				.actor_role = "system",
				.actor_name = "",
				.item = item,
				.category = "admin",
				.action = action,
				.purpose = detail};
	int rc = audit_record(c, &e);
	if (rc)
		fprintf(stderr, "ibbis %s: changed, but the audit entry failed (%s)\n", cmd,
			err_code(rc));
	return rc;
}

static int read_password(char *pw, size_t size)
{
	if (!fgets(pw, (int)size, stdin)) {
		fputs("ibbis user add: give the password on stdin\n", stderr);
		return ERR_INVALID;
	}
	size_t n = strlen(pw);
	if (n > 0 && pw[n - 1] == '\n')
		pw[--n] = '\0';
	else if (!feof(stdin)) {
		fprintf(stderr, "ibbis user add: the password is over %d bytes\n",
			ACCOUNT_PASSWORD_MAX);
		return ERR_INVALID;
	}
	if (n > 0 && pw[n - 1] == '\r')
		pw[--n] = '\0';
	if (n == 0) {
		fputs("ibbis user add: the password is empty\n", stderr);
		return ERR_INVALID;
	}
	if (account_password_check(pw) != 0) {
		fprintf(stderr,
			"ibbis user add: the password must be %d to %d characters of UTF-8\n",
			ACCOUNT_PASSWORD_MIN, ACCOUNT_PASSWORD_MAX);
		return ERR_INVALID;
	}
	return 0;
}

static int user_add_check(const struct opts *o, enum account_role *role)
{
	if (!o->positional || !o->role) {
		fputs("usage: ibbis user add --role ROLE [--org ORG] [--name NAME] [--lang en|da]"
		      " [--db PATH] USERNAME < password\n",
		      stderr);
		return ERR_INVALID;
	}
	if (account_role_parse(o->role, role) != 0) {
		fprintf(stderr,
			"ibbis user add: unknown role '%s' (service_user, care_manager, "
			"employment_consultant, supervisor, researcher, admin)\n",
			o->role);
		return ERR_INVALID;
	}
	if (account_username_check(o->positional) != 0) {
		fprintf(stderr,
			"ibbis user add: a username is 1 to %d of A-Z a-z 0-9 . _ @ -\n",
			ACCOUNT_USERNAME_MAX);
		return ERR_INVALID;
	}
	if ((!o->org || !o->org[0]) && *role != ROLE_ADMIN && *role != ROLE_RESEARCHER) {
		fprintf(stderr, "ibbis user add: --org is required for the role %s\n", o->role);
		return ERR_INVALID;
	}
	if (o->lang && !str_eq(o->lang, "en") && !str_eq(o->lang, "da")) {
		fputs("ibbis user add: --lang is en or da\n", stderr);
		return ERR_INVALID;
	}
	return 0;
}

static int user_add_report(int rc, const struct opts *o)
{
	switch (rc) {
	case 0:
		fprintf(stderr, "ibbis: user '%s' added\n", o->positional);
		return CLI_OK;
	case ERR_CONFLICT:
		fprintf(stderr, "ibbis user add: the username '%s' is taken\n", o->positional);
		return CLI_FAIL;
	case ERR_NOT_FOUND:
		fprintf(stderr, "ibbis user add: no organisation named '%s' (ibbis org add)\n",
			o->org);
		return CLI_FAIL;
	case ERR_INVALID:
		fputs("ibbis user add: invalid name or other field\n", stderr);
		return CLI_USAGE;
	default:
		fprintf(stderr, "ibbis user add: failed (%s)\n", err_code(rc));
		return CLI_FAIL;
	}
}

static int user_add(int argc, char **argv, const char *url)
{
	struct opts o;
	enum account_role role;
	if (parse(argc, argv, "role org name lang", &o) != 0 || user_add_check(&o, &role) != 0)
		return CLI_USAGE;
	char pw[ACCOUNT_PASSWORD_MAX + 2];
	if (read_password(pw, sizeof pw) != 0) {
		sodium_memzero(pw, sizeof pw);
		return CLI_USAGE;
	}
	struct store *s;
	struct store_conn *c;
	if (account_init() != 0 || cli_db_open(url, CLI_DB_MIGRATE_NEW, &s) != 0) {
		sodium_memzero(pw, sizeof pw);
		return CLI_FAIL;
	}
	struct account_new in = {.username = o.positional, .name = o.name, .role = role,
				 .org_name = o.org, .language = o.lang, .password = pw,
				 .cost = ACCOUNT_HASH_INTERACTIVE};
	int64_t id;
	if (audit_ready(s, url, "user add")) { /* it said why */
		sodium_memzero(pw, sizeof pw);
		store_close(s);
		return CLI_FAIL;
	}
	int rc = store_conn_get(s, &c);
	if (rc == 0)
		rc = account_create(c, &in, (int64_t)time(NULL), &id);
	sodium_memzero(pw, sizeof pw);
	char item[40], detail[300];
	if (rc == 0) {
		str_fmt(item, sizeof item, "account:%lld", (long long)id);
		str_fmt(detail, sizeof detail, "%s (%s)", o.positional, account_role_name(role));
		if (audit_admin(c, "user add", item, "account_created", detail))
			rc = ERR_INTERNAL;
	}
	store_close(s);
	return user_add_report(rc, &o);
}

static int role_parse_or_say(const char *cmd, const char *text, enum account_role *role)
{
	if (account_role_parse(text, role) == 0)
		return 0;
	fprintf(stderr,
		"ibbis user %s: unknown role '%s' (service_user, care_manager, "
		"employment_consultant, supervisor, researcher, admin)\n",
		cmd, text);
	return ERR_INVALID;
}

static int user_list(int argc, char **argv, struct store_conn *c)
{
	struct opts o;
	enum account_role role;
	if (parse(argc, argv, "role", &o) != 0 || o.positional) {
		fputs("usage: ibbis user list [--role ROLE]\n", stderr);
		return CLI_USAGE;
	}
	if (o.role && role_parse_or_say("list", o.role, &role) != 0)
		return CLI_USAGE;
	struct arena a;
	arena_init(&a);
	struct account_row *rows;
	size_t n;
	int rc = account_list(c, &a, o.role ? &role : NULL, &rows, &n);
	if (rc == 0) {
		printf("%-6s %-24s %-22s %-24s %-8s %s\n", "id", "username", "role",
		       "organisation", "state", "sessions");
		for (size_t i = 0; i < n; i++)
			printf("%-6lld %-24s %-22s %-24s %-8s %lld\n", (long long)rows[i].id,
			       rows[i].username,
			       rows[i].role < ROLE_COUNT ? account_role_name(rows[i].role) : "?",
			       rows[i].org_name ? rows[i].org_name : "-",
			       rows[i].disabled ? "disabled" : "active",
			       (long long)rows[i].sessions);
		fprintf(stderr, "%zu %s\n", n, n == 1 ? "account" : "accounts");
	} else {
		fprintf(stderr, "ibbis user list: failed (%s)\n", err_code(rc));
	}
	arena_release(&a);
	return rc ? CLI_FAIL : CLI_OK;
}

/* The account named USERNAME, or one line saying there is none. */
static int user_find(struct store_conn *c, const char *cmd, const char *username, int64_t *id)
{
	struct arena a;
	struct actor who;
	arena_init(&a);
	int rc = account_get_by_username(c, username, &a, &who);
	arena_release(&a);
	if (rc == ERR_NOT_FOUND)
		fprintf(stderr, "ibbis user %s: no account named '%s' (see: ibbis user list)\n", cmd,
			username);
	else if (rc)
		fprintf(stderr, "ibbis user %s: failed (%s)\n", cmd, err_code(rc));
	*id = who.id;
	return rc;
}

static const char *sessions_text(int64_t n)
{
	return n == 1 ? "session" : "sessions";
}

static int user_enable(const char *cmd, char **argv, struct store_conn *c, bool disable)
{
	int64_t id, ended = 0;
	int rc = user_find(c, cmd, argv[1], &id);
	if (rc)
		return rc == ERR_NOT_FOUND ? CLI_USAGE : CLI_FAIL;
	rc = account_set_disabled(c, id, disable, &ended);
	if (rc) {
		fprintf(stderr, "ibbis user %s: failed (%s)\n", cmd, err_code(rc));
		return CLI_FAIL;
	}
	char item[40];
	str_fmt(item, sizeof item, "account:%lld", (long long)id);
	if (audit_admin(c, disable ? "user disable" : "user enable", item,
			disable ? "account_disabled" : "account_enabled", argv[1]))
		return CLI_FAIL;
	if (disable)
		fprintf(stderr, "ibbis: user '%s' disabled; %lld %s ended\n", argv[1],
			(long long)ended, sessions_text(ended));
	else
		fprintf(stderr, "ibbis: user '%s' enabled\n", argv[1]);
	return CLI_OK;
}

static int user_role(char **argv, struct store_conn *c)
{
	enum account_role role;
	int64_t id, ended = 0;
	if (role_parse_or_say("role", argv[2], &role) != 0)
		return CLI_USAGE;
	int rc = user_find(c, "role", argv[1], &id);
	if (rc)
		return rc == ERR_NOT_FOUND ? CLI_USAGE : CLI_FAIL;
	rc = account_set_role(c, id, role, &ended);
	if (rc == ERR_INVALID) {
		fprintf(stderr,
			"ibbis user role: '%s' cannot become %s: a service user's account belongs "
			"to their case and never changes role, and every role but admin and "
			"researcher needs an organisation\n",
			argv[1], argv[2]);
		return CLI_USAGE;
	}
	if (rc) {
		fprintf(stderr, "ibbis user role: failed (%s)\n", err_code(rc));
		return CLI_FAIL;
	}
	char item[40], detail[300];
	str_fmt(item, sizeof item, "account:%lld", (long long)id);
	str_fmt(detail, sizeof detail, "%s (→ %s)", argv[1], argv[2]);
	if (audit_admin(c, "user role", item, "role_changed", detail))
		return CLI_FAIL;
	fprintf(stderr, "ibbis: user '%s' is now %s; %lld %s ended\n", argv[1], argv[2],
		(long long)ended, sessions_text(ended));
	return CLI_OK;
}

/* list, disable, enable and role: an existing database, no migration. */
static int user_manage(int argc, char **argv, const char *url)
{
	const char *cmd = argv[0];
	bool list = strcmp(cmd, "list") == 0, role = strcmp(cmd, "role") == 0;
	int want = role ? 3 : 2;
	if (!list && (argc != want || str_starts_with(argv[1], "--") ||
		      (role && str_starts_with(argv[2], "--")))) {
		fprintf(stderr, "usage: ibbis user %s USERNAME%s\n", cmd, role ? " ROLE" : "");
		return CLI_USAGE;
	}
	struct store *s;
	struct store_conn *c;
	int rc = cli_db_open(url, CLI_DB_EXISTING, &s);
	if (rc)
		return cli_db_exit(rc);
	if (!list && audit_ready(s, url, "user")) {
		store_close(s);
		return CLI_FAIL;
	}
	rc = store_conn_get(s, &c);
	int out;
	if (rc)
		out = CLI_FAIL;
	else if (list)
		out = user_list(argc, argv, c);
	else if (role)
		out = user_role(argv, c);
	else
		out = user_enable(cmd, argv, c, strcmp(cmd, "disable") == 0);
	store_close(s);
	return out;
}

int cmd_user(int argc, char **argv)
{
	const char *url;
	if (cli_db_flag(&argc, argv, &url) != 0)
		return CLI_USAGE;
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return user_add(argc - 1, argv + 1, url);
	static const char *const manage[] = {"list", "disable", "enable", "role"};
	for (size_t i = 0; argc >= 2 && i < sizeof manage / sizeof manage[0]; i++)
		if (strcmp(argv[1], manage[i]) == 0)
			return user_manage(argc - 1, argv + 1, url);
	if (argc >= 2)
		fprintf(stderr, "ibbis user: unknown sub-command '%s'\n", argv[1]);
	fputs("usage: ibbis user add|list|disable|enable|role ... (see: ibbis user --help)\n",
	      stderr);
	return CLI_USAGE;
}

static int org_add(int argc, char **argv, const char *url)
{
	struct opts o;
	if (parse(argc, argv, "kind", &o) != 0 || !o.positional || !o.kind) {
		fputs("usage: ibbis org add --kind health|jobcentre [--db PATH] NAME\n", stderr);
		return CLI_USAGE;
	}
	if (!str_eq(o.kind, "health") && !str_eq(o.kind, "jobcentre")) {
		fputs("ibbis org add: --kind is health or jobcentre\n", stderr);
		return CLI_USAGE;
	}
	struct store *s;
	struct store_conn *c;
	if (cli_db_open(url, CLI_DB_MIGRATE_NEW, &s) != 0)
		return CLI_FAIL;
	int64_t id;
	if (audit_ready(s, url, "org add")) { /* it said why */
		store_close(s);
		return CLI_FAIL;
	}
	int rc = store_conn_get(s, &c);
	if (rc == 0)
		rc = account_org_create(c, o.positional, o.kind, &id);
	if (rc == 0) {
		char item[40], detail[300];
		str_fmt(item, sizeof item, "organisation:%lld", (long long)id);
		str_fmt(detail, sizeof detail, "%s (%s)", o.positional, o.kind);
		if (audit_admin(c, "org add", item, "organisation_created", detail))
			rc = ERR_INTERNAL;
	}
	store_close(s);
	if (rc == 0) {
		fprintf(stderr, "ibbis: organisation '%s' added\n", o.positional);
		return CLI_OK;
	}
	if (rc == ERR_CONFLICT)
		fprintf(stderr, "ibbis org add: '%s' exists already\n", o.positional);
	else if (rc == ERR_INVALID)
		fprintf(stderr, "ibbis org add: a name is 1 to %d bytes of UTF-8\n",
			ACCOUNT_NAME_MAX);
	else
		fprintf(stderr, "ibbis org add: failed (%s)\n", err_code(rc));
	return rc == ERR_INVALID ? CLI_USAGE : CLI_FAIL;
}

int cmd_org(int argc, char **argv)
{
	const char *url;
	if (cli_db_flag(&argc, argv, &url) != 0)
		return CLI_USAGE;
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		return org_add(argc - 1, argv + 1, url);
	fputs("usage: ibbis org add --kind health|jobcentre [--db PATH] NAME\n", stderr);
	return CLI_USAGE;
}
