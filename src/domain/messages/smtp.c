/* smtp.c: SMTP delivery through libcurl. */
#include "domain/messages/smtp.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/str.h"

int smtp_global_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : ERR_INTERNAL;
}

bool smtp_url_ok(const char *url)
{
	if (!url)
		return false;
	const char *h = str_starts_with(url, "smtp://")	   ? url + 7
			: str_starts_with(url, "smtps://") ? url + 8
							   : NULL;
	return h && *h && *h != '/' && *h != ':' && !strpbrk(url, " \r\n");
}

static int read_line(FILE *f, char *dst, size_t dstsz)
{
	if (!fgets(dst, (int)dstsz, f))
		return ERR_INVALID;
	size_t n = strlen(dst);
	if (n && dst[n - 1] == '\n')
		dst[--n] = 0;
	else if (!feof(f))
		return ERR_INVALID; /* longer than the buffer */
	if (n && dst[n - 1] == '\r')
		dst[--n] = 0;
	return n ? 0 : ERR_INVALID;
}

int smtp_read_credentials(const char *path, char *user, size_t usersz, char *password,
			  size_t passwordsz)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return ERR_IO;
	int rc = read_line(f, user, usersz);
	if (!rc)
		rc = read_line(f, password, passwordsz);
	fclose(f);
	return rc;
}

struct upload {
	const char *p;
	size_t left;
};

static size_t feed(char *dst, size_t size, size_t nitems, void *ud)
{
	struct upload *u = ud;
	size_t n = size * nitems;
	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

int smtp_send(const struct smtp_cfg *cfg, const char *to, const char *data, size_t n,
	      char *err, size_t errsz, bool *permanent)
{
	*permanent = false;
	err[0] = 0;
	CURL *h = curl_easy_init();
	if (!h) {
		str_copy(err, errsz, "libcurl: cannot start a transfer");
		return ERR_IO;
	}
	char from[300], rcpt[300], curl_err[CURL_ERROR_SIZE] = "";
	str_fmt(from, sizeof from, "<%s>", cfg->from);
	str_fmt(rcpt, sizeof rcpt, "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	struct upload u = {data, n};
	curl_easy_setopt(h, CURLOPT_URL, cfg->url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, feed);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)n);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, cfg->timeout_s > 0 ? cfg->timeout_s : 60L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	/* smtp://: STARTTLS when offered; smtps:// is TLS throughout. */
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
	if (cfg->user && cfg->password) {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->password);
	}
	CURLcode cc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(h);
	if (cc == CURLE_OK)
		return 0;
	/* A 5xx answer is the server's final word; anything else may pass. */
	*permanent = code >= 500 && code < 600;
	str_fmt(err, errsz, "%s%s%s (SMTP %ld)", curl_easy_strerror(cc), curl_err[0] ? ": " : "",
		curl_err, code);
	return ERR_IO;
}
