/* cmd_serve.c: `ibbis serve`: the web server. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/clock.h"
#include "base/err.h"
#include "base/version.h"
#include "base/log.h"
#include "base/str.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "cli/mail_opts.h"
#include "domain/messages/smtp.h"
#include "web/messages/mail.h"
#include "domain/accounts/account.h"
#include "domain/insight/instrument.h"
#include "domain/trust/seal.h"
#include "domain/trust/seal_upgrade.h"
#include "http/http.h"
#include "store/store.h"
#include "view/i18n.h"
#include "view/view.h"
#include "web/dispatch.h"
#include "web/pagecache.h"
#include "web/static.h"
#include "web/gate.h"
#include "web/web.h"

enum { OPT_LISTEN, OPT_DB, OPT_KEY, OPT_AUDIT_MS, OPT_CACHE, OPT_WORKERS, OPT_LANG, OPT_IDLE, OPT_LIFETIME, OPT_STATIC, OPT_DKFDS, OPT_LOG,
       OPT_SECURE, OPT_SURVEY_DIR, OPT_CTL_NAME, OPT_CTL_ADDRESS, OPT_CTL_EMAIL, OPT_CTL_PHONE,
       OPT_DPO_EMAIL, OPT_PROXY, OPT_DURABLE_READS, OPT_CHECKPOINTS, OPT_CP_EVERY, OPT_HELP, OPT_MAIL,
       OPT_N = OPT_MAIL + MAIL_OPT_N };

const struct config_opt serve_opts[] = {
	[OPT_LISTEN] = {"listen", "IBBIS_LISTEN", CONFIG_STR, "127.0.0.1:8080", 0, 0,
			"address and port to listen on"},
	[OPT_DB] = {"db", "IBBIS_DB", CONFIG_STR, "./ibbis.db", 0, 0,
		    "SQLite file, or a postgres:// URL"},
	[OPT_KEY] = {"key-file", "IBBIS_KEY_FILE", CONFIG_STR, NULL, 0, 0,
		     "key for confidential text (default: the database path + .key; "
		     "./ibbis.key for PostgreSQL)"},
	[OPT_AUDIT_MS] = {"audit-commit-ms", "IBBIS_AUDIT_COMMIT_MS", CONFIG_INT, "20", 1, 1000,
			  "group-commit window for audited reads, in milliseconds"},
	[OPT_CACHE] = {"page-cache", "IBBIS_PAGE_CACHE", CONFIG_INT, "4096", 0, 1 << 20,
		       "case answers kept in memory (0 turns the cache off; docs/cache.md)"},
	[OPT_WORKERS] = {"workers", "IBBIS_WORKERS", CONFIG_INT, NULL, 1, 256,
			 "worker threads (default: the number of cores)"},
	[OPT_LANG] = {"lang", "IBBIS_LANG", CONFIG_STR, "en", 0, 0,
		      "language when the request names none: en or da"},
	[OPT_IDLE] = {"idle-timeout", "IBBIS_IDLE_TIMEOUT", CONFIG_INT, "30", 1, 24 * 60,
		      "minutes before an idle session ends"},
	[OPT_LIFETIME] = {"session-lifetime", "IBBIS_SESSION_LIFETIME", CONFIG_INT, "720", 1,
			  7 * 24 * 60, "minutes after login a session ends, however active"},
	[OPT_STATIC] = {"static-dir", "IBBIS_STATIC_DIR", CONFIG_STR, NULL, 0, 0,
			"folder served under /static/ (default: ./web in a checkout, else the "
			"installed PREFIX/share/ibbis/web)"},
	[OPT_DKFDS] = {"dkfds-dir", "IBBIS_DKFDS_DIR", CONFIG_STR, NULL, 0, 0,
		       "DKFDS dist folder served under /static/dkfds/ (default: "
		       "./node_modules/dkfds/dist in a checkout, else PREFIX/share/ibbis/dkfds)"},
	[OPT_LOG] = {"access-log", "IBBIS_ACCESS_LOG", CONFIG_BOOL, "1", 0, 1,
		     "one line per request on stderr (0 to turn off)"},
	[OPT_SECURE] = {"secure-cookies", "IBBIS_SECURE_COOKIES", CONFIG_BOOL, "0", 0, 1,
			"mark cookies Secure (behind TLS)"},
	[OPT_SURVEY_DIR] = {"survey-dir", "IBBIS_SURVEY_DIR", CONFIG_STR, "", 0, 0,
			    "folder of extra survey instruments (*.conf, docs/insight.md)"},
	[OPT_CTL_NAME] = {"controller-name", "IBBIS_CONTROLLER_NAME", CONFIG_STR, "", 0, 0,
			  "the data controller named on /privacy (the authority)"},
	[OPT_CTL_ADDRESS] = {"controller-address", "IBBIS_CONTROLLER_ADDRESS", CONFIG_STR, "", 0, 0,
			     "the controller's postal address (/privacy)"},
	[OPT_CTL_EMAIL] = {"controller-email", "IBBIS_CONTROLLER_EMAIL", CONFIG_STR, "", 0, 0,
			   "the controller's e-mail for questions and feedback (/privacy, /accessibility)"},
	[OPT_CTL_PHONE] = {"controller-phone", "IBBIS_CONTROLLER_PHONE", CONFIG_STR, "", 0, 0,
			   "the controller's telephone (/privacy, /accessibility)"},
	[OPT_DPO_EMAIL] = {"dpo-email", "IBBIS_DPO_EMAIL", CONFIG_STR, "", 0, 0,
			   "the data protection officer's e-mail (/privacy)"},
	[OPT_PROXY] = {"trusted-proxy", "IBBIS_TRUSTED_PROXY", CONFIG_STR, NULL, 0, 0,
		       "the TLS proxy's address: its requests take the client address from "
		       "X-Forwarded-For (docs/operations.md)"},
	[OPT_DURABLE_READS] = {"audit-durable-reads", "IBBIS_AUDIT_DURABLE_READS", CONFIG_BOOL, "1",
			       0, 1,
			       "answer a read only once its audit entry is committed (0: for "
			       "measuring the cost only; docs/storage.md)"},
	[OPT_CHECKPOINTS] = {"audit-checkpoints", "IBBIS_AUDIT_CHECKPOINTS", CONFIG_STR, NULL, 0, 0,
			     "file of signed audit checkpoints (default: beside the key file)"},
	[OPT_CP_EVERY] = {"audit-checkpoint-every", "IBBIS_AUDIT_CHECKPOINT_EVERY", CONFIG_INT,
			  "300", 1, 86400, "seconds between audit checkpoints (and one at start and stop)"},
	[OPT_HELP] = {"help", NULL, CONFIG_BOOL, NULL, 0, 1, "show this help"},
	MAIL_OPT_ROWS(OPT_MAIL),
};
const size_t serve_nopts = OPT_N;

/* The database for the log: a postgres:// URL without its user:password@. */
static const char *serve_db_for_log(const char *url)
{
	static char shown[512];
	const char *at = strchr(url, '@');
	const char *scheme = strstr(url, "://");
	if (!at || !scheme || at < scheme)
		return url;
	if (str_fmt(shown, sizeof shown, "%.*s://%s", (int)(scheme - url), url, at + 1))
		return "(database URL)";
	return shown;
}

/* A static folder: the flag or environment when given; otherwise the
 * checkout's folder when serve runs in a checkout, else the installed one
 * (ibbis_datadir, from `make install`). The chosen path is written into
 * buf when it is built. borrowed or buf */
static const char *serve_dir(const struct config_val *v, const char *checkout,
			     const char *installed, char *buf, size_t size)
{
	struct stat sb;
	if (v->str)
		return v->str;
	if (stat(checkout, &sb) == 0 && S_ISDIR(sb.st_mode))
		return checkout;
	if (str_fmt(buf, size, "%s/%s", ibbis_datadir, installed) == 0 && stat(buf, &sb) == 0 &&
	    S_ISDIR(sb.st_mode))
		return buf;
	return checkout;
}

/* Every page links these: without them pages lose their look and menu
 * silently, so serve refuses to start and says how to fix it. */
static int serve_check_assets(struct config_val *v)
{
	static const struct {
		int opt;
		const char *file, *fix;
	} need[] = {
		{OPT_DKFDS, "css/dkfds.min.css",
		 "run `npm ci` (or scripts/deps.sh) in the source folder, or point --dkfds-dir "
		 "(IBBIS_DKFDS_DIR) at DKFDS 11's dist folder"},
		{OPT_DKFDS, "js/dkfds.min.js", NULL},
		{OPT_DKFDS, "img/all-svg-icons.svg", NULL},
		{OPT_STATIC, "ibbis.css",
		 "start serve in the source folder, install it (make install), or point --static-dir (IBBIS_STATIC_DIR) at "
		 "its web/ folder"},
		{OPT_STATIC, "ibbis.js", NULL},
	};
	const char *fix = NULL;
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++) {
		if (need[i].fix)
			fix = need[i].fix;
		char path[1024];
		if (str_fmt(path, sizeof path, "%s/%s", v[need[i].opt].str, need[i].file) ||
		    access(path, R_OK)) {
			fprintf(stderr, "ibbis: %s is missing, so pages would have no style or menu.\n"
					"To fix it: %s.\n", path, fix);
			return CLI_FAIL;
		}
	}
	return CLI_OK;
}

static char checkpoint_file[4096];

/* A signed checkpoint of the audit chain (docs/security.md), from the
 * calling thread's connection. */
static void serve_checkpoint(struct store *s)
{
	struct store_conn *c;
	struct audit_checkpoint cp;
	if (!checkpoint_file[0] || store_conn_get(s, &c))
		return;
	int rc = audit_checkpoint_take(c, clock_now(), checkpoint_file, &cp);
	if (rc)
		log_error("audit checkpoint to %s failed: %s", checkpoint_file, err_code(rc));
	else
		log_msg(LOG_DEBUG, "audit checkpoint: %lld entries", (long long)cp.count);
}

static int serve_checkpoint_path(struct config_val *v)
{
	char key[4096];
	if (seal_key_path(v[OPT_DB].str, v[OPT_KEY].str, key, sizeof key) ||
	    audit_checkpoint_path(v[OPT_DB].str, key, v[OPT_CHECKPOINTS].str, checkpoint_file,
				  sizeof checkpoint_file)) {
		fputs("ibbis: --audit-checkpoints: the path is too long\n", stderr);
		return CLI_FAIL;
	}
	log_info("audit checkpoints: %s", checkpoint_file);
	return CLI_OK;
}

static int serve_prepare(struct config_val *v, struct web_app *app)
{
	char err[512] = "";
	/* The static folders, found once; the check and the mounts use them. */
	static char dkfds[4096], web[4096];
	v[OPT_DKFDS].str =
		serve_dir(&v[OPT_DKFDS], "node_modules/dkfds/dist", "dkfds", dkfds, sizeof dkfds);
	v[OPT_STATIC].str = serve_dir(&v[OPT_STATIC], "web", "web", web, sizeof web);
	if (serve_check_assets(v))
		return CLI_FAIL;
	if (store_open(v[OPT_DB].str, &app->store, err, sizeof err)) {
		fprintf(stderr, "ibbis: cannot open the database %s: %s\n", v[OPT_DB].str, err);
		return CLI_FAIL;
	}
	int version = 0;
	if (store_migrate(app->store, &version, err, sizeof err)) {
		fprintf(stderr, "ibbis: migration failed: %s\n", err);
		return CLI_FAIL;
	}
	/* Refuses to start without the key when sealed text exists. */
	if (seal_setup(app->store, v[OPT_DB].str, v[OPT_KEY].str, true))
		return CLI_FAIL;
	/* Text an earlier version kept in clear is sealed before anyone reads. */
	if (seal_upgrade(app->store, NULL))
		return CLI_FAIL;
	if (serve_checkpoint_path(v))
		return CLI_FAIL;
	serve_checkpoint(app->store);
	audit_durable_reads = v[OPT_DURABLE_READS].num != 0;
	if (audit_start(app->store, (int)v[OPT_AUDIT_MS].num)) {
		fputs("ibbis: cannot start the audit writer\n", stderr);
		return CLI_FAIL;
	}
	if (i18n_load_embedded(&app->i18n)) {
		fputs("ibbis: cannot load the message catalogues\n", stderr);
		return CLI_FAIL;
	}
	if (instruments_load(v[OPT_SURVEY_DIR].str, err, sizeof err)) {
		fprintf(stderr, "ibbis: survey instrument: %s\n", err);
		return CLI_FAIL;
	}
	if (view_load_embedded(&app->views)) {
		fputs("ibbis: a template does not compile (see above)\n", stderr);
		return CLI_FAIL;
	}
	if (pagecache_new((size_t)v[OPT_CACHE].num, &app->pages)) {
		fputs("ibbis: no memory for the page cache\n", stderr);
		return CLI_FAIL;
	}
	if (smtp_global_init() || mail_sender_start(app->store, app->i18n, app->mail)) {
		fputs("ibbis: cannot start the mail sender\n", stderr);
		return CLI_FAIL;
	}
	if (!mail_configured(app->mail))
		log_info("mail is not configured (--smtp-url): messages stay in the outbox");
	static_mount("/static/dkfds/", v[OPT_DKFDS].str);
	static_mount("/static/", v[OPT_STATIC].str);
	return CLI_OK;
}

static void serve_cleanup(struct web_app *app)
{
	mail_sender_stop();
	audit_stop(); /* writes what is queued before the database closes */
	if (app->store)
		serve_checkpoint(app->store); /* the chain as it is left */
	if (app->pages) {
		struct pagecache_stats st;
		pagecache_stats(app->pages, &st);
		log_info("page cache: %llu hits, %llu misses, %llu kept",
			 (unsigned long long)st.hits, (unsigned long long)st.misses,
			 (unsigned long long)st.puts);
		pagecache_free(app->pages);
	}
	instruments_free();
	view_free(app->views);
	i18n_free(app->i18n);
	store_close(app->store);
	static_free();
}

int cmd_serve(int argc, char **argv)
{
	struct config_val v[OPT_N];
	char **rest;
	int nrest;
	if (config_parse(serve_opts, OPT_N, v, argc, argv, &rest, &nrest) || nrest) {
		config_usage(stderr, "serve", "[flags]", serve_opts, OPT_N);
		return CLI_USAGE;
	}
	if (v[OPT_HELP].num) {
		config_usage(stdout, "serve", "[flags]", serve_opts, OPT_N);
		return CLI_OK;
	}
	if (strcmp(v[OPT_LANG].str, "en") && strcmp(v[OPT_LANG].str, "da")) {
		fprintf(stderr, "ibbis: --lang: '%s' is not en or da\n", v[OPT_LANG].str);
		return CLI_USAGE;
	}
	char proxy[HTTP_IP_MAX];
	const char *tp = v[OPT_PROXY].str;
	if (tp && http_ip_canonical(tp, strlen(tp), proxy)) {
		fprintf(stderr, "ibbis: --trusted-proxy: '%s' is not an IPv4 or IPv6 address\n", tp);
		return CLI_USAGE;
	}
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned workers = v[OPT_WORKERS].set_by ? (unsigned)v[OPT_WORKERS].num
						 : (unsigned)(cores > 0 ? cores : 1);

	/* Block the stop signals in every thread; this one waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (account_init())
		return CLI_FAIL;
	struct web_app app = {
		.default_lang = strcmp(v[OPT_LANG].str, "da") ? "en" : "da",
		.idle_timeout_s = (int)v[OPT_IDLE].num * 60,
		.session_lifetime_s = (int)v[OPT_LIFETIME].num * 60,
		.secure_cookies = v[OPT_SECURE].num != 0,
		.finish = gate_finish,
		.controller = {v[OPT_CTL_NAME].str, v[OPT_CTL_ADDRESS].str, v[OPT_CTL_EMAIL].str,
			       v[OPT_CTL_PHONE].str, v[OPT_DPO_EMAIL].str},
	};
	struct mail_cfg mail;
	char smtp_user[256], smtp_password[256], public_url[512];
	if (mail_opts_load(v, OPT_MAIL, v[OPT_LISTEN].str, &mail, smtp_user, sizeof smtp_user,
			   smtp_password, sizeof smtp_password, public_url, sizeof public_url))
		return CLI_USAGE;
	app.mail = &mail;
	const char *slow = getenv("IBBIS_TEST_SLOW");
	app.test_endpoints = slow && strcmp(slow, "1") == 0;
	const char *strict = getenv("IBBIS_STRICT_ACCESS");
	app.strict_access = strict && strcmp(strict, "1") == 0;
	if (serve_prepare(v, &app)) {
		serve_cleanup(&app);
		return CLI_FAIL;
	}
	struct http_server_opts o = {.listen = v[OPT_LISTEN].str, .workers = workers,
				     .handler = web_handle, .handler_ud = &app,
				     .access_log = v[OPT_LOG].num != 0,
				     .trusted_proxy = v[OPT_PROXY].str,
				     .hold = audit_when_committed};
	struct http_server *srv;
	if (http_server_start(&o, &srv)) {
		serve_cleanup(&app);
		return CLI_FAIL;
	}
	log_info("ibbis %s serving http://%s with %u workers, database %s (%s)", ibbis_version,
		 v[OPT_LISTEN].str, workers, serve_db_for_log(v[OPT_DB].str),
		 store_backend_name(app.store));
	int sig;
	struct timespec every = {(time_t)v[OPT_CP_EVERY].num, 0};
	while ((sig = sigtimedwait(&stop, NULL, &every)) < 0)
		serve_checkpoint(app.store); /* timed out (or EINTR): one more */
	log_info("signal %d: finishing requests in flight, then stopping", sig);
	http_server_stop(srv, 30000);
	serve_cleanup(&app);
	log_info("stopped");
	return CLI_OK;
}
