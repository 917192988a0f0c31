/* cmd_mail.c: `ibbis mail send`: one pass of the sender (for cron), and the
 * mail flags' loading shared with serve. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/date.h"
#include "base/err.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/mail_opts.h"
#include "domain/messages/outbox.h"
#include "domain/messages/smtp.h"
#include "store/store.h"
#include "view/i18n.h"
#include "web/messages/mail.h"

int mail_opts_load(const struct config_val *v, int base, const char *listen, struct mail_cfg *cfg,
		   char *user, size_t usersz, char *password, size_t passwordsz, char *public_url,
		   size_t public_urlsz)
{
	memset(cfg, 0, sizeof *cfg);
	const char *url = v[base + MAIL_OPT_URL].str, *from = v[base + MAIL_OPT_FROM].str;
	const char *cred = v[base + MAIL_OPT_CRED].str, *pub = v[base + MAIL_OPT_PUBLIC].str;
	if (url && *url) {
		if (!smtp_url_ok(url)) {
			fputs("ibbis: --smtp-url: give smtp://host:port or smtps://host:port\n", stderr);
			return ERR_INVALID;
		}
		if (!outbox_email_ok(from)) {
			fputs("ibbis: --smtp-from: give the sender's e-mail address\n", stderr);
			return ERR_INVALID;
		}
		cfg->smtp_url = url;
		cfg->from = from;
	}
	if (cred && *cred) {
		if (smtp_read_credentials(cred, user, usersz, password, passwordsz)) {
			fprintf(stderr, "ibbis: --smtp-credentials: cannot read a user name and a "
					"password (one a line) from %s\n",
				cred);
			return ERR_INVALID;
		}
		cfg->user = user;
		cfg->password = password;
	}
	if (pub && *pub) {
		if (!str_starts_with(pub, "http://") && !str_starts_with(pub, "https://")) {
			fputs("ibbis: --public-url: give http://... or https://...\n", stderr);
			return ERR_INVALID;
		}
		str_copy(public_url, public_urlsz, pub);
	} else {
		str_fmt(public_url, public_urlsz, "http://%s", listen ? listen : "127.0.0.1:8080");
	}
	size_t n = strlen(public_url);
	while (n && public_url[n - 1] == '/')
		public_url[--n] = 0;
	cfg->public_url = public_url;
	cfg->retry_base = v[base + MAIL_OPT_RETRY].num;
	cfg->interval_s = (int)v[base + MAIL_OPT_INTERVAL].num;
	return 0;
}

/* "YYYY-MM-DDTHH:MM", Danish local time, to unix seconds. */
static int parse_at(const char *s, int64_t *out)
{
	char d[DATE_STR_LEN];
	day_t day;
	long h, m;
	if (strlen(s) != 16 || s[10] != 'T' || s[13] != ':' || str_copy(d, sizeof d, "") ||
	    (memcpy(d, s, 10), d[10] = 0, date_parse(d, &day)) ||
	    str_to_long_n(s + 11, 2, 0, 23, &h) || str_to_long_n(s + 14, 2, 0, 59, &m))
		return ERR_INVALID;
	*out = clock_dk_to_utc(day, (int)(h * 60 + m));
	return 0;
}

enum { OPT_DB, OPT_AT, OPT_HELP, OPT_MAIL, OPT_N = OPT_MAIL + MAIL_OPT_N };

static const struct config_opt mail_opts[OPT_N] = {
    [OPT_DB] = {"db", "IBBIS_DB", CONFIG_STR, "./ibbis.db", 0, 0,
		"SQLite file, or a postgres:// URL"},
    [OPT_AT] = {"at", NULL, CONFIG_STR, "", 0, 0,
		"queue reminders, digests and hearings as of this Danish local time, "
		"YYYY-MM-DDTHH:MM (default: now)"},
    [OPT_HELP] = {"help", NULL, CONFIG_BOOL, NULL, 0, 1, "show this help"},
    MAIL_OPT_ROWS(OPT_MAIL),
};

int cmd_mail(int argc, char **argv)
{
	struct config_val v[OPT_N];
	char **rest;
	int nrest;
	if (argc < 2 || strcmp(argv[1], "send")) {
		config_usage(stderr, "mail send", "[flags]", mail_opts, OPT_N);
		return CLI_USAGE;
	}
	if (config_parse(mail_opts, OPT_N, v, argc - 1, argv + 1, &rest, &nrest) || nrest) {
		config_usage(stderr, "mail send", "[flags]", mail_opts, OPT_N);
		return CLI_USAGE;
	}
	if (v[OPT_HELP].num) {
		config_usage(stdout, "mail send", "[flags]", mail_opts, OPT_N);
		return CLI_OK;
	}
	struct mail_cfg cfg;
	char user[256], password[256], pub[512];
	if (mail_opts_load(v, OPT_MAIL, NULL, &cfg, user, sizeof user, password, sizeof password,
			   pub, sizeof pub))
		return CLI_USAGE;
	if (*v[OPT_AT].str && parse_at(v[OPT_AT].str, &cfg.schedule_at)) {
		fprintf(stderr, "ibbis mail send: --at: give YYYY-MM-DDTHH:MM, not '%s'\n",
			v[OPT_AT].str);
		return CLI_USAGE;
	}
	if (!mail_configured(&cfg)) {
		fputs("ibbis mail send: no --smtp-url and --smtp-from: nothing to send with\n", stderr);
		return CLI_USAGE;
	}
	struct store *s = NULL;
	struct i18n *cat = NULL;
	char err[512] = "";
	int rc = CLI_FAIL;
	if (store_open(v[OPT_DB].str, &s, err, sizeof err)) {
		fprintf(stderr, "ibbis: cannot open the database %s: %s\n", v[OPT_DB].str, err);
		return CLI_FAIL;
	}
	if (store_migrate(s, NULL, err, sizeof err))
		fprintf(stderr, "ibbis: migration failed: %s\n", err);
	else if (i18n_load_embedded(&cat) || smtp_global_init())
		fputs("ibbis: cannot start (catalogues or libcurl)\n", stderr);
	else {
		char owner[128];
		mail_owner_name(owner, sizeof owner);
		struct mail_stats st;
		if (mail_pass(s, cat, &cfg, owner, &st) == 0) {
			printf("mail: %lld sent, %lld to retry, %lld failed, %lld scheduled\n",
			       (long long)st.sent, (long long)st.retried, (long long)st.failed,
			       (long long)st.scheduled);
			rc = CLI_OK;
		} else {
			fputs("ibbis mail send: the database failed (see above)\n", stderr);
		}
	}
	i18n_free(cat);
	store_close(s);
	return rc;
}
