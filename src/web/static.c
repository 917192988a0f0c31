/* static.c: the static file cache. */
#include "web/static.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zlib.h>

#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"

#define STATIC_MAX_FILE (8u << 20)
#define STATIC_BUCKETS 512

struct mount {
	char prefix[64];
	char dir[512];
};

struct sfile {
	struct sfile *next; /* bucket chain */
	char *path;         /* owned: the URL path */
	char *data;         /* owned */
	size_t len;
	char *gz; /* owned, or NULL when not worth it */
	size_t gz_len;
	char etag[24];
	const char *ctype; /* static */
};

static struct mount mounts[4];
static int nmounts;
static struct sfile *buckets[STATIC_BUCKETS];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

int static_mount(const char *prefix, const char *dir)
{
	if (nmounts >= (int)(sizeof mounts / sizeof mounts[0]))
		return ERR_INVALID;
	struct mount *m = &mounts[nmounts];
	if (str_copy(m->prefix, sizeof m->prefix, prefix) || str_copy(m->dir, sizeof m->dir, dir))
		return ERR_TOO_LARGE;
	nmounts++;
	/* keep longest prefix first */
	for (int i = nmounts - 1; i > 0 && strlen(mounts[i].prefix) > strlen(mounts[i - 1].prefix);
	     i--) {
		struct mount t = mounts[i];
		mounts[i] = mounts[i - 1];
		mounts[i - 1] = t;
	}
	return 0;
}

static const char *content_type(const char *path, bool *text)
{
	static const struct {
		const char *ext, *type;
		bool text;
	} types[] = {
		{".css", "text/css; charset=utf-8", true},
		{".js", "application/javascript; charset=utf-8", true},
		{".mjs", "application/javascript; charset=utf-8", true},
		{".json", "application/json", true},
		{".map", "application/json", true},
		{".svg", "image/svg+xml", true},
		{".html", "text/html; charset=utf-8", true},
		{".txt", "text/plain; charset=utf-8", true},
		{".png", "image/png", false},
		{".jpg", "image/jpeg", false},
		{".ico", "image/x-icon", false},
		{".woff2", "font/woff2", false},
		{".woff", "font/woff", false},
		{".ttf", "font/ttf", true},
	};
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (str_ends_with(path, types[i].ext)) {
			*text = types[i].text;
			return types[i].type;
		}
	*text = false;
	return "application/octet-stream";
}

/* Only plain relative paths: no "..", no hidden files, no odd bytes. */
static bool safe_rel(const char *rel)
{
	if (!*rel || strlen(rel) > 256)
		return false;
	for (const char *p = rel; *p; p++) {
		char c = *p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			  c == '-' || c == '_' || c == '.' || c == '/';
		if (!ok)
			return false;
		if ((p == rel || p[-1] == '/') && (c == '.' || c == '/'))
			return false;
	}
	return true;
}

static unsigned hash_path(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % STATIC_BUCKETS;
}

static char *read_file(const char *fs, size_t *len)
{
	FILE *f = fopen(fs, "rb");
	if (!f)
		return NULL;
	struct stat st;
	if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode) || (size_t)st.st_size > STATIC_MAX_FILE) {
		fclose(f);
		return NULL;
	}
	char *data = malloc((size_t)st.st_size + 1);
	if (!data)
		abort();
	size_t n = fread(data, 1, (size_t)st.st_size, f);
	fclose(f);
	data[n] = '\0';
	*len = n;
	return data;
}

static void gzip_into(struct sfile *sf)
{
	z_stream z = {0};
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	size_t cap = deflateBound(&z, (uLong)sf->len);
	char *out = malloc(cap);
	if (!out)
		abort();
	z.next_in = (Bytef *)sf->data;
	z.avail_in = (uInt)sf->len;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out < sf->len) {
		sf->gz = out;
		sf->gz_len = z.total_out;
	} else {
		free(out);
	}
	deflateEnd(&z);
}

static struct sfile *load(const char *urlpath, const char *fs)
{
	size_t len;
	char *data = read_file(fs, &len);
	if (!data)
		return NULL;
	struct sfile *sf = calloc(1, sizeof *sf);
	if (!sf)
		abort();
	sf->path = strdup(urlpath);
	sf->data = data;
	sf->len = len;
	bool text;
	sf->ctype = content_type(urlpath, &text);
	unsigned char h[8];
	crypto_generichash(h, sizeof h, (const unsigned char *)data, len, NULL, 0);
	sf->etag[0] = '"';
	sodium_bin2hex(sf->etag + 1, 17, h, sizeof h);
	sf->etag[17] = '"';
	sf->etag[18] = '\0';
	if (text && len > 256)
		gzip_into(sf);
	return sf;
}

static struct sfile *lookup(const char *urlpath, unsigned b)
{
	for (struct sfile *sf = buckets[b]; sf; sf = sf->next)
		if (strcmp(sf->path, urlpath) == 0)
			return sf;
	return NULL;
}

static struct sfile *get_file(const char *urlpath, const struct mount *m)
{
	unsigned b = hash_path(urlpath);
	pthread_rwlock_rdlock(&lock);
	struct sfile *sf = lookup(urlpath, b);
	pthread_rwlock_unlock(&lock);
	if (sf)
		return sf;
	char fs[1024];
	if (str_fmt(fs, sizeof fs, "%s/%s", m->dir, urlpath + strlen(m->prefix)))
		return NULL;
	struct sfile *fresh = load(urlpath, fs);
	if (!fresh)
		return NULL;
	pthread_rwlock_wrlock(&lock);
	sf = lookup(urlpath, b); /* another thread may have won */
	if (!sf) {
		fresh->next = buckets[b];
		buckets[b] = fresh;
		sf = fresh;
		fresh = NULL;
	}
	pthread_rwlock_unlock(&lock);
	if (fresh) {
		free(fresh->path);
		free(fresh->data);
		free(fresh->gz);
		free(fresh);
	}
	return sf;
}

static bool accepts_gzip(const struct http_request *req)
{
	const char *ae = http_header(req, "Accept-Encoding");
	return ae && strstr(ae, "gzip") != NULL;
}

int static_serve(const struct http_request *req, struct http_response *resp)
{
	const struct mount *m = NULL;
	for (int i = 0; i < nmounts && !m; i++)
		if (str_starts_with(req->path, mounts[i].prefix))
			m = &mounts[i];
	if (!m)
		return ERR_NOT_FOUND;
	struct sfile *sf = NULL;
	if (safe_rel(req->path + strlen(m->prefix)))
		sf = get_file(req->path, m);
	if (!sf) {
		http_resp_static(resp, 404, "text/plain; charset=utf-8", "Not found.\n", 11);
		return 0;
	}
	http_resp_header(resp, "ETag", sf->etag);
	http_resp_header(resp, "Cache-Control", "public, max-age=86400");
	http_resp_header(resp, "Vary", "Accept-Encoding");
	const char *inm = http_header(req, "If-None-Match");
	if (inm && strstr(inm, sf->etag)) {
		http_resp_static(resp, 304, NULL, "", 0);
		return 0;
	}
	if (sf->gz && accepts_gzip(req)) {
		http_resp_header(resp, "Content-Encoding", "gzip");
		http_resp_static(resp, 200, sf->ctype, sf->gz, sf->gz_len);
	} else {
		http_resp_static(resp, 200, sf->ctype, sf->data, sf->len);
	}
	return 0;
}

void static_free(void)
{
	for (int b = 0; b < STATIC_BUCKETS; b++) {
		struct sfile *sf = buckets[b];
		while (sf) {
			struct sfile *next = sf->next;
			free(sf->path);
			free(sf->data);
			free(sf->gz);
			free(sf);
			sf = next;
		}
		buckets[b] = NULL;
	}
	nmounts = 0;
}
