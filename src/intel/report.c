/*
 * report.c - one line of report JSONL (docs/store.md):
 *
 *   {"id": "r-1", "received_at": "2024-03-05T10:00:00Z", "channel": "call",
 *    "content": "...", "contact": "unsolicited", "sender": "+18885550199",
 *    "victim": {"country": "US", "loss": {"amount": 499.99,
 *                                          "currency": "USD"}}}
 *
 * Unknown fields are kept: the whole object is stored as `raw`.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "intel.h"
#include "tsguard_limits.h"

static bool digits(const char *s, size_t n, size_t at, size_t len, int *out)
{
	int v = 0;
	if (at + len > n)
		return false;
	for (size_t i = at; i < at + len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian, Howard Hinnant). */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

bool tsgi_parse_time(const char *s, size_t n, long long *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	if (!digits(s, n, 0, 4, &y) || n < 10 || s[4] != '-' ||
	    !digits(s, n, 5, 2, &mo) || s[7] != '-' || !digits(s, n, 8, 2, &d))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31)
		return false;
	size_t i = 10;
	long long off = 0;
	if (i < n) {
		if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
			return false;
		if (!digits(s, n, i + 1, 2, &h) || i + 3 >= n || s[i + 3] != ':' ||
		    !digits(s, n, i + 4, 2, &mi))
			return false;
		i += 6;
		if (i < n && s[i] == ':') {
			if (!digits(s, n, i + 1, 2, &se))
				return false;
			i += 3;
		}
		if (i < n && s[i] == '.') {
			i++;
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
		}
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			int oh, om;
			if (!digits(s, n, i + 1, 2, &oh) || i + 3 >= n || s[i + 3] != ':' ||
			    !digits(s, n, i + 4, 2, &om))
				return false;
			off = (oh * 3600LL + om * 60LL) * (s[i] == '+' ? 1 : -1);
			i += 6;
		}
		if (i != n || h > 23 || mi > 59 || se > 60)
			return false;
	}
	*out = days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + se - off;
	return true;
}

void tsgi_format_time(long long t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		snprintf(buf, cap, "1970-01-01T00:00:00Z");
		return;
	}
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void tsgi_report_in_free(tsgi_report_in *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->received_at);
	free(r->channel);
	free(r->contact);
	free(r->sender);
	free(r->country);
	free(r->currency);
	free(r->content);
	free(r->raw);
	free(r->lang);
	memset(r, 0, sizeof *r);
}

static char *dup_str(json_t *v)
{
	return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static bool upper2(char *s)
{
	if (!s)
		return true;
	size_t n = strlen(s);
	if (n != 2 && n != 3)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 'a' && s[i] <= 'z')
			s[i] = (char)(s[i] - 'a' + 'A');
		else if (s[i] < 'A' || s[i] > 'Z')
			return false;
	}
	return true;
}

tsg_status tsgi_report_parse(const char *line, size_t len, long long now,
                             tsgi_report_in *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->r.score = -1;
	json_error_t jerr;
	json_t *o = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
	tsg_status st = TSG_EINVAL;
	if (!o) {
		snprintf(err, errlen, "invalid JSON at column %d: %s", jerr.column,
		         jerr.text);
		return TSG_EPARSE;
	}
	if (!json_is_object(o)) {
		snprintf(err, errlen, "report is not a JSON object");
		st = TSG_EPARSE;
		goto out;
	}
	json_t *id = json_object_get(o, "id");
	if (json_is_string(id) && json_string_length(id) > 0 &&
	    json_string_length(id) <= 512) {
		out->id = strdup(json_string_value(id));
	} else if (json_is_integer(id)) {
		char tmp[32];
		snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(id));
		out->id = strdup(tmp);
	} else {
		snprintf(err, errlen, "report needs an \"id\" (a string of 1-512 bytes"
		                      " or an integer)");
		goto out;
	}
	json_t *content = json_object_get(o, "content");
	if (!json_is_string(content)) {
		snprintf(err, errlen, "report needs a string \"content\"");
		goto out;
	}
	if (json_string_length(content) > TSG_MAX_INPUT) {
		snprintf(err, errlen, "\"content\" longer than TSG_MAX_INPUT");
		st = TSG_ELIMIT;
		goto out;
	}
	out->content = strdup(json_string_value(content));
	json_t *ra = json_object_get(o, "received_at");
	out->r.t = now;
	if (ra && !json_is_null(ra)) {
		if (!json_is_string(ra) ||
		    !tsgi_parse_time(json_string_value(ra), json_string_length(ra),
		                     &out->r.t)) {
			snprintf(err, errlen, "\"received_at\" is not an RFC 3339 time"
			                      " or YYYY-MM-DD date");
			goto out;
		}
		out->received_at = strdup(json_string_value(ra));
	} else {
		char buf[32];
		tsgi_format_time(now, buf, sizeof buf);
		out->received_at = strdup(buf);
	}
	out->ch = TSG_CHANNEL_AUTO;
	json_t *ch = json_object_get(o, "channel");
	if (ch && !json_is_null(ch)) {
		if (!json_is_string(ch) ||
		    tsg_channel_parse(json_string_value(ch), &out->ch) != TSG_OK) {
			snprintf(err, errlen,
			         "unknown \"channel\" (email, sms, call, web, chat, text)");
			goto out;
		}
		out->channel = strdup(json_string_value(ch));
	}
	json_t *ct = json_object_get(o, "contact");
	if (ct && !json_is_null(ct)) {
		if (!json_is_string(ct) ||
		    tsg_contact_parse(json_string_value(ct), &out->ct) != TSG_OK) {
			snprintf(err, errlen,
			         "unknown \"contact\" (unsolicited, requested, unknown)");
			goto out;
		}
		out->contact = strdup(json_string_value(ct));
	}
	out->sender = dup_str(json_object_get(o, "sender"));
	out->lang = dup_str(json_object_get(o, "lang"));
	json_t *victim = json_object_get(o, "victim");
	if (victim && !json_is_null(victim)) {
		if (!json_is_object(victim)) {
			snprintf(err, errlen, "\"victim\" must be an object");
			goto out;
		}
		out->country = dup_str(json_object_get(victim, "country"));
		if (!upper2(out->country)) {
			snprintf(err, errlen, "\"victim.country\" must be an ISO 3166 code");
			goto out;
		}
		json_t *loss = json_object_get(victim, "loss");
		if (loss && !json_is_null(loss)) {
			json_t *amount = json_object_get(loss, "amount");
			json_t *cur = json_object_get(loss, "currency");
			if (!json_is_object(loss) || !json_is_number(amount) ||
			    !json_is_string(cur) || json_number_value(amount) < 0 ||
			    json_number_value(amount) > 1e15) {
				snprintf(err, errlen, "\"victim.loss\" must be {\"amount\": "
				                      "number >= 0, \"currency\": \"ISO 4217\"}");
				goto out;
			}
			out->currency = strdup(json_string_value(cur));
			if (!upper2(out->currency) || strlen(out->currency) != 3) {
				snprintf(err, errlen, "\"victim.loss.currency\" must be an ISO"
				                      " 4217 code");
				goto out;
			}
			out->r.loss = json_number_value(amount);
		}
	}
	out->raw = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	if (!out->id || !out->content || !out->received_at || !out->raw) {
		snprintf(err, errlen, "out of memory");
		st = TSG_ENOMEM;
		goto out;
	}
	out->r.id = out->id;
	out->r.received_at = out->received_at;
	out->r.channel = out->channel;
	out->r.contact = out->contact;
	out->r.sender = out->sender;
	out->r.country = out->country;
	out->r.currency = out->currency;
	out->r.content = out->content;
	out->r.raw = out->raw;
	st = TSG_OK;
out:
	json_decref(o);
	return st;
}
