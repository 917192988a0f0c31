/* i18n_key.h: the marker of a message catalogue key in C code.
 *
 * Any layer may name a key (a domain check names the message of the field
 * it rejects); only view/ and web/ look keys up (view/i18n.h). The marker
 * changes nothing at run time: tests/unit/test_catalogue.c finds every
 * N_("key") and checks that both catalogues have it. */
#ifndef IBBIS_BASE_I18N_KEY_H
#define IBBIS_BASE_I18N_KEY_H

#define N_(s) (s)

#endif
