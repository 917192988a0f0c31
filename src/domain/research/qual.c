/* qual.c: the codebook. */
#include "domain/research/qual.h"

#include <sodium.h>
#include <string.h>

#include "audit/audit.h"
#include "base/err.h"
#include "domain/accounts/account.h"
#include "base/str.h"
#include "store/store.h"

int qual_audit(struct store_conn *c, const struct actor *by, int64_t now, const char *category,
	       const char *item, const char *action)
{
	struct audit_entry e = {
		.at = now,
		.actor_id = by->id,
		.actor_role = account_role_name(by->role),
		.actor_name = by->name,
		.actor_org = by->org_name,
		.item = item,
		.category = category,
		.action = action,
	};
	return audit_record(c, &e);
}

static void uuid_format(unsigned char b[16], char out[QUAL_GUID_LEN])
{
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 15];
	}
	out[o] = '\0';
}

void qual_guid(char out[QUAL_GUID_LEN])
{
	unsigned char b[16];
	randombytes_buf(b, sizeof b);
	uuid_format(b, out);
}

void qual_guid_derived(const char *a, const char *b, char out[QUAL_GUID_LEN])
{
	unsigned char h[16];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	crypto_generichash_update(&st, (const unsigned char *)a, strlen(a) + 1);
	crypto_generichash_update(&st, (const unsigned char *)b, strlen(b) + 1);
	crypto_generichash_final(&st, h, sizeof h);
	uuid_format(h, out);
}

int qual_code_insert(struct store_conn *c, int64_t study, int64_t parent, const char *name,
		     const char *name_da, const char *description, const char *guid, int64_t now,
		     int64_t *id)
{
	char g[QUAL_GUID_LEN];
	if (!guid) {
		qual_guid(g);
		guid = g;
	}
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "INSERT INTO qual_codes (study_id, guid, parent_id, name, name_da, "
			       "description, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
			       "RETURNING id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, study);
	store_bind_str(st, 2, guid);
	if (parent)
		store_bind_int64(st, 3, parent);
	else
		store_bind_null(st, 3);
	store_bind_str(st, 4, name);
	store_bind_str(st, 5, name_da);
	store_bind_str(st, 6, description ? description : "");
	store_bind_int64(st, 7, now);
	return store_step_id(st, id);
}

/* Appends the children of parent (0: the roots) depth-first. */
static void tree_append(json_t *all, json_t *out, int64_t parent, int depth)
{
	if (depth > 32)
		return;
	for (size_t i = 0; i < json_array_size(all); i++) {
		json_t *code = json_array_get(all, i);
		json_t *p = json_object_get(code, "parent");
		int64_t pid = json_is_integer(p) ? (int64_t)json_integer_value(p) : 0;
		if (pid != parent)
			continue;
		json_object_set_new(code, "depth", json_integer(depth));
		json_array_append(out, code);
		tree_append(all, out, (int64_t)json_integer_value(json_object_get(code, "id")),
			    depth + 1);
	}
}

int qual_codes_json(struct store_conn *c, int64_t study, json_t **out)
{
	struct store_stmt *st;
	int rc = store_prepare(c,
			       "SELECT id, parent_id, name, name_da, description, guid FROM "
			       "qual_codes WHERE study_id = $1 ORDER BY id",
			       &st);
	if (rc)
		return rc;
	store_bind_int64(st, 1, study);
	json_t *all = json_array();
	while ((rc = store_step(st)) == STORE_ROW) {
		json_t *code = json_pack(
			"{s:I, s:o, s:s, s:o, s:s, s:s}", "id", (json_int_t)store_col_int64(st, 0),
			"parent",
			store_col_is_null(st, 1) ? json_null() : json_integer(store_col_int64(st, 1)),
			"name", store_col_text(st, 2, NULL), "name_da",
			store_col_is_null(st, 3) ? json_null() : json_string(store_col_text(st, 3, NULL)),
			"description", store_col_text(st, 4, NULL), "guid",
			store_col_text(st, 5, NULL));
		json_array_append_new(all, code);
	}
	if (rc < 0) {
		json_decref(all);
		return rc;
	}
	*out = json_array();
	tree_append(all, *out, 0, 0);
	json_decref(all);
	return 0;
}
