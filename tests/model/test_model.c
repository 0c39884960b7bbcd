/*
 * test_model.c - the model file format, training and the eval figures.
 *
 * Model files are built in memory (tsgi_model_new), so the refusal cases
 * need no fixture files; training runs on a small synthetic corpus written
 * to a temporary folder, with the project's rules.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>
#include <jansson.h>

#include "../../src/core/config.h"
#include "../../src/model/eval.h"
#include "../../src/model/model.h"
#include "../../src/model/model_int.h"
#include "../../src/model/train.h"
#include "tsguard.h"

static const char *const *core_rules(void);

/* A mkstemp()/mkdtemp() template in the temporary folder. */
static char *tmp_template(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s_XXXXXX", g_get_tmp_dir(), name);
	return buf;
}

static struct tsgi_model *sample_model(void)
{
	tsgi_feat_params fp = {.bits = 10, .seed = 7, .cmin = 3, .cmax = 4,
	                       .max_text = 1000};
	struct tsgi_model *m = tsgi_model_new(&fp);
	assert_non_null(m);
	float w[1024] = {0};
	for (size_t i = 0; i < 1024; i += 37)
		w[i] = (float)((double)i / 100.0 - 5.0);
	w[1023] = 0.25f;
	assert_int_equal(tsgi_model_set_weights(m, w), 29);
	m->bias = -3.5;
	m->fuse_a = 1.25;
	m->fuse_b = 4.0;
	m->fuse_c = -0.5;
	free(m->info);
	m->info = strdup("unit test model");
	return m;
}

static void test_roundtrip(void **state)
{
	(void)state;
	struct tsgi_model *m = sample_model();
	uint8_t *b;
	size_t n;
	char err[256];
	assert_int_equal(tsgi_model_serialize(m, &b, &n, err, sizeof err), TSG_OK);
	struct tsgi_model *r = NULL;
	assert_int_equal(tsgi_model_load_mem(b, n, &r, err, sizeof err), TSG_OK);
	assert_memory_equal(&r->fp, &m->fp, sizeof m->fp);
	assert_memory_equal(r->q, m->q, 1024 * sizeof *m->q);
	assert_true(r->scale == m->scale);
	assert_true(r->bias == m->bias && r->fuse_a == m->fuse_a &&
	            r->fuse_b == m->fuse_b && r->fuse_c == m->fuse_c);
	assert_string_equal(r->info, "unit test model");

	/* Through a file, too, and the same bytes again. */
	char path[512];
	tmp_template(path, sizeof path, "tsg_model");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(tsgi_model_save(r, path, err, sizeof err), TSG_OK);
	struct tsgi_model *r2 = NULL;
	assert_int_equal(tsgi_model_load(path, &r2, err, sizeof err), TSG_OK);
	uint8_t *b2;
	size_t n2;
	assert_int_equal(tsgi_model_serialize(r2, &b2, &n2, err, sizeof err),
	                 TSG_OK);
	assert_int_equal(n, n2);
	assert_memory_equal(b, b2, n);
	unlink(path);
	free(b);
	free(b2);
	tsgi_model_free(m);
	tsgi_model_free(r);
	tsgi_model_free(r2);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Recomputes the trailing SHA-256 so that a field change reaches the
 * range checks behind the checksum. */
static void reseal(uint8_t *b, size_t n)
{
	GChecksum *c = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(c, b, (gssize)(n - 32));
	gsize len = 32;
	g_checksum_get_digest(c, b + n - 32, &len);
	g_checksum_free(c);
}

enum edit { CUT, FLIP, SET32_RESEAL, SET32, SET8_RESEAL };

struct bad_case {
	int line;
	enum edit edit;
	long at;        /* byte offset; negative counts from the end */
	uint32_t value; /* for SET32*                                */
	const char *want;
};

static const struct bad_case k_bad[] = {
	{__LINE__, CUT, 0, 0, "truncated"},
	{__LINE__, CUT, 5, 0, "truncated"},
	{__LINE__, CUT, 10, 0, "truncated"},
	{__LINE__, CUT, 60, 0, "truncated"},
	{__LINE__, CUT, -1, 0, "checksum"},
	{__LINE__, CUT, -33, 0, "checksum"},
	{__LINE__, FLIP, 0, 0, "magic"},
	{__LINE__, FLIP, 4, 0, "magic"},
	{__LINE__, FLIP, 20, 0, "checksum"},
	{__LINE__, FLIP, 45, 0, "checksum"},
	{__LINE__, FLIP, 100, 0, "checksum"},
	{__LINE__, FLIP, -40, 0, "checksum"},
	{__LINE__, FLIP, -1, 0, "checksum"},
	/* Version 1 (float weights) and any other: refused, saying to retrain. */
	{__LINE__, SET32, 8, 1, "format version 1, this build reads version 2: "
	                        "retrain"},
	{__LINE__, SET32, 8, 0, "version 0"},
	{__LINE__, SET32, 8, 3, "version 3"},
	{__LINE__, SET32_RESEAL, 12, 99, "feature extraction version 99"},
	{__LINE__, SET32_RESEAL, 16, 40, "hash bits"},
	{__LINE__, SET32_RESEAL, 16, 9, "weight"},
	{__LINE__, SET32_RESEAL, 24, 0, "n-gram"},
	{__LINE__, SET32_RESEAL, 28, 9, "n-gram"},
	{__LINE__, SET32_RESEAL, 36, 5000, "weights"},
	{__LINE__, SET32_RESEAL, 36, 3, "weight table"},
	{__LINE__, SET32_RESEAL, 72, 100000, "provenance"},
	{__LINE__, SET32_RESEAL, 44, 0x7ff80000u, "not finite"},
	/* The weight scale (offset 80): not a number, negative. */
	{__LINE__, SET32_RESEAL, 84, 0x7ff80000u, "not finite"},
	{__LINE__, SET32_RESEAL, 84, 0x80000000u, "scale is not positive"},
	/* The last weight (just before the checksum): zero, -128. */
	{__LINE__, SET8_RESEAL, -33, 0x00, "weight is zero or out of range"},
	{__LINE__, SET8_RESEAL, -33, 0x80, "weight is zero or out of range"},
};

static void test_refused(void **state)
{
	(void)state;
	struct tsgi_model *m = sample_model();
	uint8_t *b;
	size_t n;
	char err[256];
	assert_int_equal(tsgi_model_serialize(m, &b, &n, err, sizeof err), TSG_OK);
	int failed = 0;
	for (size_t i = 0; i < sizeof k_bad / sizeof *k_bad; i++) {
		const struct bad_case *c = &k_bad[i];
		uint8_t *x = malloc(n);
		memcpy(x, b, n);
		size_t len = n;
		size_t at = c->at < 0 ? n - (size_t)(-c->at) : (size_t)c->at;
		switch (c->edit) {
		case CUT:
			len = at;
			break;
		case FLIP:
			x[at] ^= 0x40;
			break;
		case SET32:
		case SET32_RESEAL:
			put32(x + at, c->value);
			if (c->edit == SET32_RESEAL)
				reseal(x, len);
			break;
		case SET8_RESEAL:
			x[at] = (uint8_t)c->value;
			reseal(x, len);
			break;
		}
		struct tsgi_model *r = NULL;
		err[0] = '\0';
		tsg_status st = tsgi_model_load_mem(x, len, &r, err, sizeof err);
		if (st != TSG_EMODEL || r != NULL || !strstr(err, c->want)) {
			fprintf(stderr, "%s:%d: want TSG_EMODEL \"%s\", got %d \"%s\"\n",
			        __FILE__, c->line, c->want, (int)st, err);
			failed++;
		}
		tsgi_model_free(r);
		free(x);
	}
	struct tsgi_model *r = NULL;
	assert_int_equal(tsgi_model_load("/nonexistent/model.tsgm", &r, err,
	                                 sizeof err),
	                 TSG_EIO);
	assert_null(r);
	free(b);
	tsgi_model_free(m);
	assert_int_equal(failed, 0);
}

static void test_engine_refuses_damaged(void **state)
{
	(void)state;
	char path[512];
	tmp_template(path, sizeof path, "tsg_model");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "TSGM\r\n\x1a\nbroken", 14), 14);
	close(fd);
	tsg_engine_config cfg = {.model_path = path, .rule_paths = core_rules()};
	tsg_engine *e = NULL;
	assert_int_equal(tsg_engine_open(&cfg, &e), TSG_EMODEL);
	assert_non_null(strstr(tsg_engine_errmsg(e), "model file refused"));
	tsg_engine_unref(e);
	unlink(path);
}

/* ---- training ---------------------------------------------------------- */

static const char *const k_scam[] = {
	"URGENT: your computer is infected with a virus. Call Microsoft "
	"support now at 1-888-555-0142 to avoid data loss",
	"Your Amazon order of an iPhone for $899 was placed. If you did not "
	"make it call our refund desk at +1 (877) 555-0199 immediately",
	"Norton renewal: your subscription renewed for $399.99. To cancel and "
	"get a refund call 1-800-555-0123 today",
	"Security alert from PayPal: suspicious sign-in detected. Call our "
	"fraud department at 1-866-555-0177 to secure your account",
	"This is the IRS. A lawsuit has been filed against you. Pay with "
	"gift cards or call back 1-855-555-0111 before arrest",
	"Windows defender warning: trojan spyware found. Do not restart. "
	"Contact technician at 1-844-555-0100 and install AnyDesk",
};
static const char *const k_ham[] = {
	"Are we still meeting for lunch tomorrow at noon?",
	"Thanks for the photos from the weekend, the kids loved it",
	"Can you pick up milk and bread on your way home",
	"The meeting moved to room 4B, see you there at three",
	"Happy birthday! Hope you have a wonderful day with family",
	"I finished the report, it is on the shared drive now",
};

static const char *const k_fill[] = {"please", "today", "now", "friend",
                                     "thanks", "again", "soon", "ok"};

/* Writes a synthetic corpus: each template with a varying filler word. */
static void write_corpus(const char *path, int copies)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	for (int k = 0; k < copies; k++) {
		for (size_t i = 0; i < 6; i++) {
			fprintf(f,
			        "{\"id\":\"s%d-%zu\",\"channel\":\"sms\",\"label\":\"scam\","
			        "\"group\":\"s%zu\",\"content\":\"%s %s %d\"}\n",
			        k, i, i, k_scam[i], k_fill[(size_t)k % 8], k);
			fprintf(f,
			        "{\"id\":\"h%d-%zu\",\"channel\":\"sms\",\"label\":\"ham\","
			        "\"group\":\"h%d\",\"content\":\"%s %s %d\"}\n",
			        k, i, k % 7, k_ham[i], k_fill[(size_t)(k + 3) % 8], k);
		}
	}
	fprintf(f, "{\"id\":\"bad\",\"label\":\"ham\"}\n"); /* skipped */
	fprintf(f, "not json\n");                         /* skipped */
	fclose(f);
}

/* A small rule file keeps the Hyperscan compile cheap under ASan. */
static const char *const *core_rules(void)
{
	static char path[4096];
	static const char *paths[2];
	const char *src = getenv("TSGUARD_SRC");
	snprintf(path, sizeof path, "%s/tests/data/core.rules", src ? src : ".");
	paths[0] = path;
	return paths;
}

static tsg_engine *rules_engine(void)
{
	tsg_engine_config cfg = {.model_path = "", .rule_paths = core_rules()};
	tsg_engine *e = NULL;
	tsg_status st = tsg_engine_open(&cfg, &e);
	if (st != TSG_OK)
		fprintf(stderr, "engine: %s\n", tsg_engine_errmsg(e));
	assert_int_equal(st, TSG_OK);
	return e;
}

static void train_small(tsg_engine *e, const char *corpus, uint32_t seed,
                        uint8_t **b, size_t *n)
{
	tsgi_train_opts o;
	tsgi_train_defaults(&o);
	const char *files[] = {corpus};
	o.files = files;
	o.nfiles = 1;
	o.fp.bits = 14;
	o.fp.seed = seed;
	o.ftrl.seed = seed;
	o.folds = 3;
	struct tsgi_model *m = NULL;
	char err[256];
	tsg_status st = tsgi_train(e, &o, &m, err, sizeof err);
	if (st != TSG_OK)
		fprintf(stderr, "train: %s\n", err);
	assert_int_equal(st, TSG_OK);
	assert_int_equal(tsgi_model_serialize(m, b, n, err, sizeof err), TSG_OK);
	tsgi_model_free(m);
}

static void test_training(void **state)
{
	(void)state;
	char dir[512];
	tmp_template(dir, sizeof dir, "tsg_train");
	assert_non_null(mkdtemp(dir));
	char corpus[600], model[600];
	snprintf(corpus, sizeof corpus, "%s/train.jsonl", dir);
	snprintf(model, sizeof model, "%s/model.tsgm", dir);
	write_corpus(corpus, 20);
	tsg_engine *e = rules_engine();

	/* Same seed, same bytes; another seed, other bytes. */
	uint8_t *a, *b, *c;
	size_t na, nb, nc;
	train_small(e, corpus, 1, &a, &na);
	train_small(e, corpus, 1, &b, &nb);
	train_small(e, corpus, 2, &c, &nc);
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	assert_true(na != nc || memcmp(a, c, na) != 0);

	/* The model separates held-out messages of each kind. */
	FILE *f = fopen(model, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(a, 1, na, f), na);
	fclose(f);
	tsg_engine_config cfg = {.model_path = model, .rule_paths = core_rules()};
	tsg_engine *em = NULL;
	assert_int_equal(tsg_engine_open(&cfg, &em), TSG_OK);
	tsg_scan *s = tsg_scan_new(em);
	const char *scam = "Microsoft support warning: your computer is "
	                   "infected, call 1-888-555-0101 now";
	const char *ham = "see you at lunch tomorrow, thanks for the photos";
	tsg_input in = {.data = scam, .len = strlen(scam), .channel = TSG_CHANNEL_SMS};
	const tsg_verdict *v;
	assert_int_equal(tsg_scan_run(s, &in, &v), TSG_OK);
	double ps = v->model_score, ss = v->score;
	in.data = ham;
	in.len = strlen(ham);
	assert_int_equal(tsg_scan_run(s, &in, &v), TSG_OK);
	double ph = v->model_score, sh = v->score;
	fprintf(stderr, "scam p=%.3f score=%.3f, ham p=%.3f score=%.3f\n", ps, ss,
	        ph, sh);
	assert_true(ps > 0.5 && ph < 0.5);
	assert_true(ss > sh);
	tsg_scan_free(s);
	tsg_engine_unref(em);
	tsg_engine_unref(e);
	free(a);
	free(b);
	free(c);
	unlink(corpus);
	unlink(model);
	rmdir(dir);
}

static void test_training_needs_both_classes(void **state)
{
	(void)state;
	char path[512];
	tmp_template(path, sizeof path, "tsg_one");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *line = "{\"id\":\"a\",\"label\":\"ham\",\"content\":\"hi\"}\n";
	assert_int_equal(write(fd, line, strlen(line)), (ssize_t)strlen(line));
	close(fd);
	tsg_engine *e = rules_engine();
	tsgi_train_opts o;
	tsgi_train_defaults(&o);
	const char *files[] = {path};
	o.files = files;
	o.nfiles = 1;
	o.fp.bits = 12;
	struct tsgi_model *m = NULL;
	char err[256];
	assert_int_equal(tsgi_train(e, &o, &m, err, sizeof err), TSG_EINVAL);
	assert_null(m);
	assert_non_null(strstr(err, "scam"));
	tsg_engine_unref(e);
	unlink(path);
}

/* ---- eval figures ------------------------------------------------------ */

static void test_auc(void **state)
{
	(void)state;
	/* Positives at 0.35 and 0.8, negatives at 0.1 and 0.4: of the four
	 * positive/negative pairs, three are ranked right. */
	const double s1[] = {0.1, 0.4, 0.35, 0.8};
	const uint8_t p1[] = {0, 0, 1, 1};
	assert_float_equal(tsgi_eval_auc(s1, p1, 4), 0.75, 1e-12);
	/* A tie counts half. */
	const double s2[] = {0.5, 0.5, 0.9, 0.1};
	const uint8_t p2[] = {1, 0, 1, 0};
	assert_float_equal(tsgi_eval_auc(s2, p2, 4), 0.875, 1e-12);
	/* Perfect and reversed rankings. */
	const double s3[] = {0.9, 0.8, 0.2, 0.1};
	const uint8_t p3[] = {1, 1, 0, 0}, p4[] = {0, 0, 1, 1};
	assert_float_equal(tsgi_eval_auc(s3, p3, 4), 1.0, 1e-12);
	assert_float_equal(tsgi_eval_auc(s3, p4, 4), 0.0, 1e-12);
	/* One class only: undefined. */
	assert_true(isnan(tsgi_eval_auc(s3, p3, 2)));
}

/* The JSON report's language-guess entry for `lang` holds these counts. */
static void js_has_guess(const char *js, const char *lang, int records,
                         int right)
{
	json_t *o = json_loads(js, 0, NULL);
	assert_non_null(o);
	json_t *v;
	size_t i;
	bool seen = false;
	json_array_foreach(json_object_get(o, "lang_guess"), i, v) {
		if (strcmp(json_string_value(json_object_get(v, "lang")), lang))
			continue;
		seen = true;
		assert_int_equal(json_integer_value(json_object_get(v, "records")),
		                 records);
		assert_int_equal(json_integer_value(json_object_get(v, "right")), right);
	}
	assert_true(seen);
	json_decref(o);
}

static void test_metrics(void **state)
{
	(void)state;
	tsgi_eval_set s = {0};
	/* 4 scam (3 caught), 6 ham (1 flagged), 2 spam (1 flagged). */
	const double scam[] = {0.9, 0.8, 0.75, 0.2};
	const double ham[] = {0.71, 0.1, 0.2, 0.3, 0.05, 0.6};
	for (int i = 0; i < 4; i++)
		assert_true(tsgi_eval_add(&s, "s", TSGI_LABEL_SCAM, TSG_CHANNEL_SMS,
		                          "refund", "en", "en", scam[i]));
	for (int i = 0; i < 6; i++)
		assert_true(tsgi_eval_add(&s, "h", TSGI_LABEL_HAM,
		                          i < 3 ? TSG_CHANNEL_SMS : TSG_CHANNEL_EMAIL,
		                          NULL, i < 3 ? "en" : "de", i == 5 ? "de" : "fr",
		                          ham[i]));
	assert_true(tsgi_eval_add(&s, "p", TSGI_LABEL_SPAM, TSG_CHANNEL_SMS, "spam",
	                          "en", NULL, 0.95));
	assert_true(tsgi_eval_add(&s, "p", TSGI_LABEL_SPAM, TSG_CHANNEL_SMS, "spam",
	                          "en", NULL, 0.1));
	tsgi_eval_metrics m;
	tsgi_eval_compute(&s, NULL, 0.7, 0.4, &m);
	assert_int_equal(m.scam, 4);
	assert_int_equal(m.ham, 6);
	assert_int_equal(m.spam, 2);
	assert_int_equal(m.tp, 3);
	assert_int_equal(m.fn, 1);
	assert_int_equal(m.fp, 1);
	assert_int_equal(m.tn, 5);
	assert_int_equal(m.spam_flagged, 1);
	assert_int_equal(m.ham_suspicious, 2);
	assert_float_equal(m.precision, 0.75, 1e-12);
	assert_float_equal(m.recall, 0.75, 1e-12);
	assert_float_equal(m.fpr, 1.0 / 6.0, 1e-12);
	assert_float_equal(m.f1, 0.75, 1e-12);
	/* 0.9, 0.8 and 0.75 outrank all 6 ham; 0.2 outranks 0.1 and 0.05 and
	 * ties 0.2 (half): (6 + 6 + 6 + 2.5) / 24. */
	assert_float_equal(m.auc, 20.5 / 24.0, 1e-12);

	tsg_channel em = TSG_CHANNEL_EMAIL;
	tsgi_eval_slice sl = {.channel = &em};
	tsgi_eval_compute(&s, &sl, 0.7, 0.4, &m);
	assert_int_equal(m.scam, 0);
	assert_int_equal(m.ham, 3);
	assert_int_equal(m.fp, 0);             /* 0.3, 0.05, 0.6 < 0.7 */
	assert_int_equal(m.ham_suspicious, 1); /* 0.6 >= 0.4 */
	assert_true(isnan(m.recall));
	tsgi_eval_slice de = {.lang = "de"};
	tsgi_eval_compute(&s, &de, 0.7, 0.4, &m);
	assert_int_equal(m.ham, 3);
	tsgi_eval_slice cat = {.category = "refund"};
	tsgi_eval_compute(&s, &cat, 0.7, 0.4, &m);
	assert_int_equal(m.scam, 4);
	assert_int_equal(m.ham, 0);

	char *js = tsgi_eval_json(&s, &(tsgi_eval_report){.threshold = 0.7,
	                                                  .t_suspicious = 0.4,
	                                                  .errors = true});
	assert_non_null(js);
	assert_non_null(strstr(js, "\"slice\": \"channel email\""));
	/* The guess: 4 scam "en" right, 3 ham "en" read "fr", 1 of 3 "de". */
	js_has_guess(js, "en", 7, 4);
	js_has_guess(js, "de", 3, 1);
	free(js);
	tsgi_eval_free(&s);
}


/* ---- fusion, gating and the reason promise ------------------------------ */

/* An engine with the core rules, a hand-made model and its own data folder:
 * the project's data/tsguard.conf without its model.fusion/lift/alone/floor
 * and model.languages keys
 * (so the model file's fusion applies and the model alone never makes a
 * scam) plus the lines `conf`, and the project's brand registry. */
struct fixture {
	char dir[512], data[600], conf[640], brands[640], model[640];
	tsg_engine *e;
	tsg_scan *s;
};

static bool model_key(const char *line)
{
	return !strncmp(line, "model.fusion.", 13) ||
	       !strncmp(line, "model.lift.", 11) ||
	       !strncmp(line, "model.alone.", 12) ||
	       !strncmp(line, "model.floor.", 12) ||
	       !strncmp(line, "model.languages", 15);
}

static void fixture_open(struct fixture *fx, struct tsgi_model *m,
                         const char *conf)
{
	memset(fx, 0, sizeof *fx);
	tmp_template(fx->dir, sizeof fx->dir, "tsg_fix");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->data, sizeof fx->data, "%s/data", fx->dir);
	assert_int_equal(mkdir(fx->data, 0700), 0);
	const char *src = getenv("TSGUARD_SRC") ? getenv("TSGUARD_SRC") : ".";
	char path[4096];
	snprintf(path, sizeof path, "%s/data/tsguard.conf", src);
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	snprintf(fx->conf, sizeof fx->conf, "%s/tsguard.conf", fx->data);
	FILE *out = fopen(fx->conf, "w");
	assert_non_null(out);
	char line[4096];
	while (fgets(line, sizeof line, in))
		if (!model_key(line))
			fputs(line, out);
	fprintf(out, "%s\n", conf ? conf : "");
	fclose(in);
	fclose(out);
	snprintf(path, sizeof path, "%s/data/brands.json", src);
	snprintf(fx->brands, sizeof fx->brands, "%s/brands.json", fx->data);
	assert_int_equal(symlink(path, fx->brands), 0);
	snprintf(fx->model, sizeof fx->model, "%s/model.tsgm", fx->dir);
	char err[256];
	assert_int_equal(tsgi_model_save(m, fx->model, err, sizeof err), TSG_OK);
	tsgi_model_free(m);
	tsg_engine_config cfg = {.data_dir = fx->dir, .model_path = fx->model,
	                         .rule_paths = core_rules()};
	tsg_status st = tsg_engine_open(&cfg, &fx->e);
	if (st != TSG_OK)
		fprintf(stderr, "engine: %s\n", tsg_engine_errmsg(fx->e));
	assert_int_equal(st, TSG_OK);
	fx->s = tsg_scan_new(fx->e);
	assert_non_null(fx->s);
}

static void fixture_close(struct fixture *fx)
{
	tsg_scan_free(fx->s);
	tsg_engine_unref(fx->e);
	unlink(fx->model);
	unlink(fx->brands);
	unlink(fx->conf);
	rmdir(fx->data);
	rmdir(fx->dir);
}

/* A model with all weights 0, so the logit is `bias` for every message;
 * its file's fusion is sigmoid(a*z + b*r + c). */
static struct tsgi_model *fixed_model(double bias, double a, double b,
                                      double c)
{
	struct tsgi_model *m = sample_model();
	memset(m->q, 0, 1024 * sizeof *m->q);
	m->bias = bias;
	m->fuse_a = a;
	m->fuse_b = b;
	m->fuse_c = c;
	return m;
}

static const tsg_verdict *scan_one(tsg_scan *s, const char *text,
                                   tsg_channel ch)
{
	tsg_input in = {.data = text, .len = strlen(text), .channel = ch};
	const tsg_verdict *v = NULL;
	assert_int_equal(tsg_scan_run(s, &in, &v), TSG_OK);
	return v;
}

static bool has_reason(const tsg_verdict *v, const char *id)
{
	for (size_t i = 0; i < v->n_reasons; i++)
		if (!strcmp(v->reasons[i].rule_id, id))
			return true;
	return false;
}

static void test_channels_key(void **state)
{
	(void)state;
	assert_true(tsgi_model_channel_listed(NULL, TSG_CHANNEL_CALL));
	assert_true(tsgi_model_channel_listed(NULL, TSG_CHANNEL_EMAIL));
	assert_false(tsgi_model_channel_listed(NULL, TSG_CHANNEL_WEB));
	assert_false(tsgi_model_channel_listed(NULL, TSG_CHANNEL_AUTO));
	assert_true(tsgi_model_channel_listed("web,sms", TSG_CHANNEL_WEB));
	assert_false(tsgi_model_channel_listed("websms", TSG_CHANNEL_SMS));
	assert_false(tsgi_model_channel_listed("", TSG_CHANNEL_SMS));
	assert_true(tsgi_model_lang_listed(NULL, "fr"));
	assert_true(tsgi_model_lang_listed("en es", "es"));
	assert_false(tsgi_model_lang_listed("en es", "de"));
	assert_false(tsgi_model_lang_listed("", "en"));
	char err[128] = "";
	assert_true(tsgi_model_channels_valid(TSGI_MODEL_CHANNELS_DEFAULT, err,
	                                      sizeof err));
	assert_true(tsgi_model_channels_valid("", err, sizeof err));
	assert_false(tsgi_model_channels_valid("sms emial", err, sizeof err));
	assert_non_null(strstr(err, "'emial'"));
	assert_false(tsgi_model_channels_valid("auto", err, sizeof err));
}

/* A model sure of scam on everything: alone it makes "suspicious" at
 * most, with its reason; on web (not in model.channels) it is not asked. */
static void test_model_alone_capped(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, fixed_model(6.0, 1.0, 0.0, 0.0), NULL);
	const tsg_verdict *v =
		scan_one(fx.s, "see you at lunch tomorrow, bring the photos",
		         TSG_CHANNEL_SMS);
	assert_int_equal(v->cls, TSG_SUSPICIOUS);
	assert_true(v->score < 0.7);
	assert_true(v->model_score > 0.99);
	assert_true(has_reason(v, "model.words"));

	v = scan_one(fx.s, "<html><body><p>Recipes for a quiet weekend</p></body>"
	                   "</html>",
	             TSG_CHANNEL_WEB);
	assert_true(v->model_score < 0); /* not applied */
	assert_int_equal(v->cls, TSG_CLEAN);
	fixture_close(&fx);
}

/* A model that leans against scam (p = 0.38) under a fusion whose
 * intercept alone would reach "suspicious": the class stays the rules'
 * (the old code flagged such a message with no reason at all). */
static void test_model_against_never_flags(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, fixed_model(-0.5, 1.0, 0.0, 1.0), NULL);
	const tsg_verdict *v = scan_one(
		fx.s, "the meeting moved to room 4B, see you there", TSG_CHANNEL_EMAIL);
	assert_true(v->model_score < 0.5);
	assert_int_equal(v->cls, TSG_CLEAN);
	fixture_close(&fx);
}

/* The evidence of a reason, as text, for the checks below. */
static bool quotes_only_text(const tsg_verdict *v, const char *id)
{
	for (size_t i = 0; i < v->n_reasons; i++)
		if (!strcmp(v->reasons[i].rule_id, id))
			return v->reasons[i].n_evidence > 0;
	return false;
}

/* The promise: a verdict that is not clean says why, and a scam on the
 * model alone quotes the text.  Several fusions (model for, against,
 * neutral; rules weighted up or down), with and without the shipped
 * model.* keys, over ham, scam and borderline messages on every channel. */
static void test_flagged_has_reasons(void **state)
{
	(void)state;
	static const double fus[][4] = {
		{6, 1, 0, 0},  {-0.5, 1, 0, 1}, {0.2, 1, 0, -0.6}, {0.3, 2, 12, 1},
		{-3, 1.6, 12.7, 1.2}, {0, 1, 1, -0.3}, {1.5, 0.5, 3, -1},
	};
	static const char *const confs[] = {
		NULL,
		"model.lift.min_probability = 0.6\n"
		"model.alone.min_probability = 0.65\nmodel.alone.min_quotes = 1",
	};
	static const char *const msgs[] = {
		"see you at lunch tomorrow, bring the photos",
		"Your Amazon order of $899 was placed, call 1-877-555-0199 to cancel",
		("URGENT your computer is infected call Microsoft support "
		 "1-888-555-0100 and install AnyDesk"),
		"Pay with gift cards today or call back 1-855-555-0111",
		"Thanks, the refund arrived on my card",
		"",
	};
	static const tsg_channel chans[] = {TSG_CHANNEL_SMS, TSG_CHANNEL_EMAIL,
	                                    TSG_CHANNEL_CALL, TSG_CHANNEL_CHAT,
	                                    TSG_CHANNEL_TEXT};
	for (size_t k = 0; k < sizeof confs / sizeof *confs; k++)
	for (size_t f = 0; f < sizeof fus / sizeof *fus; f++) {
		struct fixture fx;
		fixture_open(&fx, fixed_model(fus[f][0], fus[f][1], fus[f][2],
		                              fus[f][3]),
		             confs[k]);
		for (size_t i = 0; i < sizeof msgs / sizeof *msgs; i++)
			for (size_t c = 0; c < sizeof chans / sizeof *chans; c++) {
				const tsg_verdict *v = scan_one(fx.s, msgs[i], chans[c]);
				if (v->cls != TSG_CLEAN && v->n_reasons == 0)
					fail_msg("conf %zu, fusion %zu, message %zu, channel %s: "
					         "%s %.3f with no reason",
					         k, f, i, tsg_channel_name(chans[c]),
					         v->cls == TSG_SCAM ? "scam" : "suspicious",
					         v->score);
				bool rule_evidence = false;
				for (size_t r = 0; r < v->n_reasons; r++)
					rule_evidence |= strcmp(v->reasons[r].rule_id,
					                        "model.words") &&
					                 v->reasons[r].weight > 0;
				/* All weights are 0: no word pushed, nothing to quote. */
				if (v->cls == TSG_SCAM && !rule_evidence)
					fail_msg("conf %zu, fusion %zu, message %zu: scam on "
					         "the model alone without a quote (%d)",
					         k, f, i, quotes_only_text(v, "model.words"));
			}
		fixture_close(&fx);
	}
}

/* data/tsguard.conf's model.fusion.* replace the model file's fusion. */
static void test_conf_fusion(void **state)
{
	(void)state;
	/* No rule hits: score = sigmoid(a*z + c), z = -1, below "suspicious"
	 * either way, so no class limit applies. */
	const char *msg = "see you at lunch tomorrow, bring the photos";
	struct fixture fx;
	fixture_open(&fx, fixed_model(-1.0, 1.0, 0.0, 0.0), NULL);
	const tsg_verdict *v = scan_one(fx.s, msg, TSG_CHANNEL_SMS);
	assert_float_equal(v->score, round(1000 * tsgi_sigmoid(-1.0)) / 1000,
	                   1e-9);
	fixture_close(&fx);
	fixture_open(&fx, fixed_model(-1.0, 1.0, 0.0, 0.0),
	             "model.fusion.a = 2\nmodel.fusion.b = 8\n"
	             "model.fusion.c = 0.5");
	v = scan_one(fx.s, msg, TSG_CHANNEL_SMS);
	assert_float_equal(v->score, round(1000 * tsgi_sigmoid(-1.5)) / 1000,
	                   1e-9);
	tsgi_fusion fu;
	tsgi_model_fusion(fx.e, &fu);
	assert_true(fu.a == 2 && fu.b == 8 && fu.c == 0.5);
	fixture_close(&fx);
}

/* A fixed model at probability p and the lines `conf`, and the class the
 * scan must give; check_classes scans "Your PC is infected" (core.alert,
 * 0.5: suspicious by the rules). */
struct class_case {
	const char *conf;
	double p;
	tsg_class want;
};

/* Case i: a fixed model at probability p with fusion 1, 8, 0 and the
 * lines `conf` scans `text` on channel ch; the rule `reason` must hold and
 * the class must be `want`. */
static void expect_class(size_t i, const char *conf, double p,
                         const char *text, tsg_channel ch, const char *reason,
                         tsg_class want)
{
	struct fixture fx;
	fixture_open(&fx, fixed_model(log(p / (1 - p)), 1.0, 8.0, 0.0), conf);
	const tsg_verdict *v = scan_one(fx.s, text, ch);
	assert_true(has_reason(v, reason));
	if (v->cls != want)
		fail_msg("case %zu: class %d score %.3f, want %d", i, (int)v->cls,
		         v->score, (int)want);
	fixture_close(&fx);
}

static void check_classes(const struct class_case *k, size_t n)
{
	for (size_t i = 0; i < n; i++)
		expect_class(i, k[i].conf, k[i].p, "Your PC is infected",
		             TSG_CHANNEL_SMS, "core.alert", k[i].want);
}

/* model.lift.min_probability: a model at p = 0.55 lifts the message to
 * scam only when allowed. */
static void test_lift(void **state)
{
	(void)state;
	static const struct class_case k[] = {
		{NULL, 0.55, TSG_SCAM}, /* default 0.5 */
		{"model.lift.min_probability = 0.5", 0.55, TSG_SCAM},
		{"model.lift.min_probability = 0.6", 0.55, TSG_SUSPICIOUS},
	};
	check_classes(k, sizeof k / sizeof *k);
}

/* model.lift.block.rules: a model at p = 0.55 does not lift a message
 * whose named rule (core.known: "the number on the back of your card")
 * holds, unless a reason of a later scam stage (core.pay, stage 4) does
 * that model.lift.block.except does not name. */
static void test_lift_block(void **state)
{
	(void)state;
	static const struct {
		const char *conf, *text;
		tsg_class want;
	} k[] = {
		{NULL, "Your PC is infected. Call the number on the back of your card",
		 TSG_SCAM},
		{"model.lift.block.rules = core.known",
		 "Your PC is infected. Call the number on the back of your card",
		 TSG_SUSPICIOUS},
		{"model.lift.block.rules = core.known",
		 "Your PC is infected. Call the number on the back of your card and "
		 "send the money",
		 TSG_SCAM},
		{"model.lift.block.rules = core.known\n"
		 "model.lift.block.except = core.pay",
		 "Your PC is infected. Call the number on the back of your card and "
		 "send the money",
		 TSG_SUSPICIOUS},
		{"model.lift.block.rules = core.known", "Your PC is infected",
		 TSG_SCAM},
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++)
		expect_class(i, k[i].conf, 0.55, k[i].text, TSG_CHANNEL_CALL,
		             "core.alert", k[i].want);
}

/* One weak rule (core.gift, 0.3: clean by the rules) counts as no rule for
 * the model-alone limit: a model at p = 0.62 that lifts it may not make it
 * a scam (the fused score alone, 0.95, would), nor may a sure model whose
 * reason quotes nothing; a model-alone setting it meets may. */
static void test_weak_rule_is_alone(void **state)
{
	(void)state;
	static const struct class_case k[] = {
		{NULL, 0.62, TSG_SUSPICIOUS},
		{"model.alone.min_probability = 0.65", 0.62, TSG_SUSPICIOUS},
		{"model.alone.min_probability = 0.65\nmodel.alone.min_quotes = 1",
		 0.99, TSG_SUSPICIOUS},
		{"model.lift.min_probability = 0.7", 0.62, TSG_CLEAN},
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++)
		expect_class(i, k[i].conf, k[i].p, "you can pay with gift cards",
		             TSG_CHANNEL_SMS, "core.gift", k[i].want);
}

/* model.floor.rules: a model sure the message is harmless (p = 0.01)
 * drops it to clean, unless a reason the key names holds; then the rules'
 * class stays, and the floor does not lift a model that is not sure
 * (p = 0.55) above it. */
static void test_floor(void **state)
{
	(void)state;
	static const struct class_case k[] = {
		{NULL, 0.01, TSG_CLEAN},
		{"model.floor.rules = core.call", 0.01, TSG_CLEAN},
		{"model.floor.rules = policy.forbidden_ask core.alert", 0.01,
		 TSG_SUSPICIOUS},
		{"model.floor.rules = core.alert\nmodel.lift.min_probability = 0.6",
		 0.55, TSG_SUSPICIOUS},
	};
	check_classes(k, sizeof k / sizeof *k);
}

/* With a floor reason, a model sure the message is harmless leaves the
 * score at the rules' own (core.alert, 0.5), not at the class boundary. */
static void test_floor_score(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, fixed_model(log(0.01 / 0.99), 1.0, 8.0, 0.0),
	             "model.floor.rules = core.alert");
	const tsg_verdict *v = scan_one(fx.s, "Your PC is infected", TSG_CHANNEL_SMS);
	assert_int_equal(v->cls, TSG_SUSPICIOUS);
	assert_float_equal(v->score, 0.5, 1e-9);
	fixture_close(&fx);
}

/* model.languages: a model sure the (English) message is harmless is
 * applied only when English is listed. */
static void test_languages_key(void **state)
{
	(void)state;
	static const struct class_case k[] = {
		{"model.languages = en", 0.01, TSG_CLEAN},
		{"model.languages = de fr", 0.01, TSG_SUSPICIOUS},
	};
	check_classes(k, sizeof k / sizeof *k);
}

/* An engine refuses a model.floor.rules name that is no policy reason
 * (with its own rule files, as here, an unknown rule name is let pass:
 * the shipped configuration names rules of the shipped pack). */
static void test_floor_names(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"model.floor.rules = policy.nope",
		"model.floor.rules = policy.unsolicitd",
		"model.lift.block.rules = policy.unsolicited", /* rules only */
		"model.lift.block.except = policy.unsolicited",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char dir[512], data[600], conf[640], brands[640], src[4096];
		tmp_template(dir, sizeof dir, "tsg_floor");
		assert_non_null(mkdtemp(dir));
		snprintf(data, sizeof data, "%s/data", dir);
		assert_int_equal(mkdir(data, 0700), 0);
		snprintf(src, sizeof src, "%s/data/brands.json",
		         getenv("TSGUARD_SRC") ? getenv("TSGUARD_SRC") : ".");
		snprintf(brands, sizeof brands, "%s/brands.json", data);
		assert_int_equal(symlink(src, brands), 0);
		snprintf(conf, sizeof conf, "%s/tsguard.conf", data);
		FILE *f = fopen(conf, "w");
		assert_non_null(f);
		fprintf(f, "%s\n", bad[i]);
		fclose(f);
		tsg_engine_config cfg = {.data_dir = dir, .model_path = "",
		                         .rule_paths = core_rules()};
		tsg_engine *e = NULL;
		assert_int_not_equal(tsg_engine_open(&cfg, &e), TSG_OK);
		const char *msg = tsg_engine_errmsg(e);
		const char *eq = strstr(bad[i], " = ");
		char key[64];
		snprintf(key, sizeof key, "%.*s", (int)(eq - bad[i]), bad[i]);
		if (!strstr(msg, key) || !strstr(msg, eq + 3))
			fail_msg("case %zu: \"%s\"", i, msg);
		tsg_engine_unref(e);
		unlink(conf);
		unlink(brands);
		rmdir(data);
		rmdir(dir);
	}
}

/* A model whose only weights are on three made-up words (2^16 buckets:
 * no other feature of the test messages shares theirs). */
static struct tsgi_model *word_model(void)
{
	tsgi_feat_params fp = {.bits = 16, .seed = 7, .cmin = 3, .cmax = 4,
	                       .max_text = 1000};
	struct tsgi_model *m = tsgi_model_new(&fp);
	assert_non_null(m);
	float *w = calloc((size_t)1 << fp.bits, sizeof *w);
	assert_non_null(w);
	static const char *const words[] = {"zebra", "quartz", "marmalade"};
	for (size_t i = 0; i < 3; i++)
		w[tsgi_feat_hash(&m->fp, TSGI_NS_WORD, words[i],
		                 strlen(words[i]))] = 4.0f;
	assert_int_equal(tsgi_model_set_weights(m, w), 3);
	free(w);
	m->bias = -0.5;
	m->fuse_a = 1.0;
	m->fuse_b = 8.0;
	m->fuse_c = 0.0;
	return m;
}

/* The text of evidence item j of reason `id`, and its place in `msg`. */
static const tsg_evidence *evidence(const tsg_verdict *v, const char *id,
                                    size_t j)
{
	for (size_t i = 0; i < v->n_reasons; i++)
		if (!strcmp(v->reasons[i].rule_id, id) && j < v->reasons[i].n_evidence)
			return &v->reasons[i].evidence[j];
	return NULL;
}

/* The model alone makes a scam when it is sure and quotes the text in
 * enough places, each quote a byte span of the original message. */
static void test_alone_quotes(void **state)
{
	(void)state;
	/* Upper case and doubled spaces: the quotes come from the original
	 * bytes, not from the normalised text.  p = 0.98 with the three
	 * words, 0.76 with one. */
	const char *three = "Hello ZEBRA, the  Quartz and marmalade are ready";
	const char *one = "Hello zebra, the lunch is ready";
	const struct {
		const char *conf, *msg;
		tsg_class want;
		size_t quotes;
	} k[] = {
		{NULL, three, TSG_SUSPICIOUS, 3}, /* no model.alone keys: capped */
		{"model.alone.min_probability = 0.65\nmodel.alone.min_quotes = 2",
		 three, TSG_SCAM, 3},
		{"model.alone.min_probability = 0.65\nmodel.alone.min_quotes = 2", one,
		 TSG_SUSPICIOUS, 1},
		{"model.alone.min_probability = 0.65\nmodel.alone.min_quotes = 1", one,
		 TSG_SCAM, 1},
		{"model.alone.min_probability = 0.999\nmodel.alone.min_quotes = 1",
		 one, TSG_SUSPICIOUS, 1},
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
		struct fixture fx;
		fixture_open(&fx, word_model(), k[i].conf);
		const tsg_verdict *v = scan_one(fx.s, k[i].msg, TSG_CHANNEL_SMS);
		fprintf(stderr, "case %zu: class %d score %.3f p %.3f\n", i,
		        (int)v->cls, v->score, v->model_score);
		if (v->cls != k[i].want)
			fail_msg("case %zu: class %d, want %d", i, (int)v->cls,
			         (int)k[i].want);
		assert_true(has_reason(v, "model.words"));
		/* Every quote is a span of the message holding one of the words. */
		size_t n = 0;
		for (const tsg_evidence *e; (e = evidence(v, "model.words", n)); n++) {
			assert_true(e->end > e->start && e->end <= strlen(k[i].msg));
			assert_int_equal(strlen(e->text), e->end - e->start);
			assert_memory_equal(e->text, k[i].msg + e->start, e->end - e->start);
			assert_true(!g_ascii_strncasecmp(e->text, "zebra", 5) ||
			            !g_ascii_strncasecmp(e->text, "quartz", 6) ||
			            !g_ascii_strncasecmp(e->text, "marmalade", 9));
		}
		assert_int_equal(n, k[i].quotes);
		fixture_close(&fx);
	}
}

/* tsgi_model_conf_valid names the key out of range. */
static void test_conf_valid(void **state)
{
	(void)state;
	static const struct {
		const char *text, *want; /* want NULL: valid */
	} k[] = {
		{"model.alone.min_probability = 0.65\nmodel.alone.min_quotes = 2\n",
		 NULL},
		{"model.fusion.a = 2\nmodel.fusion.b = 0\nmodel.fusion.c = -3\n", NULL},
		{"model.alone.min_probability = 1.5\n", "model.alone.min_probability"},
		{"model.alone.min_quotes = 2.5\n", "model.alone.min_quotes"},
		{"model.alone.min_quotes = 9\n", "model.alone.min_quotes"},
		{"model.fusion.a = 0\n", "model.fusion.a"},
		{"model.fusion.b = -1\n", "model.fusion.b"},
		{"model.lift.min_probability = often\n", "model.lift.min_probability"},
		{"model.channels = sms fax\n", "'fax'"},
		{"model.languages = en, fr\n", NULL},
		{"model.languages = en it\n", "model.languages: unknown language 'it'"},
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++) {
		char path[512];
		tmp_template(path, sizeof path, "tsg_conf");
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, k[i].text, strlen(k[i].text)),
		                 (ssize_t)strlen(k[i].text));
		close(fd);
		tsgi_config *c = NULL;
		tsgi_errors errs = {0};
		assert_int_equal(tsgi_config_load(path, &c, &errs), 0);
		char err[256] = "";
		bool ok = tsgi_model_conf_valid(c, err, sizeof err);
		if (ok != !k[i].want || (k[i].want && !strstr(err, k[i].want)))
			fail_msg("case %zu: valid %d, message \"%s\"", i, ok, err);
		tsgi_config_free(c);
		tsgi_errors_free(&errs);
		unlink(path);
	}
}

/* Quantisation: the scale is the largest |w| over 127, each weight the
 * nearest quantum, a weight that is not finite refused. */
static void test_quantise(void **state)
{
	(void)state;
	struct tsgi_model *m = sample_model();
	float w[1024] = {0};
	w[1] = 2.54f;
	w[2] = -1.0f;
	w[3] = 0.005f; /* under half a quantum: dropped */
	w[4] = 0.015f; /* just over: one quantum */
	assert_int_equal(tsgi_model_set_weights(m, w), 3);
	assert_float_equal(m->scale, 2.54 / 127, 1e-9);
	assert_int_equal(m->q[1], 127);
	assert_int_equal(m->q[2], -50);
	assert_int_equal(m->q[3], 0);
	assert_int_equal(m->q[4], 1);
	assert_float_equal(tsgi_model_weight(m, 2), -1.0, 2.54 / 127 / 2);
	w[5] = NAN;
	assert_int_equal(tsgi_model_set_weights(m, w), SIZE_MAX);
	assert_int_equal(m->q[1], 127); /* unchanged */
	tsgi_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_engine_refuses_damaged),
		cmocka_unit_test(test_training),
		cmocka_unit_test(test_training_needs_both_classes),
		cmocka_unit_test(test_auc),
		cmocka_unit_test(test_metrics),
		cmocka_unit_test(test_channels_key),
		cmocka_unit_test(test_model_alone_capped),
		cmocka_unit_test(test_model_against_never_flags),
		cmocka_unit_test(test_flagged_has_reasons),
		cmocka_unit_test(test_conf_fusion),
		cmocka_unit_test(test_lift),
		cmocka_unit_test(test_lift_block),
		cmocka_unit_test(test_floor),
		cmocka_unit_test(test_languages_key),
		cmocka_unit_test(test_floor_names),
		cmocka_unit_test(test_alone_quotes),
		cmocka_unit_test(test_weak_rule_is_alone),
		cmocka_unit_test(test_floor_score),
		cmocka_unit_test(test_conf_valid),
		cmocka_unit_test(test_quantise),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
