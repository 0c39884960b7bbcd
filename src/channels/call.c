/*
 * call.c - the call channel: a transcript becomes one segment per turn
 * ("turn N", tsgi_seg.turn = N, speaker when known).  Owner: channels.
 *
 * Accepted forms (detected from the first byte and Jansson's verdict):
 *   [{"speaker": "...", "text": "...", "start": 1.5}, ...]   (or strings)
 *   {"turns": [ ...as above... ]}
 *   {"segments": [{"start": 0.0, "end": 2.1, "text": "..."}]}   (Whisper)
 *   {"text": "..."} or {"transcript": "..."}: one plain-text transcript
 *   plain text: every non-empty line is a turn; "Agent: ..." or
 *   "[00:12] Caller: ..." gives the speaker.
 * Invalid JSON is read as plain text.
 *
 * Speech-recognition address forms ("dot com", "at") are rewritten by
 * spoken.c; when that changes a turn the signal call.spoken_address is
 * recorded.  When nothing is rewritten, plain text keeps evidence offsets
 * in the caller's bytes: the doc aliases the input and each line is a
 * segment of it.
 *
 * Limits: TSG_MAX_TURNS turns and TSG_MAX_TURN_BYTES per turn (both set
 * TSG_LIMIT_TURNS).
 */
#include <glib.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "channel.h"
#include "spoken.h"
#include "tsguard_limits.h"

typedef struct turn {
	const char *text; /* borrowed from the input or the JSON tree */
	size_t len;
	const char *speaker; /* borrowed, or NULL */
	size_t speaker_len;
} turn;

typedef struct turns {
	turn *v;
	size_t n, cap;
	unsigned limits;
} turns;

static void push(turns *t, const char *text, size_t len, const char *spk,
                 size_t spk_len)
{
	if (t->n >= TSG_MAX_TURNS) {
		t->limits |= TSG_LIMIT_TURNS;
		return;
	}
	if (len > TSG_MAX_TURN_BYTES) {
		/* Cut at a character boundary. */
		len = TSG_MAX_TURN_BYTES;
		while (len && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
		t->limits |= TSG_LIMIT_TURNS;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->v = g_renew(turn, t->v, t->cap);
	}
	t->v[t->n++] = (turn){text, len, spk, spk_len};
}

/* ---- plain text ------------------------------------------------------ */

/* "[00:12] Agent: hello" -> speaker "Agent".  Conservative: a short name
 * of at most three words that starts with a letter. */
static void speaker_of(const char *s, size_t n, const char **spk, size_t *sl)
{
	*spk = NULL;
	*sl = 0;
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < n && (s[i] == '[' || s[i] == '(')) {
		char close = s[i] == '[' ? ']' : ')';
		const char *c = memchr(s + i, close, n - i < 24 ? n - i : 24);
		if (c)
			i = (size_t)(c - s) + 1;
		while (i < n && s[i] == ' ')
			i++;
	}
	size_t st = i, spaces = 0;
	if (i >= n || !g_ascii_isalpha(s[i]))
		return;
	while (i < n && i - st <= 24 &&
	       (g_ascii_isalnum(s[i]) || s[i] == ' ' || s[i] == '_' || s[i] == '-')) {
		if (s[i] == ' ')
			spaces++;
		i++;
	}
	if (i < n && s[i] == ':' && spaces <= 2 && i - st <= 24 &&
	    (i + 1 >= n || s[i + 1] == ' ' || s[i + 1] == '\t')) {
		*spk = s + st;
		*sl = i - st;
		while (*sl && s[st + *sl - 1] == ' ')
			(*sl)--;
	}
}

static void plain(const char *p, size_t n, turns *t)
{
	size_t i = 0;
	while (i < n) {
		const char *nl = memchr(p + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - p) : n;
		size_t s = i, f = e;
		while (s < f && (p[s] == ' ' || p[s] == '\t' || p[s] == '\r'))
			s++;
		while (f > s && (p[f - 1] == ' ' || p[f - 1] == '\t' || p[f - 1] == '\r'))
			f--;
		if (f > s) {
			const char *spk;
			size_t sl;
			speaker_of(p + s, f - s, &spk, &sl);
			push(t, p + s, f - s, spk, sl);
		}
		i = e + 1;
	}
}

/* ---- JSON ------------------------------------------------------------ */

static const char *str_field(json_t *o, const char *const *keys, size_t *len)
{
	for (size_t i = 0; keys[i]; i++) {
		json_t *v = json_object_get(o, keys[i]);
		if (json_is_string(v)) {
			*len = json_string_length(v);
			return json_string_value(v);
		}
	}
	return NULL;
}

static bool json_turns(json_t *arr, turns *t)
{
	static const char *const text_keys[] = {"text", "content", "utterance",
	                                        "transcript", NULL};
	static const char *const spk_keys[] = {"speaker", "role", "name", "who",
	                                       NULL};
	if (!json_is_array(arr))
		return false;
	size_t i;
	json_t *el;
	json_array_foreach(arr, i, el)
	{
		if (json_is_string(el)) {
			push(t, json_string_value(el), json_string_length(el), NULL, 0);
			continue;
		}
		if (!json_is_object(el))
			continue;
		size_t tl = 0, sl = 0;
		const char *tx = str_field(el, text_keys, &tl);
		const char *sp = str_field(el, spk_keys, &sl);
		if (tx)
			push(t, tx, tl, sp, sl);
	}
	return true;
}

/* Returns the parsed tree (caller decrefs) when `p` is a transcript in one
 * of the JSON forms, filling `t`; NULL to read it as plain text. */
static json_t *json_form(const char *p, size_t n, turns *t, const char **plain_text,
                         size_t *plain_len)
{
	json_error_t e;
	json_t *root = json_loadb(p, n, JSON_ALLOW_NUL, &e);
	if (!root)
		return NULL;
	*plain_text = NULL;
	if (json_is_array(root)) {
		json_turns(root, t);
		return root;
	}
	if (json_is_object(root)) {
		json_t *arr = json_object_get(root, "turns");
		if (!json_is_array(arr))
			arr = json_object_get(root, "segments");
		if (!json_is_array(arr))
			arr = json_object_get(root, "utterances");
		if (json_turns(arr, t))
			return root;
		static const char *const keys[] = {"text", "transcript", "content", NULL};
		const char *s = str_field(root, keys, plain_len);
		if (s) {
			*plain_text = s;
			return root;
		}
	}
	json_decref(root);
	return NULL;
}

/* ---- building the doc ----------------------------------------------- */

static bool build(tsgi_arena *a, tsgi_doc *d, const tsg_input *in, turns *t,
                  bool aliasable)
{
	/* Rewrite spoken addresses first: if none changes, plain text can
	 * alias the input. */
	tsgi_buf *rw = g_new0(tsgi_buf, t->n ? t->n : 1);
	bool changed = false;
	for (size_t i = 0; i < t->n; i++) {
		tsgi_buf_init(&rw[i], TSG_MAX_TURN_BYTES * 2);
		if (tsgi_spoken_addresses(t->v[i].text, t->v[i].len, &rw[i]) &&
		    !rw[i].failed)
			changed = true;
		else
			tsgi_buf_free(&rw[i]);
	}
	bool ok = true;
	if (aliasable && !changed && t->n) {
		ok = tsgi_doc_alias(a, d, in->data, in->len, "turn 0") &&
		     tsgi_arena_grow(a, (void **)&d->segs, &d->segcap, sizeof *d->segs,
		                     t->n);
		for (size_t i = 0; ok && i < t->n; i++) {
			d->segs[i] = (tsgi_seg){
				.off = (size_t)(t->v[i].text - in->data),
				.len = t->v[i].len,
				.label = tsgi_arena_printf(a, "turn %zu", i),
				.turn = (int)i,
			};
			if (!d->segs[i].label)
				ok = false;
		}
		if (ok)
			d->nsegs = t->n;
	} else {
		for (size_t i = 0; ok && i < t->n; i++) {
			const char *tx = rw[i].s ? rw[i].s : t->v[i].text;
			size_t tl = rw[i].s ? rw[i].len : t->v[i].len;
			const char *label = tsgi_arena_printf(a, "turn %zu", i);
			int k = label ? tsgi_doc_add_segment(a, d, tx, tl, label, (int)i) : -1;
			if (k < 0) {
				ok = false;
				break;
			}
			if (rw[i].s &&
			    !tsgi_doc_signal(a, d, "call.spoken_address", rw[i].s, true,
			                     d->segs[k].off, d->segs[k].off + d->segs[k].len))
				ok = false;
		}
	}
	for (size_t i = 0; ok && i < t->n && i < d->nsegs; i++)
		if (t->v[i].speaker && t->v[i].speaker_len) {
			d->segs[i].speaker =
				tsgi_arena_strndup(a, t->v[i].speaker, t->v[i].speaker_len);
			if (!d->segs[i].speaker)
				ok = false;
		}
	if (ok && d->nsegs == 0)
		ok = tsgi_doc_add_segment(a, d, "", 0, "turn 0", 0) >= 0;
	for (size_t i = 0; i < t->n; i++)
		tsgi_buf_free(&rw[i]);
	g_free(rw);
	return ok;
}

tsg_status tsgi_call_parse(tsgi_arena *a, const tsg_input *in, tsgi_doc *doc,
                           char *err, size_t errlen)
{
	size_t n = in->len;
	if (n > TSG_MAX_INPUT) {
		n = TSG_MAX_INPUT;
		doc->limits_hit |= TSG_LIMIT_INPUT_SIZE;
	}
	const char *p = in->data;
	size_t i = 0;
	if (n >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < n && g_ascii_isspace(p[i]))
		i++;
	turns t = {0};
	json_t *root = NULL;
	const char *ptext = NULL;
	size_t plen = 0;
	if (i < n && (p[i] == '[' || p[i] == '{'))
		root = json_form(p, n, &t, &ptext, &plen);
	bool aliasable = false;
	if (!root) {
		plain(p, n, &t);
		aliasable = true;
	} else if (ptext) {
		plain(ptext, plen, &t);
	}
	tsg_input cut = *in;
	cut.len = n;
	bool ok = build(a, doc, &cut, &t, aliasable);
	doc->limits_hit |= t.limits;
	g_free(t.v);
	if (root)
		json_decref(root);
	if (!ok) {
		snprintf(err, errlen, "out of memory");
		return TSG_ENOMEM;
	}
	return TSG_OK;
}
