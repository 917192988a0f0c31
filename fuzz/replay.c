/* replay.c: feeds stored fuzz inputs to LLVMFuzzerTestOneInput without
 * libFuzzer, so `make check` replays every corpus under gcc.
 *
 * usage: fuzz_NAME_replay DIR_OR_FILE...
 * Each input runs in its own child process, so one crash or hang names its
 * file and the rest still run. REPLAY_TIMEOUT (seconds, default 10) bounds
 * one input; REPLAY_NOFORK=1 runs everything in this process (for gdb). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional in a target, as in libFuzzer. */
extern int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

struct tally {
	unsigned long passed;
	unsigned long failed;
};

static unsigned timeout_seconds = 10;
static int no_fork;

/* Reads a whole file; the caller frees *out. */
static int read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t cap = 4096, n = 0;
	uint8_t *data = malloc(cap);
	if (!data) {
		fclose(f);
		return -1;
	}
	for (;;) {
		if (n == cap) {
			uint8_t *bigger = realloc(data, cap * 2);
			if (!bigger) {
				free(data);
				fclose(f);
				return -1;
			}
			data = bigger;
			cap *= 2;
		}
		size_t got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(data);
		return -1;
	}
	*out = data;
	*len = n;
	return 0;
}

/* Runs one input; returns 0 when it passed. A copy of exactly `len` bytes is
 * passed, so reads past the end show up under a sanitizer. */
static int run_one(const char *path)
{
	uint8_t *data = NULL;
	size_t len = 0;
	if (read_file(path, &data, &len) != 0) {
		fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	uint8_t *exact = malloc(len ? len : 1);
	if (!exact) {
		free(data);
		return -1;
	}
	if (len)
		memcpy(exact, data, len);
	free(data);

	int rc;
	if (no_fork) {
		rc = LLVMFuzzerTestOneInput(exact, len);
		free(exact);
		/* libFuzzer allows 0, and -1 for "do not add to the corpus". */
		return (rc == 0 || rc == -1) ? 0 : -1;
	}

	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "replay: fork: %s\n", strerror(errno));
		free(exact);
		return -1;
	}
	if (pid == 0) {
		alarm(timeout_seconds);
		rc = LLVMFuzzerTestOneInput(exact, len);
		free(exact);
		_exit((rc == 0 || rc == -1) ? 0 : 3);
	}
	free(exact);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "replay: waitpid: %s\n", strerror(errno));
			return -1;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		fprintf(stderr, "replay: FAIL %s: %s%s\n", path, strsignal(WTERMSIG(status)),
			WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
	else
		fprintf(stderr, "replay: FAIL %s: exit status %d\n", path, WEXITSTATUS(status));
	return -1;
}

static void count(struct tally *t, int rc)
{
	if (rc == 0)
		t->passed++;
	else
		t->failed++;
}

static int skip_name(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Every regular file directly in `dir`, in name order. */
static int run_dir(const char *dir, struct tally *t)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, skip_name, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: cannot list %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (int i = 0; i < n; i++) {
		size_t need = strlen(dir) + 1 + strlen(names[i]->d_name) + 1;
		char *path = malloc(need);
		if (!path) {
			free(names[i]);
			t->failed++;
			continue;
		}
		snprintf(path, need, "%s/%s", dir, names[i]->d_name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			count(t, run_one(path));
		free(path);
		free(names[i]);
	}
	free(names);
	return 0;
}

int main(int argc, char **argv)
{
	const char *env = getenv("REPLAY_TIMEOUT");
	if (env && *env) {
		char *end = NULL;
		unsigned long v = strtoul(env, &end, 10);
		if (end && *end == '\0' && v > 0 && v < 86400)
			timeout_seconds = (unsigned)v;
	}
	env = getenv("REPLAY_NOFORK");
	no_fork = env && strcmp(env, "1") == 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR_OR_FILE...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);

	struct tally t = {0, 0};
	int errors = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			errors++;
		} else if (S_ISDIR(st.st_mode)) {
			if (run_dir(argv[i], &t) != 0)
				errors++;
		} else {
			count(&t, run_one(argv[i]));
		}
	}
	printf("%lu passed, %lu failed\n", t.passed, t.failed);
	return (t.failed || errors) ? 1 : 0;
}
