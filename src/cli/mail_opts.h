/* mail_opts.h: the mail flags shared by `serve` and `mail send`, as rows of
 * a config table starting at index base (cli/config.h). */
#ifndef IBBIS_MAIL_OPTS_H
#define IBBIS_MAIL_OPTS_H

#include "cli/config.h"

struct mail_cfg;

enum { MAIL_OPT_URL, MAIL_OPT_FROM, MAIL_OPT_CRED, MAIL_OPT_PUBLIC, MAIL_OPT_RETRY,
       MAIL_OPT_INTERVAL, MAIL_OPT_N };

#define MAIL_OPT_ROWS(base)                                                                      \
	[(base) + MAIL_OPT_URL] = {"smtp-url", "IBBIS_SMTP_URL", CONFIG_STR, "", 0, 0,           \
				   "mail server: smtp://host:port or smtps://host:port (none: "  \
				   "messages stay in the outbox)"},                              \
	[(base) + MAIL_OPT_FROM] = {"smtp-from", "IBBIS_SMTP_FROM", CONFIG_STR, "", 0, 0,        \
				    "sender address of every message"},                          \
	[(base) + MAIL_OPT_CRED] = {"smtp-credentials", "IBBIS_SMTP_CREDENTIALS", CONFIG_STR, "", \
				    0, 0, "file with the SMTP user name and password, one a line"}, \
	[(base) + MAIL_OPT_PUBLIC] = {"public-url", "IBBIS_PUBLIC_URL", CONFIG_STR, NULL, 0, 0,  \
				      "address people use to reach IBBIS, for links in messages " \
				      "(default: http:// and --listen)"},                        \
	[(base) + MAIL_OPT_RETRY] = {"mail-retry", "IBBIS_MAIL_RETRY", CONFIG_INT, "60", 1,      \
				     86400, "seconds before the first retry (doubling, at most 6 " \
				     "hours; 8 attempts)"},                                      \
	[(base) + MAIL_OPT_INTERVAL] = {"mail-interval", "IBBIS_MAIL_INTERVAL", CONFIG_INT, "30", \
					1, 3600, "seconds between the sender's passes (serve)"}

/* Fills cfg from the values v[base..] (strings borrowed from v; the
 * credentials are read into user and password). listen: for the default
 * public URL. Prints what is wrong and returns ERR_INVALID. */
int mail_opts_load(const struct config_val *v, int base, const char *listen, struct mail_cfg *cfg,
		   char *user, size_t usersz, char *password, size_t passwordsz, char *public_url,
		   size_t public_urlsz);

#endif
