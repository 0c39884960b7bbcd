/*
 * test_policy.c - the brand policy reasons (src/policy/policy.c).
 *
 * Two tables:
 *   - k_scan: whole messages through tsg_scan_run(), as a user sees them.
 *     These depend on the indicator extractors for phone numbers and links.
 *   - k_unit: tsgi_policy_apply() on a hand-built tsgi_policy_in with fake
 *     rule hits and fake indicators, so the decision logic is tested on its
 *     own, whatever the extractors and the rule pack do.
 * Each failing case prints its table, index and name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../src/core/doc.h"
#include "../../src/policy/policy.h"
#include "tsguard.h"

static tsg_engine *g_engine;

static int setup(void **state)
{
	(void)state;
	const char *src = getenv("TSGUARD_SRC");
	tsg_engine_config cfg = {.data_dir = src ? src : ".", .model_path = ""};
	tsg_status st = tsg_engine_open(&cfg, &g_engine);
	if (st != TSG_OK) {
		fprintf(stderr, "engine: %s\n", tsg_engine_errmsg(g_engine));
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tsg_engine_unref(g_engine);
	return 0;
}

/* "a b c" contains `id` as a word. */
static bool in_list(const char *list, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = list; p && *p;) {
		while (*p == ' ')
			p++;
		size_t k = strcspn(p, " ");
		if (k == n && !strncmp(p, id, n))
			return true;
		p += k;
	}
	return false;
}

/* Checks reasons against `want` and `deny` (space-separated ids); returns
 * the number of failures, printing each. */
static int check_reasons(const char *table, size_t idx, const char *name,
                         const tsg_reason *r, size_t n, const char *want,
                         const char *deny)
{
	int bad = 0;
	for (const char *p = want; p && *p;) {
		while (*p == ' ')
			p++;
		size_t k = strcspn(p, " ");
		if (!k)
			break;
		bool found = false;
		for (size_t i = 0; i < n; i++)
			if (strlen(r[i].rule_id) == k && !strncmp(r[i].rule_id, p, k)) {
				found = true;
				if (r[i].n_evidence < 1) {
					fprintf(stderr, "%s[%zu] %s: %.*s has no evidence\n", table,
					        idx, name, (int)k, p);
					bad++;
				}
			}
		if (!found) {
			fprintf(stderr, "%s[%zu] %s: missing reason %.*s\n", table, idx,
			        name, (int)k, p);
			bad++;
		}
		p += k;
	}
	for (size_t i = 0; i < n; i++)
		if (in_list(deny, r[i].rule_id) ||
		    (!strcmp(deny, "policy.*") && !strncmp(r[i].rule_id, "policy.", 7))) {
			fprintf(stderr, "%s[%zu] %s: unexpected reason %s: %s\n", table, idx,
			        name, r[i].rule_id, r[i].message);
			bad++;
		}
	if (bad)
		for (size_t i = 0; i < n; i++)
			fprintf(stderr, "    got %s (%.2f): %s\n", r[i].rule_id, r[i].weight,
			        r[i].message);
	return bad;
}

/* ---- whole messages --------------------------------------------------- */

typedef struct scan_case {
	const char *name;
	const char *text;
	tsg_channel channel;
	tsg_contact contact;
	const char *sender;
	const char *want;   /* reasons that must be present, with evidence */
	const char *deny;   /* reasons that must be absent ("policy.*": all) */
	const char *advice; /* substring of the advice, or NULL */
	int clean;          /* 1: verdict must be clean */
} scan_case;

static const scan_case k_scan[] = {
	/* A problem and a link that imitates the brand: phishing without a
	 * number to call; also an internationalised look-alike host. */
	{"imitating link", "Microsoft Security: your account is locked. Verify at "
	                   "https://microsoft.com.security-alert.xyz/fix",
	 TSG_CHANNEL_SMS, TSG_CONTACT_UNKNOWN, NULL, "policy.lookalike_link",
	 "policy.unofficial_sender", NULL, 0},
	{"look-alike IDN host", "Microsoft: your account is locked, verify at "
	                        "micr\xD0\xBEsoft-login.com",
	 TSG_CHANNEL_SMS, TSG_CONTACT_UNKNOWN, NULL, "policy.lookalike_link", "",
	 NULL, 0},
	/* A short brand id as a whole word of the host imitates the brand; the
	 * same letters inside a word do not. */
	{"id as a host word", "Meta Support: your page will be disabled in 24 "
	                      "hours. Appeal at https://meta-appeal-center.com/c/1",
	 TSG_CHANNEL_SMS, TSG_CONTACT_UNKNOWN, NULL, "policy.lookalike_link", "",
	 NULL, 0},
	{"id inside a word", "Meta Support: your page will be disabled in 24 "
	                     "hours. Tickets at https://metallica.com/tour",
	 TSG_CHANNEL_SMS, TSG_CONTACT_UNKNOWN, NULL, "", "policy.lookalike_link",
	 NULL, 0},
	/* A problem and a shortened link; X's own t.co wraps every link and
	 * hides nothing, and a brand's own shortener is its own link. */
	{"hidden link", "Microsoft: your account will be deleted. Confirm your "
	                "identity at https://bit.ly/3xMsVerify",
	 TSG_CHANNEL_SMS, TSG_CONTACT_UNKNOWN, NULL, "policy.hidden_link", "",
	 NULL, 0},
	{"platform wrapper", "Microsoft: your account will be deleted. Confirm "
	                     "your identity at https://t.co/3xMsVerify",
	 TSG_CHANNEL_SMS, TSG_CONTACT_UNKNOWN, NULL, "", "policy.hidden_link",
	 NULL, 0},
	{"own shortener", "Amazon: your account is locked. Sign in at "
	                  "https://amzn.to/3xYz12",
	 TSG_CHANNEL_SMS, TSG_CONTACT_UNKNOWN, NULL, "", "policy.hidden_link",
	 NULL, 0},
	/* A tenant's address under onmicrosoft.com imitates nothing. */
	{"tenant address", "The Microsoft 365 mailbox john@contoso.onmicrosoft.com "
	                   "was blocked by the admin after the migration.",
	 TSG_CHANNEL_TEXT, TSG_CONTACT_UNKNOWN, NULL, "",
	 "policy.lookalike_link policy.unofficial_sender", NULL, 1},
	{"unsolicited+number",
	 "Hello, this is Microsoft technical support. We have detected a virus on "
	 "your computer. Call us now at 1-888-555-0199.",
	 TSG_CHANNEL_TEXT, TSG_CONTACT_UNKNOWN, NULL,
	 "policy.unsolicited policy.unofficial_number", "", "support.microsoft.com",
	 0},
	{"contact flag", "Microsoft here. Please call 1-888-555-0142 about your PC.",
	 TSG_CHANNEL_CALL, TSG_CONTACT_UNSOLICITED, NULL,
	 "policy.unsolicited policy.unofficial_number", "", NULL, 0},
	{"remote ask",
	 "This is Microsoft support. Please download AnyDesk so I can fix your "
	 "computer, then call 1-888-555-0199.",
	 TSG_CHANNEL_TEXT, TSG_CONTACT_UNKNOWN, NULL, "policy.forbidden_ask", "",
	 NULL, 0},
	{"gift card ask",
	 "This is the IRS. You owe back taxes. Buy Google Play gift cards to pay "
	 "the fine and call 1-888-555-0123.",
	 TSG_CHANNEL_TEXT, TSG_CONTACT_UNKNOWN, NULL,
	 "policy.forbidden_ask policy.unofficial_number", "", "irs.gov", 0},
	{"gmail sender",
	 "From: Microsoft Support <ms.help.desk@gmail.com>\r\nTo: "
	 "you@example.com\r\nSubject: Security alert\r\n\r\nWe have detected "
	 "unusual sign-in activity on your account. Call 1-888-555-0199.\r\n",
	 TSG_CHANNEL_EMAIL, TSG_CONTACT_UNKNOWN, "ms.help.desk@gmail.com",
	 "policy.unofficial_sender policy.unofficial_number", "", NULL, 0},
	/* A mail's button that writes to someone else's address; the brand's
	 * own address, and a plain-text list footer, are not that. */
	{"button writes off-brand",
	 "From: Facebook <noreply@notify-center.example>\r\nTo: you@example.com\r\n"
	 "Subject: Someone tried to log in to your account\r\nContent-Type: "
	 "text/html\r\n\r\n<p>A user just logged into your Facebook account "
	 "from a new device. Was this you?</p><a "
	 "href=\"mailto:unusual.sign-in.activity@techconsulting-pay-3.com\">"
	 "Report the user</a>\r\n",
	 TSG_CHANNEL_EMAIL, TSG_CONTACT_UNKNOWN, NULL, "policy.unofficial_address",
	 "", NULL, 0},
	{"button writes to the brand",
	 "From: Facebook <noreply@notify-center.example>\r\nTo: you@example.com\r\n"
	 "Subject: Someone tried to log in to your account\r\nContent-Type: "
	 "text/html\r\n\r\n<p>A user just logged into your Facebook account "
	 "from a new device. Was this you?</p><a "
	 "href=\"mailto:security@facebook.com\">Report the user</a>\r\n",
	 TSG_CHANNEL_EMAIL, TSG_CONTACT_UNKNOWN, NULL, "",
	 "policy.unofficial_address", NULL, 0},
	{"plain-text list footer",
	 "From: Joe <joe@example.org>\r\nTo: list@example.org\r\nSubject: Re: "
	 "Microsoft security team\r\n\r\nThe Microsoft security team says the "
	 "patch is out.\r\n--\r\nUnsubscribe: "
	 "<mailto:list-request@example.org>\r\n",
	 TSG_CHANNEL_EMAIL, TSG_CONTACT_UNKNOWN, NULL, "",
	 "policy.unofficial_address", NULL, 0},
	{"spanish", "Le llamamos de Microsoft. Hemos detectado un virus en su "
	            "ordenador. Llame al +34 911 234 567.",
	 TSG_CHANNEL_TEXT, TSG_CONTACT_UNKNOWN, NULL, "policy.unofficial_number",
	 "", "No llame", 0},
	{"german", "Hier ist der Microsoft Kundendienst. Wir haben einen Virus "
	           "festgestellt. Rufen Sie +49 30 12345678 an.",
	 TSG_CHANNEL_TEXT, TSG_CONTACT_UNKNOWN, NULL, "policy.unofficial_number",
	 "", "Rufen Sie die Nummer aus dieser Nachricht nicht an", 0},
	/* The two negatives: a real notice, and a victim who called the real number. */
	{"official notice",
	 "From: Microsoft account team "
	 "<account-security-noreply@accountprotection.microsoft.com>\r\nTo: "
	 "you@example.com\r\nSubject: Microsoft account security alert\r\n\r\nWe "
	 "detected something unusual about a recent sign-in to the Microsoft "
	 "account. Review your recent activity at "
	 "https://account.live.com/activity\r\n\r\nThanks,\r\nThe Microsoft "
	 "account team\r\n",
	 TSG_CHANNEL_EMAIL, TSG_CONTACT_UNKNOWN,
	 "account-security-noreply@accountprotection.microsoft.com", "", "policy.*",
	 NULL, 1},
	{"I called the official number",
	 "I called Microsoft support at 1-800-642-7676 myself and they helped me "
	 "reset my password.",
	 TSG_CHANNEL_TEXT, TSG_CONTACT_REQUESTED, NULL, "", "policy.*", NULL, 1},
	{"no brand", "Call me at 555-0101 when you are home.", TSG_CHANNEL_SMS,
	 TSG_CONTACT_UNKNOWN, NULL, "", "policy.*", NULL, 1},
};

static void test_scan_table(void **state)
{
	(void)state;
	tsg_scan *s = tsg_scan_new(g_engine);
	assert_non_null(s);
	int bad = 0;
	for (size_t i = 0; i < sizeof k_scan / sizeof *k_scan; i++) {
		const scan_case *c = &k_scan[i];
		tsg_input in = {.data = c->text,
		                .len = strlen(c->text),
		                .channel = c->channel,
		                .contact = c->contact,
		                .sender = c->sender,
		                .region = "US"};
		const tsg_verdict *v = NULL;
		if (tsg_scan_run(s, &in, &v) != TSG_OK) {
			fprintf(stderr, "scan[%zu] %s: %s\n", i, c->name, tsg_scan_errmsg(s));
			bad++;
			continue;
		}
		bad += check_reasons("scan", i, c->name, v->reasons, v->n_reasons,
		                     c->want, c->deny);
		if (c->clean && v->cls != TSG_CLEAN) {
			fprintf(stderr, "scan[%zu] %s: expected clean, got %s %.3f\n", i,
			        c->name, tsg_class_name(v->cls), v->score);
			bad++;
		}
		if (c->advice && !strstr(v->advice, c->advice)) {
			fprintf(stderr, "scan[%zu] %s: advice lacks \"%s\": %s\n", i, c->name,
			        c->advice, v->advice);
			bad++;
		}
	}
	tsg_scan_free(s);
	assert_int_equal(bad, 0);
}

/* ---- the decision logic on its own ------------------------------------- */

typedef struct fake_ind {
	tsg_indicator_kind kind;
	const char *value;  /* also searched in the text for the span */
	const char *detail;
	const char *host;
	unsigned flags;
} fake_ind;

typedef struct unit_case {
	const char *name;
	const char *text;   /* every hit below must occur in it, lower case */
	const char *hits;   /* "rule_id=text|rule_id=text" */
	fake_ind ind[3];
	tsg_contact contact;
	tsg_channel channel;
	const char *sender;
	const char *lang;
	const char *want, *deny;
	const char *msg;    /* substring of some policy reason's message */
	const char *advice; /* substring of the advice */
} unit_case;

static const unit_case k_unit[] = {
	{"contact flag alone opens the gate",
	 "microsoft here, call 18885550199",
	 "brand.microsoft=microsoft",
	 {{TSG_IND_PHONE, "18885550199", NULL, NULL, 0}},
	 TSG_CONTACT_UNSOLICITED, TSG_CHANNEL_CALL, NULL, "en",
	 "policy.unsolicited policy.unofficial_number", "", "never contacts you first",
	 "support.microsoft.com"},
	{"official number is not a callback",
	 "this is microsoft support, call 18006427676",
	 "brand.microsoft=microsoft|policy.claim=this is microsoft",
	 {{TSG_IND_PHONE, "18006427676", NULL, NULL, TSG_IND_F_OFFICIAL}},
	 TSG_CONTACT_UNKNOWN, TSG_CHANNEL_TEXT, NULL, "en", "", "policy.*", NULL, NULL},
	{"opener without a number is an account notice",
	 "we have detected a sign-in to your microsoft account",
	 "brand.microsoft=microsoft|policy.opener=we have detected",
	 {{0}}, TSG_CONTACT_UNKNOWN, TSG_CHANNEL_EMAIL, NULL, "en", "", "policy.*",
	 NULL, NULL},
	{"free-mail sender",
	 "microsoft support team: your pc is infected",
	 "brand.microsoft=microsoft|policy.claim=microsoft support team",
	 {{0}}, TSG_CONTACT_UNKNOWN, TSG_CHANNEL_EMAIL,
	 "Microsoft Support <help.desk@gmail.com>", "en", "policy.unofficial_sender",
	 "policy.unofficial_number", "gmail.com", NULL},
	{"official sender, official links",
	 "we have detected a sign-in to your microsoft account",
	 "brand.microsoft=microsoft|policy.opener=we have detected",
	 {{TSG_IND_URL, "https://account.live.com/activity", NULL, "account.live.com", 0}},
	 TSG_CONTACT_UNKNOWN, TSG_CHANNEL_EMAIL,
	 "account-security-noreply@accountprotection.microsoft.com", "en", "",
	 "policy.*", NULL, NULL},
	{"lookalike link",
	 "this is microsoft, go to microsoft-help-desk.com",
	 "brand.microsoft=microsoft|policy.claim=this is microsoft",
	 {{TSG_IND_DOMAIN, "microsoft-help-desk.com", NULL, "microsoft-help-desk.com", 0}},
	 TSG_CONTACT_UNKNOWN, TSG_CHANNEL_TEXT, NULL, "en", "policy.lookalike_link",
	 "policy.unofficial_sender", "microsoft-help-desk.com", NULL},
	{"gift card code",
	 "this is amazon, read me the code x7k2",
	 "brand.amazon=amazon|policy.claim=this is amazon",
	 {{TSG_IND_GIFTCARD, "x7k2", "X7K2", NULL, 0}},
	 TSG_CONTACT_UNKNOWN, TSG_CHANNEL_CALL, NULL, "en", "policy.forbidden_ask", "",
	 "gift cards", NULL},
	{"crypto address",
	 "this is coinbase support, send it to bc1qxyz",
	 "brand.coinbase=coinbase|policy.claim=this is coinbase",
	 {{TSG_IND_BTC, "bc1qxyz", "p2wpkh", NULL, 0}},
	 TSG_CONTACT_UNKNOWN, TSG_CHANNEL_CALL, NULL, "en", "policy.forbidden_ask", "",
	 "cryptocurrency", NULL},
	{"remote access the caller asked for",
	 "microsoft support here, open anydesk 123456789",
	 "brand.microsoft=microsoft|policy.claim=microsoft support",
	 {{TSG_IND_REMOTE, "123456789", "anydesk", NULL, 0}},
	 TSG_CONTACT_REQUESTED, TSG_CHANNEL_CALL, NULL, "en", "",
	 "policy.forbidden_ask policy.unsolicited", NULL, NULL},
	{"remote access out of the blue",
	 "microsoft support here, open anydesk 123456789",
	 "brand.microsoft=microsoft|policy.claim=microsoft support",
	 {{TSG_IND_REMOTE, "123456789", "anydesk", NULL, 0}},
	 TSG_CONTACT_UNSOLICITED, TSG_CHANNEL_CALL, NULL, "en",
	 "policy.forbidden_ask policy.unsolicited", "", "remote access", NULL},
	{"agency that may write first",
	 "this is social security administration, we have detected fraud, call 18885550100",
	 "brand.ssa=social security administration|policy.claim=this is social|"
	 "policy.opener=we have detected",
	 {{TSG_IND_PHONE, "18885550100", NULL, NULL, 0}},
	 TSG_CONTACT_UNKNOWN, TSG_CHANNEL_CALL, NULL, "en",
	 "policy.unofficial_number", "policy.unsolicited", "not an official", "ssa.gov"},
	{"problem and number without a claim",
	 "apple charged 499 dollars, questions 18885550111",
	 "brand.apple=apple|policy.problem=charged",
	 {{TSG_IND_PHONE, "18885550111", NULL, NULL, 0}},
	 TSG_CONTACT_UNKNOWN, TSG_CHANNEL_SMS, NULL, "en", "",
	 "policy.unofficial_number", NULL, NULL},
	{"language of messages and advice",
	 "le llamamos de microsoft, llame al 34911234567",
	 "brand.microsoft=microsoft|policy.claim=le llamamos de microsoft|h.call=llame",
	 {{TSG_IND_PHONE, "34911234567", NULL, NULL, 0}},
	 TSG_CONTACT_UNKNOWN, TSG_CHANNEL_CALL, NULL, "es", "policy.unofficial_number",
	 "", "no es un número oficial de Microsoft", "Cuelgue y no devuelva la llamada"},
	{"no brand, no policy",
	 "call 18885550199 now", "", {{TSG_IND_PHONE, "18885550199", NULL, NULL, 0}},
	 TSG_CONTACT_UNSOLICITED, TSG_CHANNEL_CALL, NULL, "fr", "", "policy.*", NULL,
	 "N'appelez aucun"},
};

static int rule_index(const char *id)
{
	for (size_t i = 0; i < tsgi_ruleset_count(g_engine->rules); i++)
		if (!strcmp(tsgi_ruleset_rule(g_engine->rules, i)->id, id))
			return (int)i;
	return -1;
}

static int run_unit(size_t idx, const unit_case *c)
{
	int bad = 0;
	tsgi_arena *a = tsgi_arena_new(1u << 24);
	assert_non_null(a);
	tsgi_doc doc;
	tsgi_doc_init(&doc, c->channel);
	assert_true(tsgi_doc_alias(a, &doc, c->text, strlen(c->text), "body"));
	tsgi_text text;
	assert_int_equal(tsgi_normalize(a, doc.buf, doc.len, &text), TSG_OK);

	/* Hits: "id=needle|id=needle"; the needle's span in the text. */
	tsgi_hit hits[16];
	tsgi_span spans[16];
	const char *brands[8];
	size_t nh = 0, nb = 0;
	char buf[512];
	snprintf(buf, sizeof buf, "%s", c->hits);
	for (char *p = buf; *p && nh < 16;) {
		char *end = p + strcspn(p, "|");
		bool last = *end == '\0';
		*end = '\0';
		char *eq = strchr(p, '=');
		assert_non_null(eq);
		*eq = '\0';
		int r = rule_index(p);
		const char *at = strstr(text.s, eq + 1);
		if (r < 0 || !at) {
			fprintf(stderr, "unit[%zu] %s: bad hit %s=%s\n", idx, c->name, p, eq + 1);
			bad++;
		} else {
			spans[nh] = (tsgi_span){(uint32_t)(at - text.s),
			                        (uint32_t)(at - text.s + strlen(eq + 1))};
			hits[nh] = (tsgi_hit){.rule = r, .spans = &spans[nh], .nspans = 1};
			const tsgi_rule *rr = tsgi_ruleset_rule(g_engine->rules, (size_t)r);
			if (rr->brand && nb < 8)
				brands[nb++] = rr->brand;
			nh++;
		}
		p = last ? end : end + 1;
	}
	/* Hits must be in rule order, as the evaluator gives them. */
	for (size_t i = 1; i < nh; i++)
		for (size_t j = i; j > 0 && hits[j - 1].rule > hits[j].rule; j--) {
			tsgi_hit t = hits[j];
			hits[j] = hits[j - 1];
			hits[j - 1] = t;
		}

	tsg_indicator ind[3];
	size_t ni = 0;
	for (size_t i = 0; i < 3 && c->ind[i].value; i++) {
		const fake_ind *f = &c->ind[i];
		const char *at = strstr(c->text, f->value);
		char *val = tsgi_arena_printf(a, "%s%s", f->kind == TSG_IND_PHONE ? "+" : "",
		                              f->value);
		ind[ni] = (tsg_indicator){
			.kind = f->kind,
			.value = val,
			.detail = f->detail,
			.host = f->host,
			.domain = f->host,
			.start = at ? (size_t)(at - c->text) : 0,
			.end = at ? (size_t)(at - c->text) + strlen(f->value) : 0,
			.segment = 0,
			.flags = f->flags,
		};
		ni++;
	}
	doc.from_addr = c->sender;
	tsgi_vb vb = {.a = a, .doc = &doc};
	tsgi_policy_in pin = {
		.engine = g_engine,
		.doc = &doc,
		.text = &text,
		.hits = hits,
		.nhits = nh,
		.brands = brands,
		.nbrands = nb,
		.ind = ind,
		.nind = ni,
		.contact = c->contact,
		.lang = c->lang,
	};
	const tsgi_brand *checked = tsgi_policy_apply(&pin, &vb);
	const char *advice = tsgi_policy_advice(&pin, checked, TSG_SCAM, a);
	assert_false(vb.oom);
	assert_non_null(advice);
	bad += check_reasons("unit", idx, c->name, vb.r, vb.n, c->want, c->deny);
	if (c->msg) {
		bool found = false;
		for (size_t i = 0; i < vb.n; i++)
			if (strstr(vb.r[i].message, c->msg))
				found = true;
		if (!found) {
			fprintf(stderr, "unit[%zu] %s: no message contains \"%s\"\n", idx,
			        c->name, c->msg);
			bad++;
		}
	}
	if (c->advice && !strstr(advice, c->advice)) {
		fprintf(stderr, "unit[%zu] %s: advice lacks \"%s\": %s\n", idx, c->name,
		        c->advice, advice);
		bad++;
	}
	/* Evidence must quote the brand mention first when there is one. */
	for (size_t i = 0; i < vb.n && nb; i++)
		if (vb.r[i].n_evidence == 0) {
			fprintf(stderr, "unit[%zu] %s: %s has no evidence\n", idx, c->name,
			        vb.r[i].rule_id);
			bad++;
		}
	tsgi_arena_free(a);
	return bad;
}

/* A card named after a company ("Apple gift cards") is a way to pay, not a
 * claim to be that company (rule h.card_brand, `instrument yes`). */
static void test_card_brand(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		const char *brands; /* space-separated, in order */
	} k[] = {
		{"This is Microsoft technical support. Your computer is infected. "
		 "Buy Apple gift cards to pay the technician.",
		 "microsoft"},
		{"Amazon: your order is on hold. Pay the fee with Amazon gift cards.",
		 "amazon"},
		{"You owe back taxes. Pay with Google Play gift cards today.", ""},
		{"Google support will call you back about your Google account.",
		 "google"},
	};
	tsg_scan *s = tsg_scan_new(g_engine);
	assert_non_null(s);
	for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
		tsg_input in = {.data = k[i].text, .len = strlen(k[i].text),
		                .channel = TSG_CHANNEL_TEXT};
		const tsg_verdict *v;
		assert_int_equal(tsg_scan_run(s, &in, &v), TSG_OK);
		char got[256] = "";
		for (size_t b = 0; b < v->n_brands; b++)
			snprintf(got + strlen(got), sizeof got - strlen(got), "%s%s",
			         b ? " " : "", v->brands[b]);
		if (strcmp(got, k[i].brands))
			fail_msg("case %zu: brands '%s', expected '%s'", i, got, k[i].brands);
	}
	tsg_scan_free(s);
}

/* The advice starts with what the message carries: a call is told to hang
 * up, a text with a number not to call it, and a phishing email with only
 * a link gets the brand's advice alone, with no word of a number.  Without
 * a brand, a message at the payment stage gets advice.payment. */
static void test_advice_lead(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		tsg_channel channel;
		const char *starts;
	} k[] = {
		{"From: Microsoft <alerts@ms-secure-login.top>\r\nTo: you@example.com\r\n"
		 "Subject: Account closure\r\n\r\nYour Microsoft account has been "
		 "locked. Verify your identity at http://ms-secure-login.top/verify\r\n",
		 TSG_CHANNEL_EMAIL, "Microsoft never calls"},
		{"Microsoft: your PC is infected. Call 1-888-555-0199 now",
		 TSG_CHANNEL_SMS, "Do not call the number in this message. Microsoft"},
		{"Hello, this is Microsoft support, your computer is sending us "
		 "errors, please install AnyDesk",
		 TSG_CHANNEL_CALL, "Hang up and do not call back. Microsoft"},
		/* no brand: about to pay, or not */
		{"Your funds are not safe in the bank. Withdraw the cash and deposit "
		 "it into the Bitcoin ATM",
		 TSG_CHANNEL_CALL, "Do not pay, buy gift cards"},
		{"WARNING: your computer is infected with 5 viruses! Call 1-888-555-0199 "
		 "immediately",
		 TSG_CHANNEL_WEB, "Do not call any number, click any link"},
	};
	tsg_scan *s = tsg_scan_new(g_engine);
	assert_non_null(s);
	for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
		tsg_input in = {.data = k[i].text, .len = strlen(k[i].text),
		                .channel = k[i].channel};
		const tsg_verdict *v = NULL;
		assert_int_equal(tsg_scan_run(s, &in, &v), TSG_OK);
		assert_int_not_equal(v->cls, TSG_CLEAN);
		if (strncmp(v->advice, k[i].starts, strlen(k[i].starts)))
			fail_msg("case %zu: advice \"%s\" does not start with \"%s\"", i,
			         v->advice, k[i].starts);
	}
	tsg_scan_free(s);
}

static void test_unit_table(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < sizeof k_unit / sizeof *k_unit; i++)
		bad += run_unit(i, &k_unit[i]);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unit_table),
		cmocka_unit_test(test_scan_table),
		cmocka_unit_test(test_card_brand),
		cmocka_unit_test(test_advice_lead),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
