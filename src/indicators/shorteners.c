/*
 * shorteners.c - link-shortener hosts.

 * The list is data kept as a sorted C table rather than a file under data/:
 * extractors run inside a scan, which has no data folder of its own and must
 * not open files, and the engine carries no shortener list.  Keep the table
 * sorted (strcmp order; the unit test checks it) and lower case.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

static const char *const k_shorteners[] = {
	"1url.com",
	"9qr.de",
	"a.co",
	"adf.ly",
	"amzn.eu",
	"amzn.to",
	"bc.vc",
	"bit.do",
	"bit.ly",
	"bitly.com",
	"bkite.com",
	"bl.ink",
	"budurl.com",
	"buff.ly",
	"clck.ru",
	"cli.gs",
	"cutt.ly",
	"db.tt",
	"doiop.com",
	"dub.co",
	"dub.sh",
	"fic.kr",
	"gg.gg",
	"goo.gl",
	"hyperurl.co",
	"is.gd",
	"just.as",
	"kl.am",
	"kutt.it",
	"linktr.ee",
	"lnkd.in",
	"loopt.us",
	"mcaf.ee",
	"om.ly",
	"ouo.io",
	"ow.ly",
	"ping.fm",
	"po.st",
	"post.ly",
	"qr.ae",
	"qrco.de",
	"rb.gy",
	"rebrand.ly",
	"rubyurl.com",
	"s.id",
	"short.ie",
	"short.io",
	"short.to",
	"shorte.st",
	"shorturl.at",
	"shorturl.com",
	"shorturl.gg",
	"shrtco.de",
	"snipr.com",
	"snipurl.com",
	"soo.gd",
	"su.pr",
	"surl.li",
	"t.co",
	"t.ly",
	"t2m.io",
	"tinu.be",
	"tiny.cc",
	"tiny.one",
	"tinyurl.com",
	"tinyurl.hu",
	"to.ly",
	"tr.im",
	"twurl.nl",
	"u.to",
	"urlr.me",
	"urlz.fr",
	"v.gd",
	"wp.me",
	"x.co",
	"yourls.org",
	"youtu.be",
};

static int cmp(const void *key, const void *elem)
{
	return strcmp(key, *(const char *const *)elem);
}

bool tsgi_shortener_is(const char *host)
{
	if (!strncmp(host, "www.", 4))
		host += 4;
	return bsearch(host, k_shorteners, sizeof k_shorteners / sizeof *k_shorteners,
	               sizeof *k_shorteners, cmp) != NULL;
}

const char *const *tsgi_shorteners(size_t *n)
{
	*n = sizeof k_shorteners / sizeof *k_shorteners;
	return k_shorteners;
}
