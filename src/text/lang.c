/*
 * lang.c - stop-word language guess over normalised (accent-free) text.
 */
#include "lang.h"

#include <pthread.h>
#include <string.h>

/* The words with their lengths, so that each word of the text is compared
 * only with the stop words of its length. */
struct stop_word {
	const char *w;
	size_t n;
};
#define W(s) {s, sizeof s - 1}

/* Frequent function words of each language, and a few words of address
 * and greeting.  A word shared by two languages ("de", "la", "es") counts
 * for both.  Left out: words as common in English text messages as in
 * their own language ("on", "ya", "ha", "yo", "lo", "im" for "I'm", "ma",
 * "plus", "was", "me"). */
static const struct stop_word k_words[TSGI_NLANGS][48] = {
	{W("the"), W("and"), W("you"), W("your"), W("is"), W("to"), W("of"),
	 W("this"), W("that"), W("for"), W("are"), W("have"), W("with"),
	 W("please"), W("call"), W("we"), W("not"), W("it"), W("be"),
	 W("will"), W("i"), W("my"), W("can"), W("if"), W("or"), W("from"),
	 W("just"), W("what"), W("get"), W("do"), W("but"), W("all"),
	 W("now"), W("our"), W("an"), W("he"), W("she"), W("they"), W("been"),
	 W("has"), W("there"), W("would"), W("about"), W("know"), {NULL, 0}},
	{W("el"), W("la"), W("de"), W("que"), W("y"), W("en"), W("los"),
	 W("su"), W("por"), W("para"), W("es"), W("con"), W("una"), W("usted"),
	 W("las"), W("del"), W("llame"), W("se"), W("esta"), W("mi"),
	 W("al"), W("como"), W("pero"), W("muy"), W("hay"), W("mas"),
	 W("estoy"), W("gracias"), W("hola"), W("cuando"),
	 W("porque"), W("nos"), W("sus"), W("este"), W("tiene"), W("todo"),
	 W("puede"), W("hemos"), W("manana"),
	 {NULL, 0}},
	{W("der"), W("die"), W("und"), W("sie"), W("das"), W("ist"), W("ihr"),
	 W("ihre"), W("nicht"), W("mit"), W("den"), W("zu"), W("ein"),
	 W("eine"), W("bitte"), W("wir"), W("auf"), W("von"), W("fur"),
	 W("sich"), W("ich"), W("du"), W("mich"), W("dich"), W("mir"),
	 W("dir"), W("wenn"), W("zum"), W("zur"), W("wird"),
	 W("wurde"), W("haben"), W("auch"), W("noch"), W("nur"), W("aber"),
	 W("dass"), W("oder"), W("wie"), W("kann"), W("schon"), W("bin"),
	 W("heute"), W("dem"), W("uns"), W("werden"), {NULL, 0}},
	{W("le"), W("la"), W("les"), W("et"), W("vous"), W("votre"), W("est"),
	 W("des"), W("de"), W("pour"), W("une"), W("un"), W("pas"), W("avec"),
	 W("nous"), W("sur"), W("du"), W("appelez"), W("au"), W("ce"),
	 W("je"), W("tu"), W("il"), W("elle"), W("ne"), W("qui"),
	 W("dans"), W("mais"), W("ou"), W("si"), W("moi"), W("ca"), W("suis"),
	 W("sont"), W("par"), W("tout"), W("ces"), W("cette"),
	 W("mes"), W("mon"), W("avez"), W("etes"), W("merci"),
	 W("bonjour"), {NULL, 0}},
};

#undef W

/* No stop word is longer. */
#define STOP_MAX 7

/* The stop words of all languages by length and initial, built once:
 * each word of the text is compared with a handful of candidates. */
struct slot {
	unsigned char lang[12];
	const char *w[12];
	unsigned char n;
};
static struct slot g_index[STOP_MAX + 1][26];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void build_index(void)
{
	for (int l = 0; l < TSGI_NLANGS; l++)
		for (const struct stop_word *k = k_words[l]; k->w; k++) {
			struct slot *sl = &g_index[k->n][k->w[0] - 'a'];
			if (sl->n < 12) { /* at most 8 share a slot */
				sl->lang[sl->n] = (unsigned char)l;
				sl->w[sl->n++] = k->w;
			}
		}
}

const char *const tsgi_lang_codes[TSGI_NLANGS] = {"en", "es", "de", "fr"};

int tsgi_lang_index_n(const char *s, size_t n)
{
	for (int i = 0; s && i < TSGI_NLANGS; i++)
		if (strlen(tsgi_lang_codes[i]) == n && !memcmp(s, tsgi_lang_codes[i], n))
			return i;
	return -1;
}

int tsgi_lang_index(const char *code)
{
	return code ? tsgi_lang_index_n(code, strlen(code)) : -1;
}

const char *tsgi_lang_detect(const tsgi_text *t)
{
	int score[TSGI_NLANGS] = {0};
	const char *s = t->s, *end = t->s + t->len;
	size_t words = 0;
	pthread_once(&g_once, build_index);
	while (s < end && words < 400) {
		while (s < end && !(*s >= 'a' && *s <= 'z'))
			s++;
		const char *w = s;
		while (s < end && *s >= 'a' && *s <= 'z')
			s++;
		size_t n = (size_t)(s - w);
		if (!n)
			continue;
		words++;
		if (n > STOP_MAX)
			continue;
		const struct slot *sl = &g_index[n][w[0] - 'a'];
		for (unsigned i = 0; i < sl->n; i++)
			if (!memcmp(sl->w[i], w, n))
				score[sl->lang[i]]++;
	}
	int best = 0;
	for (int l = 1; l < TSGI_NLANGS; l++)
		if (score[l] > score[best])
			best = l;
	return tsgi_lang_codes[best];
}
