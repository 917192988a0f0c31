/* audit_int.h: what audit.c shares with audit_checkpoint.c only. */
#ifndef IBBIS_AUDIT_INT_H
#define IBBIS_AUDIT_INT_H

const unsigned char *audit_sign_sk(void); /* crypto_sign_SECRETKEYBYTES */
const unsigned char *audit_sign_pk(void); /* crypto_sign_PUBLICKEYBYTES */

#endif
