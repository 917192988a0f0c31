/* smtp.h: handing one message to an SMTP server with libcurl.
 *
 * url is smtp://host:port (STARTTLS when the server offers it) or
 * smtps://host:port (TLS from the start). Call smtp_global_init once per
 * process before any thread sends. */
#ifndef IBBIS_SMTP_H
#define IBBIS_SMTP_H

#include <stdbool.h>
#include <stddef.h>

struct smtp_cfg {
	const char *url;      /* borrowed */
	const char *from;     /* borrowed: the envelope and From address */
	const char *user;     /* borrowed or NULL */
	const char *password; /* borrowed or NULL */
	long timeout_s;       /* whole transfer; 0: 60 */
};

int smtp_global_init(void);
/* True for an smtp:// or smtps:// URL with a host. */
bool smtp_url_ok(const char *url);
/* Reads "user\npassword\n" (the password may hold any bytes but a line
 * end) from path into user and password. ERR_IO or ERR_INVALID. */
int smtp_read_credentials(const char *path, char *user, size_t usersz, char *password,
			  size_t passwordsz);
/* Sends data (n bytes, CRLF lines) to `to`. 0 when the server accepted it;
 * otherwise ERR_IO with the reason in err, and *permanent true when the
 * server refused it for good (a 5xx answer). */
int smtp_send(const struct smtp_cfg *cfg, const char *to, const char *data, size_t n,
	      char *err, size_t errsz, bool *permanent);

#endif
