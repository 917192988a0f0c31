/* errors.h: enum err -> HTTP status and default message key. */
#ifndef IBBIS_WEB_ERRORS_H
#define IBBIS_WEB_ERRORS_H

int errors_status(int err);
const char *errors_message_key(int err); /* static catalogue key */

#endif
