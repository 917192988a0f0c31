/* log.h: lines on stderr. Thread-safe (one write(2) per line). */
#ifndef IBBIS_LOG_H
#define IBBIS_LOG_H

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level lvl);
/* Negative tests call these around what they expect to fail: meanwhile
 * every line says "expected" after the time (`... expected error ...`), so
 * a passing test log does not read as a failing one. They nest. */
void log_expect_begin(void);
void log_expect_end(void);
void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
