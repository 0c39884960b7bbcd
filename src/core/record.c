/*
 * record.c - JSON input records (Jansson).
 */
#include "record.h"

#include <errno.h>
#include <glib.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tsguard_limits.h"

void tsgi_record_free(tsgi_record *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->data);
	free(r->sender);
	free(r->lang);
	free(r->region);
	if (r->json)
		json_decref((json_t *)r->json);
	memset(r, 0, sizeof *r);
}

static char *opt_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static char *read_path(const char *base, const char *rel, size_t *len,
                       char *err, size_t errlen, tsg_status *st)
{
	if (!base) {
		snprintf(err, errlen, "\"path\" is not accepted here");
		*st = TSG_EINVAL;
		return NULL;
	}
	char full[4096];
	if (rel[0] == '/')
		snprintf(full, sizeof full, "%s", rel);
	else
		snprintf(full, sizeof full, "%s/%s", base, rel);
	FILE *f = fopen(full, "rb");
	if (!f) {
		snprintf(err, errlen, "cannot open \"path\" %s: %s", rel, strerror(errno));
		*st = TSG_EIO;
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap + 1);
	while (buf) {
		if (n == cap) {
			if (cap >= TSG_MAX_INPUT)
				break; /* the scan cuts at TSG_MAX_INPUT and says so */
			char *nb = realloc(buf, cap * 2 + 1);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		if (!got)
			break;
		n += got;
	}
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, "out of memory reading %s", rel);
		*st = TSG_ENOMEM;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

tsg_status tsgi_record_parse(const char *text, size_t len, const char *base_dir,
                             tsgi_record *r, char *err, size_t errlen)
{
	memset(r, 0, sizeof *r);
	json_error_t jerr;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
	if (!o) {
		snprintf(err, errlen, "invalid JSON at column %d: %s", jerr.column,
		         jerr.text);
		return TSG_EPARSE;
	}
	r->json = o;
	if (!json_is_object(o)) {
		snprintf(err, errlen, "record is not a JSON object");
		return TSG_EPARSE;
	}
	json_t *id = json_object_get(o, "id");
	if (json_is_string(id))
		r->id = strdup(json_string_value(id));
	else if (json_is_integer(id)) {
		char tmp[32];
		snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(id));
		r->id = strdup(tmp);
	}
	r->in.id = r->id;

	json_t *ch = json_object_get(o, "channel");
	r->in.channel = TSG_CHANNEL_AUTO;
	if (ch && !json_is_null(ch)) {
		if (!json_is_string(ch) ||
		    tsg_channel_parse(json_string_value(ch), &r->in.channel) != TSG_OK) {
			snprintf(err, errlen,
			         "unknown \"channel\" (email, sms, call, web, chat, text)");
			return TSG_EINVAL;
		}
	}
	json_t *ct = json_object_get(o, "contact");
	if (ct && !json_is_null(ct)) {
		if (!json_is_string(ct) ||
		    tsg_contact_parse(json_string_value(ct), &r->in.contact) != TSG_OK) {
			snprintf(err, errlen,
			         "unknown \"contact\" (unsolicited, requested, unknown)");
			return TSG_EINVAL;
		}
	}
	r->sender = opt_str(o, "sender");
	r->lang = opt_str(o, "lang");
	r->region = opt_str(o, "region");
	r->in.sender = r->sender;
	r->in.lang = r->lang;
	r->in.region = r->region;

	json_t *content = json_object_get(o, "content");
	json_t *b64 = json_object_get(o, "content_base64");
	json_t *path = json_object_get(o, "path");
	int given = (content != NULL) + (b64 != NULL) + (path != NULL);
	if (given != 1) {
		snprintf(err, errlen, given ? "give only one of \"content\", "
		                              "\"content_base64\" and \"path\""
		                            : "record has no \"content\", "
		                              "\"content_base64\" or \"path\"");
		return TSG_EINVAL;
	}
	tsg_status st = TSG_OK;
	if (content) {
		if (!json_is_string(content)) {
			snprintf(err, errlen, "\"content\" must be a string");
			return TSG_EINVAL;
		}
		size_t n = json_string_length(content);
		r->data = malloc(n + 1);
		if (!r->data) {
			snprintf(err, errlen, "out of memory");
			return TSG_ENOMEM;
		}
		memcpy(r->data, json_string_value(content), n);
		r->data[n] = '\0';
		r->in.len = n;
	} else if (b64) {
		if (!json_is_string(b64)) {
			snprintf(err, errlen, "\"content_base64\" must be a string");
			return TSG_EINVAL;
		}
		const char *s = json_string_value(b64);
		for (const char *p = s; *p; p++)
			if (!(g_ascii_isalnum(*p) || *p == '+' || *p == '/' || *p == '=' ||
			      *p == '\n' || *p == '\r')) {
				snprintf(err, errlen, "\"content_base64\" is not base64");
				return TSG_EINVAL;
			}
		gsize n = 0;
		guchar *raw = g_base64_decode(s, &n);
		r->data = malloc(n + 1);
		if (!r->data) {
			g_free(raw);
			snprintf(err, errlen, "out of memory");
			return TSG_ENOMEM;
		}
		if (n)
			memcpy(r->data, raw, n);
		r->data[n] = '\0';
		g_free(raw);
		r->in.len = n;
	} else {
		if (!json_is_string(path)) {
			snprintf(err, errlen, "\"path\" must be a string");
			return TSG_EINVAL;
		}
		r->data = read_path(base_dir, json_string_value(path), &r->in.len, err,
		                    errlen, &st);
		if (!r->data)
			return st;
	}
	r->in.data = r->data;
	return TSG_OK;
}
