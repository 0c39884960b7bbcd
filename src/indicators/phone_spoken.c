/*
 * phone_spoken.c - numbers read aloud: "eight hundred five five five, oh one
 * nine nine", "double five", "ocho cero cero", "acht null null", "huit
 * cent".
 *
 * Owner: indicators.  Call transcripts spell numbers out; speech
 * recognisers mix words and digits ("eight 8 8 five five five").  This file
 * turns such a sequence of words into digit chunks; phone.c decides which
 * chunks form a number, exactly as it does for written digit groups.
 *
 * How words combine, in the order people say phone numbers:
 *   - a unit is one digit: "five" -> 5, "oh"/"o" -> 0 (not as the first
 *     word: "o" and "oh" are too common as words);
 *   - "double"/"doble"/"doppel" and "triple" repeat the next digit;
 *   - a unit before "hundred"/"cent"/"hundert" makes hundreds ("eight
 *     hundred" -> 800), and so do the single words "ochocientos" and
 *     "achthundert"; tens or a teen right after it are added ("eight
 *     hundred twenty two" -> 822), a lone unit is not ("eight hundred
 *     five five five" -> 800 5 5 5, the usual reading);
 *   - tens take a following unit ("fifty five" -> 55, "cincuenta y cinco",
 *     "vingt et un"); French counts by twenties ("soixante-dix" -> 70,
 *     "quatre-vingt-douze" -> 92, "dix-sept" -> 17).
 * Separators between words are spaces, '-', ',' and '.' (at most three
 * characters), so "eight eight eight. five five five" is one sequence.
 * German "fünfundfünfzig" style compounds are not read.
 */
#include <assert.h>
#include <pthread.h>
#include <string.h>

#include "phone_int.h"

enum word_kind {
	W_NONE = 0,
	W_DIGITS,  /* written digits between the words */
	W_UNIT,    /* 0..9 */
	W_ZERO,    /* "o", "oh": 0, never first */
	W_PAIR,    /* a fixed two-digit value: teens, "veintidos" */
	W_DIX,     /* French "dix": 10, and "dix-sept" -> 17 */
	W_TENS,    /* 20..90, takes a unit */
	W_VINGT,   /* French "vingt": 20, and "quatre-vingt" -> 80 */
	W_HUNDRED, /* multiplies the unit before it */
	W_HVAL,    /* a hundreds value in one word: "ochocientos" */
	W_DOUBLE,
	W_TRIPLE,
	W_CONN,    /* "and", "y", "et": only inside a value */
};

typedef struct number_word {
	const char *w;
	uint8_t len;
	uint8_t kind;
	uint16_t val;
} number_word;

/* Sorted by strcmp() order; looked up by binary search. */
static const number_word k_words[] = {
	{"acht", 4, W_UNIT, 8},
	{"achthundert", 11, W_HVAL, 800},
	{"achtzehn", 8, W_PAIR, 18},
	{"achtzig", 7, W_TENS, 80},
	{"and", 3, W_CONN, 0},
	{"catorce", 7, W_PAIR, 14},
	{"cent", 4, W_HUNDRED, 0},
	{"cents", 5, W_HUNDRED, 0},
	{"cero", 4, W_UNIT, 0},
	{"cien", 4, W_HVAL, 100},
	{"ciento", 6, W_HVAL, 100},
	{"cinco", 5, W_UNIT, 5},
	{"cincuenta", 9, W_TENS, 50},
	{"cinq", 4, W_UNIT, 5},
	{"cinquante", 9, W_TENS, 50},
	{"cuarenta", 8, W_TENS, 40},
	{"cuatro", 6, W_UNIT, 4},
	{"cuatrocientos", 13, W_HVAL, 400},
	{"deux", 4, W_UNIT, 2},
	{"diecinueve", 10, W_PAIR, 19},
	{"dieciocho", 9, W_PAIR, 18},
	{"dieciseis", 9, W_PAIR, 16},
	{"diecisiete", 10, W_PAIR, 17},
	{"diez", 4, W_PAIR, 10},
	{"dix", 3, W_DIX, 10},
	{"doble", 5, W_DOUBLE, 0},
	{"doce", 4, W_PAIR, 12},
	{"doppel", 6, W_DOUBLE, 0},
	{"dos", 3, W_UNIT, 2},
	{"doscientos", 10, W_HVAL, 200},
	{"double", 6, W_DOUBLE, 0},
	{"douze", 5, W_PAIR, 12},
	{"drei", 4, W_UNIT, 3},
	{"dreihundert", 11, W_HVAL, 300},
	{"dreissig", 8, W_TENS, 30},
	{"dreizehn", 8, W_PAIR, 13},
	{"eight", 5, W_UNIT, 8},
	{"eighteen", 8, W_PAIR, 18},
	{"eighty", 6, W_TENS, 80},
	{"einhundert", 10, W_HVAL, 100},
	{"eins", 4, W_UNIT, 1},
	{"eleven", 6, W_PAIR, 11},
	{"elf", 3, W_PAIR, 11},
	{"et", 2, W_CONN, 0},
	{"fifteen", 7, W_PAIR, 15},
	{"fifty", 5, W_TENS, 50},
	{"five", 4, W_UNIT, 5},
	{"forty", 5, W_TENS, 40},
	{"four", 4, W_UNIT, 4},
	{"fourteen", 8, W_PAIR, 14},
	{"fourty", 6, W_TENS, 40},
	{"fuenf", 5, W_UNIT, 5},
	{"funf", 4, W_UNIT, 5},
	{"funfhundert", 11, W_HVAL, 500},
	{"funfzehn", 8, W_PAIR, 15},
	{"funfzig", 7, W_TENS, 50},
	{"huit", 4, W_UNIT, 8},
	{"hundert", 7, W_HUNDRED, 0},
	{"hundred", 7, W_HUNDRED, 0},
	{"neuf", 4, W_UNIT, 9},
	{"neun", 4, W_UNIT, 9},
	{"neunhundert", 11, W_HVAL, 900},
	{"neunzehn", 8, W_PAIR, 19},
	{"neunzig", 7, W_TENS, 90},
	{"nine", 4, W_UNIT, 9},
	{"nineteen", 8, W_PAIR, 19},
	{"ninety", 6, W_TENS, 90},
	{"novecientos", 11, W_HVAL, 900},
	{"noventa", 7, W_TENS, 90},
	{"nueve", 5, W_UNIT, 9},
	{"null", 4, W_UNIT, 0},
	{"o", 1, W_ZERO, 0},
	{"ochenta", 7, W_TENS, 80},
	{"ocho", 4, W_UNIT, 8},
	{"ochocientos", 11, W_HVAL, 800},
	{"oh", 2, W_ZERO, 0},
	{"once", 4, W_PAIR, 11},
	{"one", 3, W_UNIT, 1},
	{"onze", 4, W_PAIR, 11},
	{"quarante", 8, W_TENS, 40},
	{"quatorze", 8, W_PAIR, 14},
	{"quatre", 6, W_UNIT, 4},
	{"quince", 6, W_PAIR, 15},
	{"quinientos", 10, W_HVAL, 500},
	{"quinze", 6, W_PAIR, 15},
	{"sechs", 5, W_UNIT, 6},
	{"sechshundert", 12, W_HVAL, 600},
	{"sechzehn", 8, W_PAIR, 16},
	{"sechzig", 7, W_TENS, 60},
	{"seis", 4, W_UNIT, 6},
	{"seiscientos", 11, W_HVAL, 600},
	{"seize", 5, W_PAIR, 16},
	{"sept", 4, W_UNIT, 7},
	{"sesenta", 7, W_TENS, 60},
	{"setecientos", 11, W_HVAL, 700},
	{"setenta", 7, W_TENS, 70},
	{"seven", 5, W_UNIT, 7},
	{"seventeen", 9, W_PAIR, 17},
	{"seventy", 7, W_TENS, 70},
	{"sieben", 6, W_UNIT, 7},
	{"siebenhundert", 13, W_HVAL, 700},
	{"siebzehn", 8, W_PAIR, 17},
	{"siebzig", 7, W_TENS, 70},
	{"siete", 5, W_UNIT, 7},
	{"six", 3, W_UNIT, 6},
	{"sixteen", 7, W_PAIR, 16},
	{"sixty", 5, W_TENS, 60},
	{"soixante", 8, W_TENS, 60},
	{"ten", 3, W_PAIR, 10},
	{"thirteen", 8, W_PAIR, 13},
	{"thirty", 6, W_TENS, 30},
	{"three", 5, W_UNIT, 3},
	{"trece", 5, W_PAIR, 13},
	{"treinta", 7, W_TENS, 30},
	{"treize", 6, W_PAIR, 13},
	{"trente", 6, W_TENS, 30},
	{"tres", 4, W_UNIT, 3},
	{"trescientos", 11, W_HVAL, 300},
	{"triple", 6, W_TRIPLE, 0},
	{"trois", 5, W_UNIT, 3},
	{"twelve", 6, W_PAIR, 12},
	{"twenty", 6, W_TENS, 20},
	{"two", 3, W_UNIT, 2},
	{"un", 2, W_UNIT, 1},
	{"uno", 3, W_UNIT, 1},
	{"veinte", 6, W_TENS, 20},
	{"veinticinco", 11, W_PAIR, 25},
	{"veinticuatro", 12, W_PAIR, 24},
	{"veintidos", 9, W_PAIR, 22},
	{"veintinueve", 11, W_PAIR, 29},
	{"veintiocho", 10, W_PAIR, 28},
	{"veintiseis", 10, W_PAIR, 26},
	{"veintisiete", 11, W_PAIR, 27},
	{"veintitres", 10, W_PAIR, 23},
	{"veintiun", 8, W_PAIR, 21},
	{"veintiuno", 9, W_PAIR, 21},
	{"vier", 4, W_UNIT, 4},
	{"vierhundert", 11, W_HVAL, 400},
	{"vierzehn", 8, W_PAIR, 14},
	{"vierzig", 7, W_TENS, 40},
	{"vingt", 5, W_VINGT, 20},
	{"vingts", 6, W_VINGT, 20},
	{"y", 1, W_CONN, 0},
	{"zehn", 4, W_PAIR, 10},
	{"zero", 4, W_UNIT, 0},
	{"zwanzig", 7, W_TENS, 20},
	{"zwei", 4, W_UNIT, 2},
	{"zweihundert", 11, W_HVAL, 200},
	{"zwo", 3, W_UNIT, 2},
	{"zwoelf", 6, W_PAIR, 12},
	{"zwolf", 5, W_PAIR, 12},
};
#define N_WORDS (sizeof k_words / sizeof *k_words)

/* Orders like memcmp() over the shorter length, then shorter first; the
 * callers have already matched the first byte. */
static int word_cmp(const char *a, size_t la, const number_word *b)
{
	size_t m = la < b->len ? la : b->len;
	for (size_t i = 1; i < m; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b->w[i];
		if (x != y)
			return x < y ? -1 : 1;
	}
	return la < b->len ? -1 : la > b->len ? 1 : 0;
}

/* k_words[g_first[c]..g_first[c + 1]) start with letter 'a' + c; the table
 * is sorted, so the search runs inside one such range.  Bit b of
 * g_second[c] is set when one of those words has 'a' + b as its second
 * byte; bit 26 stands for a one-letter word or any other second byte.
 * Bit n of g_lens[c] is set when one of them is n bytes long. */
static uint16_t g_first[27];
static uint32_t g_second[26];
static uint16_t g_lens[26];
static pthread_once_t g_first_once = PTHREAD_ONCE_INIT;

static unsigned second_bit(const char *w, size_t n)
{
	return n > 1 && w[1] >= 'a' && w[1] <= 'z' ? (unsigned)(w[1] - 'a') : 26u;
}

static void init_first(void)
{
	size_t k = 0;
	for (size_t c = 0; c < 26; c++) {
		while (k < N_WORDS && (unsigned char)k_words[k].w[0] < 'a' + c)
			k++;
		g_first[c] = (uint16_t)k;
	}
	g_first[26] = (uint16_t)N_WORDS;
	uint32_t initials = 0;
	for (k = 0; k < N_WORDS; k++) {
		unsigned char c = (unsigned char)k_words[k].w[0];
		if (c >= 'a' && c <= 'z') {
			g_second[c - 'a'] |= 1u << second_bit(k_words[k].w, k_words[k].len);
			g_lens[c - 'a'] |= (uint16_t)(1u << k_words[k].len);
			initials |= 1u << (c - 'a');
		}
	}
	/* the inline pre-check of phone_int.h must know every initial */
	assert(initials == TSGI_SPOKEN_INITIALS);
}

static const number_word *lookup(const char *w, size_t n)
{
	if (n == 0 || n > 14 || w[0] < 'a' || w[0] > 'z' ||
	    !((TSGI_SPOKEN_INITIALS >> (w[0] - 'a')) & 1u))
		return NULL;
	if (!((g_second[w[0] - 'a'] >> second_bit(w, n)) & 1u) ||
	    !((g_lens[w[0] - 'a'] >> n) & 1u))
		return NULL;
	size_t lo = g_first[w[0] - 'a'], hi = g_first[w[0] - 'a' + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = word_cmp(w, n, &k_words[mid]);
		if (c == 0)
			return &k_words[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static inline bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       (unsigned char)c >= 0x80;
}

typedef struct tok {
	uint8_t kind;
	bool pause; /* ',' or '.' before it: values never join across */
	uint16_t val;
	size_t start, end;
} tok;

typedef struct composer {
	const char *s;
	const tok *t;
	size_t nt, k;
	tsgi_pgroup *g;
	size_t cap, ng;
} composer;

/* Token k exists and may join the value before it. */
static bool joins(const composer *c, size_t k)
{
	return k < c->nt && !c->t[k].pause;
}

static bool is_unit(const composer *c, size_t k, unsigned lo, unsigned hi)
{
	if (!joins(c, k))
		return false;
	const tok *t = &c->t[k];
	if (t->kind == W_UNIT || t->kind == W_ZERO)
		return t->val >= lo && t->val <= hi;
	return t->kind == W_DIGITS && t->end - t->start == 1 &&
	       (unsigned)(c->s[t->start] - '0') >= lo &&
	       (unsigned)(c->s[t->start] - '0') <= hi;
}

static unsigned unit_val(const composer *c, size_t k)
{
	const tok *t = &c->t[k];
	return t->kind == W_DIGITS ? (unsigned)(c->s[t->start] - '0') : t->val;
}

static bool kind_at(const composer *c, size_t k, unsigned kind)
{
	return joins(c, k) && c->t[k].kind == kind;
}

/* French teens after "dix": "dix-sept" -> 17. */
static unsigned dix_tail(composer *c)
{
	if (is_unit(c, c->k, 7, 9))
		return 10u + unit_val(c, c->k++);
	return 10u;
}

/* After a tens value v (token(s) already consumed): its unit, if any. */
static unsigned tens_tail(composer *c, unsigned v)
{
	if ((v == 60 || v == 80) && kind_at(c, c->k, W_PAIR) &&
	    c->t[c->k].val < 20) {
		v += c->t[c->k++].val;
	} else if ((v == 60 || v == 80) && kind_at(c, c->k, W_DIX)) {
		c->k++;
		v += dix_tail(c);
	} else if (is_unit(c, c->k, 1, 9)) {
		v += unit_val(c, c->k++);
	} else if (kind_at(c, c->k, W_CONN) && is_unit(c, c->k + 1, 1, 9)) {
		c->k++;
		v += unit_val(c, c->k++);
	} else if (v == 60 && kind_at(c, c->k, W_CONN) &&
	           kind_at(c, c->k + 1, W_PAIR) && c->t[c->k + 1].val < 20) {
		c->k++;
		v += c->t[c->k++].val;
	}
	return v;
}

/* After a hundreds value v: tens or a teen are added, a lone unit is not
 * (unless joined by "and"). */
static unsigned hundred_tail(composer *c, unsigned v)
{
	size_t k = c->k;
	if (kind_at(c, k, W_CONN))
		k++;
	if (kind_at(c, k, W_TENS)) {
		c->k = k + 1;
		return v + tens_tail(c, c->t[k].val);
	}
	if (kind_at(c, k, W_PAIR)) {
		c->k = k + 1;
		return v + c->t[k].val;
	}
	if (kind_at(c, k, W_DIX)) {
		c->k = k + 1;
		return v + dix_tail(c);
	}
	if (k != c->k && is_unit(c, k, 1, 9)) {
		c->k = k + 1;
		return v + unit_val(c, k);
	}
	return v;
}

static void emit_value(composer *c, size_t first, unsigned v, unsigned width)
{
	if (c->ng >= c->cap)
		return;
	tsgi_pgroup *g = &c->g[c->ng++];
	memset(g, 0, sizeof *g);
	g->start = c->t[first].start;
	g->end = c->t[c->k - 1].end;
	g->spoken = true;
	g->sep = c->ng > 1 ? TSGI_PSEP_SPACE : 0;
	for (unsigned i = width; i > 0; i--) {
		g->d[i - 1] = (char)('0' + v % 10u);
		v /= 10u;
	}
	g->n = (uint8_t)width;
}

static void emit_digits(composer *c, size_t first)
{
	if (c->ng >= c->cap)
		return;
	const tok *t = &c->t[first];
	tsgi_pgroup *g = &c->g[c->ng++];
	memset(g, 0, sizeof *g);
	g->start = t->start;
	g->end = t->end;
	g->sep = c->ng > 1 ? TSGI_PSEP_SPACE : 0;
	size_t n = t->end - t->start;
	if (n > TSGI_PHONE_MAX_CAND) {
		g->toolong = true;
		g->blocked = true;
		return;
	}
	memcpy(g->d, c->s + t->start, n);
	g->n = (uint8_t)n;
}

static void repeat_digit(composer *c, size_t first, unsigned times)
{
	unsigned u = unit_val(c, c->k++);
	unsigned v = 0;
	for (unsigned i = 0; i < times; i++)
		v = v * 10u + u;
	emit_value(c, first, v, times);
}

/* A two-digit value, or hundreds of it: "twenty one hundred" -> 2100. */
static void emit_pair(composer *c, size_t first, unsigned v)
{
	if (kind_at(c, c->k, W_HUNDRED)) {
		c->k++;
		emit_value(c, first, v * 100u, 4);
	} else {
		emit_value(c, first, v, 2);
	}
}

/* Turns the tokens into digit groups. */
static void compose(composer *c)
{
	while (c->k < c->nt && c->ng < c->cap) {
		size_t first = c->k;
		const tok *t = &c->t[c->k++];
		switch (t->kind) {
		case W_DIGITS:
			if (t->end - t->start == 1 && kind_at(c, c->k, W_HUNDRED)) {
				c->k++;
				emit_value(c, first,
				           hundred_tail(c, 100u * unit_val(c, first)), 3);
			} else {
				emit_digits(c, first);
			}
			break;
		case W_UNIT:
		case W_ZERO:
			if (kind_at(c, c->k, W_HUNDRED) && t->val > 0) {
				c->k++;
				emit_value(c, first, hundred_tail(c, 100u * t->val), 3);
			} else if (t->val == 4 && kind_at(c, c->k, W_VINGT)) {
				c->k++;
				emit_value(c, first, tens_tail(c, 80), 2);
			} else {
				emit_value(c, first, t->val, 1);
			}
			break;
		case W_PAIR:
			emit_pair(c, first, t->val);
			break;
		case W_DIX:
			emit_pair(c, first, dix_tail(c));
			break;
		case W_TENS:
		case W_VINGT:
			emit_pair(c, first, tens_tail(c, t->val));
			break;
		case W_HVAL:
			emit_value(c, first, hundred_tail(c, t->val), 3);
			break;
		case W_DOUBLE:
		case W_TRIPLE:
			if (is_unit(c, c->k, 0, 9))
				repeat_digit(c, first, t->kind == W_DOUBLE ? 2 : 3);
			break;
		default: /* a stray "hundred" or "and" */
			break;
		}
	}
}

/* Separator run after a word: spaces, '-', ',', '.', at most three. */
static size_t sep_after(const char *s, size_t len, size_t p)
{
	size_t q = p;
	while (q < len && q - p < 4 &&
	       (s[q] == ' ' || s[q] == '-' || s[q] == ',' || s[q] == '.'))
		q++;
	return q - p <= 3 ? q - p : 0;
}

/* "oh" may open a sequence only when a number word or digits follow. */
static bool number_follows(const char *s, size_t len, size_t e)
{
	size_t sl = sep_after(s, len, e);
	if (sl == 0)
		return false;
	size_t p = e + sl, q = p;
	while (q < len && is_alnum(s[q]))
		q++;
	if (q == p)
		return false;
	if (s[p] >= '0' && s[p] <= '9')
		return true;
	const number_word *w = lookup(s + p, q - p);
	return w && w->kind != W_ZERO && w->kind != W_CONN;
}

bool tsgi_phone_spoken_starts(const char *w, size_t n)
{
	size_t k = 0;
	while (k < n && w[k] >= '0' && w[k] <= '9')
		k++;
	if (k == n)
		return n > 0;
	pthread_once(&g_first_once, init_first);
	const number_word *x = lookup(w, n);
	return x && x->kind != W_CONN;
}

size_t tsgi_phone_spoken(const char *s, size_t len, size_t pos,
                         tsgi_pgroup *g, size_t cap, size_t *ng,
                         bool *any_word)
{
	tok t[TSG_MAX_SPOKEN_WORDS];
	size_t nt = 0, p = pos, stop = pos;
	bool pause = false;
	*ng = 0;
	*any_word = false;
	pthread_once(&g_first_once, init_first);
	while (p < len && nt < TSG_MAX_SPOKEN_WORDS) {
		size_t e = p;
		bool digits = true;
		while (e < len && is_alnum(s[e])) {
			if (s[e] < '0' || s[e] > '9')
				digits = false;
			e++;
		}
		if (e == p)
			break;
		if (stop == pos)
			stop = e; /* always move past the first word */
		tok k = {.start = p, .end = e};
		if (digits) {
			k.kind = W_DIGITS;
		} else {
			const number_word *w = lookup(s + p, e - p);
			if (!w)
				break;
			if (w->kind == W_ZERO && nt == 0 && !number_follows(s, len, e))
				break;
			if (w->kind == W_CONN && nt == 0)
				break;
			k.kind = w->kind;
			k.val = w->val;
			*any_word = true;
		}
		k.pause = pause;
		t[nt++] = k;
		stop = e;
		size_t sl = sep_after(s, len, e);
		if (sl == 0)
			break;
		pause = memchr(s + e, ',', sl) || memchr(s + e, '.', sl);
		p = e + sl;
	}
	/* A trailing "and" belongs to the sentence, not the number. */
	while (nt && t[nt - 1].kind == W_CONN) {
		nt--;
		stop = nt ? t[nt - 1].end : stop;
	}
	if (!*any_word || nt == 0)
		return stop;
	composer c = {.s = s, .t = t, .nt = nt, .g = g, .cap = cap};
	compose(&c);
	*ng = c.ng;
	return stop;
}
