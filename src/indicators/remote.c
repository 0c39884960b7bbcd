/*
 * remote.c - remote-access tools and the IDs or codes that let a scammer in.
 *
 * Owner: indicators.  Reads the normalised text (lower case, digits folded,
 * so "l23 456 789" is "123 456 789") for mentions of a tool, then looks for
 * the ID or code the tool uses, first in the REMOTE_AFTER bytes after the
 * mention, then in the REMOTE_BEFORE bytes before it:
 *
 *   anydesk, teamviewer, ultraviewer, rustdesk   9 or 10 digits, written in
 *       one run or in groups of three ("123 456 789", "1 234 567 890");
 *       a phone layout such as 888-555-0199 does not match.  Read aloud in
 *       a transcript, nine digits as number words ("one two three ...") or
 *       one by one ("4 5 6 7 8 9 1 2 3"), from the start of the read-out,
 *       so a phone number spoken next to the tool is not its ID.  An AnyDesk
 *       alias ("name@ad") counts anywhere in the text.
 *   quick_assist   a 6-character security code with at least one digit
 *   logmein        a 6-digit PIN (LogMeIn Rescue, "123.rescue")
 *   screenconnect  links whose host is *.screenconnect.com, a ConnectWise
 *       host, or whose path names ScreenConnect/ConnectWise Control.  The
 *       value is the session ID (?Session=, ?SessionID=) when the link has
 *       one, else the link's host (the scammer's relay instance).  Read from
 *       the URL indicators, so url.c must run first (it does).
 *   ammyy, aeroadmin, splashtop   mentioned only.
 *
 * detail is the tool name.  value is the ID or code with separators
 * removed (upper case for Quick Assist codes).  When a tool is named but no
 * ID is found anywhere for it, one indicator with value = detail = the tool
 * name records the mention, so that rules can see remote access was asked
 * for.  Because this extractor runs before the phone extractor, phone.c can
 * skip digit runs that are already REMOTE indicators.
 */
#include <glib.h>
#include <pthread.h>
#include <string.h>

#include "host.h"
#include "indicators.h"
#include "keywords.h"
#include "phone_int.h"

#define REMOTE_AFTER 120u
#define REMOTE_BEFORE 60u

typedef enum id_kind {
	ID_NONE,   /* mention only                   */
	ID_DIGITS, /* 9-10 digits                    */
	ID_CODE6,  /* 6 letters/digits, one digit    */
	ID_PIN6,   /* 6 digits                       */
} id_kind;

typedef struct tool {
	const char *word; /* as it reads in normalised text */
	const char *name; /* the detail                     */
	id_kind id;
} tool;

static const tool k_tools[] = {
	{"anydesk", "anydesk", ID_DIGITS},
	{"any desk", "anydesk", ID_DIGITS},
	{"teamviewer", "teamviewer", ID_DIGITS},
	{"team viewer", "teamviewer", ID_DIGITS},
	{"ultraviewer", "ultraviewer", ID_DIGITS},
	{"ultra viewer", "ultraviewer", ID_DIGITS},
	{"rustdesk", "rustdesk", ID_DIGITS},
	{"rust desk", "rustdesk", ID_DIGITS},
	{"quick assist", "quick_assist", ID_CODE6},
	{"quickassist", "quick_assist", ID_CODE6},
	{"logmein", "logmein", ID_PIN6},
	{"logmein123", "logmein", ID_PIN6},
	{"123.rescue", "logmein", ID_PIN6},
	{"lmi1.com", "logmein", ID_PIN6},
	{"screenconnect", "screenconnect", ID_NONE},
	{"screen connect", "screenconnect", ID_NONE},
	{"connectwise", "screenconnect", ID_NONE},
	{"ammyy", "ammyy", ID_NONE},
	{"aeroadmin", "aeroadmin", ID_NONE},
	{"splashtop", "splashtop", ID_NONE},
};

#define NTOOLS (sizeof k_tools / sizeof *k_tools)

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void add(tsgi_extract *x, const char *value, const char *tool_name,
                size_t raw_start, size_t raw_end)
{
	tsg_indicator ind = {.kind = TSG_IND_REMOTE, .detail = tool_name};
	ind.value = tsgi_arena_strdup(x->arena, value);
	if (!ind.value) {
		x->oom = true;
		return;
	}
	tsgi_ind_add(x, &ind, raw_start, raw_end);
}

/*
 * Digits at t[p] in groups: one run of 9-10, or groups of three after a
 * first group of 1-3, 9-10 digits in all; the separators are one space,
 * '-' or '.'.  Writes the digits to out and returns the end offset, or 0.
 */
static size_t read_id_digits(const char *t, size_t len, size_t p, char out[11])
{
	size_t q = p, n = 0, groups = 0, end = 0;
	size_t first = 0;
	while (q < len && is_digit(t[q])) {
		size_t g = q;
		while (q < len && is_digit(t[q]))
			q++;
		size_t glen = q - g;
		if (q < len && is_alnum((unsigned char)t[q]))
			return 0; /* "123abc": not an ID */
		if (groups == 0)
			first = glen;
		else if (glen != 3 || first > 3)
			break;
		if (n + glen > 10)
			break;
		memcpy(out + n, t + g, glen);
		n += glen;
		groups++;
		end = q;
		if (q + 1 < len && (t[q] == ' ' || t[q] == '-' || t[q] == '.') &&
		    is_digit(t[q + 1]))
			q++;
		else
			break;
	}
	if (n < 9 || n > 10 || (groups > 1 && first > 3))
		return 0;
	/* a longer number continues after the ID: a phone or an account */
	if (end + 1 < len && (t[end] == ' ' || t[end] == '-' || t[end] == '.') &&
	    is_digit(t[end + 1]) && groups > 1 && n == 10)
		return 0;
	out[n] = '\0';
	return end;
}

/*
 * A nine-digit ID read aloud at t[p], as a transcript writes it: number
 * words ("one two three ...", "four five six seven eight nine one two
 * three") or digits one by one ("4 5 6 7 8 9 1 2 3").  Read with the phone
 * extractor's spoken-number reader; nine digits exactly, so a phone number
 * read out next to the tool's name is not taken for its ID.  Returns the
 * end offset or 0.
 */
static size_t read_id_spoken(const char *t, size_t len, size_t p, char out[11])
{
	size_t w = p;
	while (w < len && is_alnum((unsigned char)t[w]))
		w++;
	if (!tsgi_phone_spoken_starts(t + p, w - p))
		return 0;
	/* the start of the read-out, not the middle of a longer one */
	size_t v = p;
	while (v > 0 && !is_alnum((unsigned char)t[v - 1]) && p - v < 3)
		v--;
	size_t u = v;
	while (u > 0 && is_alnum((unsigned char)t[u - 1]))
		u--;
	if (u < v && tsgi_phone_spoken_starts(t + u, v - u))
		return 0;
	/* digits one by one: "4 5 6 7 8 9 1 2 3" */
	size_t q = p, n = 0;
	while (q < len && n < 10 && is_digit(t[q]) &&
	       (q + 1 == len || !is_alnum((unsigned char)t[q + 1]))) {
		out[n++] = t[q];
		if (q + 2 < len && t[q + 1] == ' ' && is_digit(t[q + 2]))
			q += 2;
		else {
			q++;
			break;
		}
	}
	if (n == 9 && (q >= len || !is_digit(t[q]))) {
		out[n] = '\0';
		return q;
	}
	tsgi_pgroup g[TSG_MAX_PHONE_GROUPS];
	size_t ng = 0;
	bool any = false;
	tsgi_phone_spoken(t, len, p, g, TSG_MAX_PHONE_GROUPS, &ng, &any);
	n = 0;
	for (size_t i = 0; i < ng; i++) {
		if (g[i].toolong || n + g[i].n > 9)
			return 0;
		memcpy(out + n, g[i].d, g[i].n);
		n += g[i].n;
	}
	if (n != 9 || !any)
		return 0;
	out[n] = '\0';
	return g[ng - 1].end;
}

/* An ID of kind k starting at t[p] (a word start).  Returns its end or 0. */
static size_t read_id(id_kind k, const char *t, size_t len, size_t p,
                      char out[11])
{
	if (k == ID_DIGITS) {
		size_t e = is_digit(t[p]) ? read_id_digits(t, len, p, out) : 0;
		return e ? e : read_id_spoken(t, len, p, out);
	}
	size_t q = p, digits = 0;
	while (q < len && is_alnum((unsigned char)t[q]) && q - p <= 6)
		digits += is_digit(t[q++]);
	if (q - p == 3 && k == ID_PIN6 && q + 4 <= len &&
	    (t[q] == ' ' || t[q] == '-') && is_digit(t[q + 1]) &&
	    is_digit(t[q + 2]) && is_digit(t[q + 3]) &&
	    (q + 4 == len || !is_alnum((unsigned char)t[q + 4])) && digits == 3) {
		memcpy(out, t + p, 3);
		memcpy(out + 3, t + q + 1, 3);
		out[6] = '\0';
		return q + 4;
	}
	if (q - p != 6 || (q < len && is_alnum((unsigned char)t[q])) || !digits)
		return 0;
	if (k == ID_PIN6 && digits != 6)
		return 0;
	for (size_t i = 0; i < 6; i++)
		out[i] = g_ascii_toupper(t[p + i]);
	out[6] = '\0';
	return q;
}

/* Searches t[a..b) for an ID of kind k; returns true and fills *ns, *ne. */
static bool find_id(id_kind k, const char *t, size_t len, size_t a, size_t b,
                    char out[11], size_t *ns, size_t *ne)
{
	for (size_t p = a; p < b; p++) {
		if (p > 0 && is_alnum((unsigned char)t[p - 1]))
			continue;
		size_t e = read_id(k, t, len, p, out);
		if (e) {
			*ns = p;
			*ne = e;
			return true;
		}
	}
	return false;
}

static bool word_at(const char *t, size_t len, size_t p, size_t n)
{
	return (p == 0 || !is_alnum((unsigned char)t[p - 1])) &&
	       (p + n == len || !is_alnum((unsigned char)t[p + n]));
}

/* AnyDesk aliases: "name@ad" (word characters, '.', '-', '_'). */
static void aliases(tsgi_extract *x, bool *found)
{
	const char *t = x->text->s;
	size_t len = x->text->len;
	for (const char *at = t; (at = memmem(at, len - (size_t)(at - t), "@ad", 3));
	     at += 3) {
		size_t p = (size_t)(at - t);
		if (p + 3 < len && is_alnum((unsigned char)t[p + 3]))
			continue;
		size_t a = p;
		while (a > 0 && p - a < 64 &&
		       (is_alnum((unsigned char)t[a - 1]) || strchr("._-", t[a - 1])))
			a--;
		if (a == p)
			continue;
		char *v = tsgi_arena_strndup(x->arena, t + a, p + 3 - a);
		if (!v) {
			x->oom = true;
			return;
		}
		size_t rs, re;
		tsgi_ind_norm_span(x, a, p + 3, &rs, &re);
		add(x, v, "anydesk", rs, re);
		*found = true;
	}
}

/* ScreenConnect / ConnectWise Control links among the URL indicators. */
static void screenconnect(tsgi_extract *x, bool *found)
{
	size_t n0 = x->n;
	for (size_t i = 0; i < n0 && !x->oom; i++) {
		tsg_indicator u = x->v[i];
		size_t rs, re;
		if (u.kind != TSG_IND_URL || !u.host ||
		    !tsgi_ind_region_span(x, &u, &rs, &re))
			continue;
		bool sc = tsgi_host_under(u.host, "screenconnect.com") ||
		          tsgi_host_under(u.host, "hostedrmm.com") ||
		          strstr(u.host, "connectwise") != NULL;
		const char *path = strstr(u.value, "://");
		path = path ? strchr(path + 3, '/') : NULL;
		if (!sc && path)
			sc = strcasestr(path, "screenconnect") ||
			     strcasestr(path, "connectwisecontrol");
		if (!sc)
			continue;
		const char *value = u.host;
		char *sess = NULL;
		const char *q = path ? strchr(path, '?') : NULL;
		for (const char *p = q; p && *p;) {
			p++;
			size_t nl = strcspn(p, "=&#");
			if (p[nl] == '=' && ((nl == 7 && !g_ascii_strncasecmp(p, "session", 7)) ||
			                     (nl == 9 && !g_ascii_strncasecmp(p, "sessionid", 9)))) {
				size_t vl = strcspn(p + nl + 1, "&#");
				if (vl)
					sess = tsgi_arena_strndup(x->arena, p + nl + 1, vl);
				break;
			}
			p = strpbrk(p, "&#");
			if (!p || *p == '#')
				break;
		}
		if (sess)
			value = sess;
		add(x, value, "screenconnect", rs, re);
		*found = true;
	}
}

typedef struct scan_state {
	tsgi_extract *x;
	bool found[NTOOLS];     /* by the first table index of each name   */
	bool mentioned[NTOOLS];
	size_t first[NTOOLS], first_end[NTOOLS]; /* first mention, normalised */
} scan_state;

/* Index of the first table entry with the same tool name as entry k. */
static size_t canon_index(size_t k)
{
	while (k > 0 && !strcmp(k_tools[k - 1].name, k_tools[k].name))
		k--;
	return k;
}

/* One mention of tool k at normalised offset p: record it, look for its ID. */
static bool on_mention(void *ctx, size_t k, size_t p)
{
	scan_state *st = ctx;
	tsgi_extract *x = st->x;
	const char *t = x->text->s;
	size_t len = x->text->len;
	const tool *tl = &k_tools[k];
	size_t wl = strlen(tl->word);
	if (!word_at(t, len, p, wl))
		return true;
	size_t canon = canon_index(k);
	if (!st->mentioned[canon]) {
		st->mentioned[canon] = true;
		st->first[canon] = p;
		st->first_end[canon] = p + wl;
	}
	if (tl->id == ID_NONE)
		return true;
	char id[11];
	size_t ns, ne;
	size_t a = p + wl, b = a + REMOTE_AFTER < len ? a + REMOTE_AFTER : len;
	bool ok = find_id(tl->id, t, len, a, b, id, &ns, &ne);
	if (!ok) {
		a = p > REMOTE_BEFORE ? p - REMOTE_BEFORE : 0;
		ok = find_id(tl->id, t, len, a, p, id, &ns, &ne);
	}
	if (ok) {
		size_t rs, re;
		tsgi_ind_norm_span(x, ns, ne, &rs, &re);
		add(x, id, tl->name, rs, re);
		st->found[canon] = true;
	}
	return !x->oom;
}

static tsgi_keywords g_tools_kw;
static pthread_once_t g_kw_once = PTHREAD_ONCE_INIT;

static void init_keywords(void)
{
	tsgi_keywords_init(&g_tools_kw, k_tools, NTOOLS, sizeof *k_tools);
}

void tsgi_extract_remote(tsgi_extract *x)
{
	scan_state st = {.x = x};
	pthread_once(&g_kw_once, init_keywords);
	tsgi_keywords_scan(&g_tools_kw, x->text->s, x->text->len, on_mention, &st);
	bool any = false;
	aliases(x, &any);
	if (any)
		st.found[0] = true; /* k_tools[0] is anydesk */
	bool sc = false;
	screenconnect(x, &sc);
	for (size_t k = 0; k < NTOOLS && !x->oom; k++) {
		if (sc && !strcmp(k_tools[k].name, "screenconnect"))
			st.found[k] = true;
		if (st.mentioned[k] && !st.found[k]) {
			size_t rs, re;
			tsgi_ind_norm_span(x, st.first[k], st.first_end[k], &rs, &re);
			add(x, k_tools[k].name, k_tools[k].name, rs, re);
		}
	}
}

void tsgi_extract_remote_links(tsgi_extract *x)
{
	/* Download and session hosts of the tools a person may be sent to. */
	static const struct {
		const char *host, *tool;
	} k_hosts[] = {{"anydesk.com", "anydesk"},     {"teamviewer.com", "teamviewer"},
	               {"ultraviewer.net", "ultraviewer"}, {"rustdesk.com", "rustdesk"},
	               {"splashtop.com", "splashtop"},  {"logmein.com", "logmein"}};
	bool sc = false;
	screenconnect(x, &sc);
	size_t n0 = x->n;
	for (size_t i = 0; i < n0 && !x->oom; i++) {
		const tsg_indicator u = x->v[i]; /* add() may move x->v */
		size_t rs, re;
		if (u.kind != TSG_IND_URL || !u.host ||
		    !tsgi_ind_region_span(x, &u, &rs, &re))
			continue; /* a link of the scanned text is judged there */
		for (size_t k = 0; k < sizeof k_hosts / sizeof *k_hosts; k++)
			if (tsgi_host_under(u.host, k_hosts[k].host))
				add(x, k_hosts[k].tool, k_hosts[k].tool, rs, re);
	}
}
