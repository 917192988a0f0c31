/* version.h: the program's version: VERSION plus the git commit it was
 * built from, in a generated object that is rebuilt whenever either
 * changes (so no stale object can report another version). */
#ifndef IBBIS_VERSION_H
#define IBBIS_VERSION_H

extern const char ibbis_version[];
/* The folder `make install` puts the static files in (PREFIX/share/ibbis):
 * web/ and dkfds/ below it. Generated like the version. */
extern const char ibbis_datadir[];

#endif
