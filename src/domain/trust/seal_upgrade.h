/* seal_upgrade.h: text that a version before migration 0008 stored in
 * clear (notes of health_shared and employment, the EC's assessment and
 * reason, shared agenda items, minutes, evidence, pulse comments, comments
 * on minutes) is sealed with the loaded key, once, at start (serve,
 * migrate, demo-data). */
#ifndef IBBIS_SEAL_UPGRADE_H
#define IBBIS_SEAL_UPGRADE_H

struct store;

/* Seals every value still in clear, in one transaction, then removes the
 * old text from the database files (see seal_upgrade.c). Without a key
 * does nothing. *sealed (may be NULL): values sealed. */
int seal_upgrade(struct store *s, long *sealed);

#endif
