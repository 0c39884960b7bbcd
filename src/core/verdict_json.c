/*
 * verdict_json.c - the verdict and indicator JSON (docs/output.md).
 */
#include <math.h>
#include <stdlib.h>

#include "buf.h"
#include "tsguard.h"
#include "tsguard_limits.h"

static void write_indicator(tsgi_jw *w, const tsg_indicator *x, bool segments)
{
	tsgi_jw_obj(w);
	tsgi_jw_key(w, "kind");
	tsgi_jw_str(w, tsg_indicator_kind_name(x->kind));
	tsgi_jw_key(w, "value");
	tsgi_jw_str(w, x->value);
	if (x->detail) {
		tsgi_jw_key(w, "detail");
		tsgi_jw_str(w, x->detail);
	}
	if (x->host) {
		tsgi_jw_key(w, "host");
		tsgi_jw_str(w, x->host);
	}
	if (x->domain) {
		tsgi_jw_key(w, "domain");
		tsgi_jw_str(w, x->domain);
	}
	if (x->region) {
		tsgi_jw_key(w, "region");
		tsgi_jw_str(w, x->region);
	}
	if (x->brand) {
		tsgi_jw_key(w, "brand");
		tsgi_jw_str(w, x->brand);
	}
	static const struct {
		unsigned bit;
		const char *name;
	} flags[] = {
		{TSG_IND_F_TOLL_FREE, "toll_free"}, {TSG_IND_F_OFFICIAL, "official"},
		{TSG_IND_F_SPOKEN, "spoken"},       {TSG_IND_F_DEFANGED, "defanged"},
		{TSG_IND_F_SHORTENER, "shortener"},
	};
	if (x->flags) {
		tsgi_jw_key(w, "flags");
		tsgi_jw_arr(w);
		for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
			if (x->flags & flags[i].bit)
				tsgi_jw_str(w, flags[i].name);
		tsgi_jw_arr_end(w);
	}
	tsgi_jw_key(w, "start");
	tsgi_jw_int(w, (long long)x->start);
	tsgi_jw_key(w, "end");
	tsgi_jw_int(w, (long long)x->end);
	if (segments) {
		tsgi_jw_key(w, "segment");
		tsgi_jw_int(w, x->segment);
	}
	tsgi_jw_obj_end(w);
}

static void write_indicators(tsgi_jw *w, const tsg_indicator *ind, size_t n,
                             bool segments)
{
	tsgi_jw_arr(w);
	for (size_t i = 0; i < n; i++)
		write_indicator(w, &ind[i], segments);
	tsgi_jw_arr_end(w);
}

char *tsg_indicators_json(const tsg_indicator *ind, size_t n, unsigned flags)
{
	tsgi_buf b;
	tsgi_buf_init(&b, (size_t)TSG_MAX_INPUT * 8);
	tsgi_jw w;
	tsgi_jw_init(&w, &b, !(flags & TSG_JSON_COMPACT));
	bool segments = false;
	for (size_t i = 0; i < n; i++)
		if (ind[i].segment)
			segments = true;
	write_indicators(&w, ind, n, segments);
	return tsgi_buf_take(&b);
}

static const char *const k_limits[] = {
	"input_size", "matches",  "indicators", "mime_depth",
	"mime_parts", "html",     "turns",      "memory",
};

char *tsg_verdict_json(const tsg_verdict *v, unsigned flags)
{
	tsgi_buf b;
	tsgi_buf_init(&b, (size_t)TSG_MAX_INPUT * 8);
	tsgi_jw w;
	tsgi_jw_init(&w, &b, !(flags & TSG_JSON_COMPACT));
	bool segments = v->n_segments > 1;
	tsgi_jw_obj(&w);
	if (v->id) {
		tsgi_jw_key(&w, "id");
		tsgi_jw_str(&w, v->id);
	}
	tsgi_jw_key(&w, "verdict");
	tsgi_jw_str(&w, tsg_class_name(v->cls));
	tsgi_jw_key(&w, "score");
	tsgi_jw_num(&w, v->score);
	tsgi_jw_key(&w, "category");
	tsgi_jw_str(&w, v->category);
	tsgi_jw_key(&w, "channel");
	tsgi_jw_str(&w, tsg_channel_name(v->channel));
	tsgi_jw_key(&w, "lang");
	tsgi_jw_str(&w, v->lang);
	tsgi_jw_key(&w, "brands");
	tsgi_jw_arr(&w);
	for (size_t i = 0; i < v->n_brands; i++)
		tsgi_jw_str(&w, v->brands[i]);
	tsgi_jw_arr_end(&w);
	tsgi_jw_key(&w, "reasons");
	tsgi_jw_arr(&w);
	for (size_t i = 0; i < v->n_reasons; i++) {
		const tsg_reason *r = &v->reasons[i];
		tsgi_jw_obj(&w);
		tsgi_jw_key(&w, "rule");
		tsgi_jw_str(&w, r->rule_id);
		tsgi_jw_key(&w, "category");
		tsgi_jw_str(&w, r->category);
		tsgi_jw_key(&w, "weight");
		tsgi_jw_num(&w, r->weight);
		tsgi_jw_key(&w, "message");
		tsgi_jw_str(&w, r->message);
		if (r->turn >= 0) {
			tsgi_jw_key(&w, "turn");
			tsgi_jw_int(&w, r->turn);
		}
		tsgi_jw_key(&w, "evidence");
		tsgi_jw_arr(&w);
		for (size_t j = 0; j < r->n_evidence; j++) {
			const tsg_evidence *e = &r->evidence[j];
			tsgi_jw_obj(&w);
			tsgi_jw_key(&w, "start");
			tsgi_jw_int(&w, (long long)e->start);
			tsgi_jw_key(&w, "end");
			tsgi_jw_int(&w, (long long)e->end);
			if (segments) {
				tsgi_jw_key(&w, "segment");
				tsgi_jw_int(&w, e->segment);
			}
			tsgi_jw_key(&w, "text");
			tsgi_jw_str(&w, e->text);
			tsgi_jw_obj_end(&w);
		}
		tsgi_jw_arr_end(&w);
		tsgi_jw_obj_end(&w);
	}
	tsgi_jw_arr_end(&w);
	if (!(flags & TSG_JSON_NO_INDICATORS)) {
		tsgi_jw_key(&w, "indicators");
		write_indicators(&w, v->indicators, v->n_indicators, segments);
	}
	if (segments) {
		tsgi_jw_key(&w, "segments");
		tsgi_jw_arr(&w);
		for (size_t i = 0; i < v->n_segments; i++) {
			tsgi_jw_obj(&w);
			tsgi_jw_key(&w, "label");
			tsgi_jw_str(&w, v->segments[i].label);
			if (v->segments[i].turn >= 0) {
				tsgi_jw_key(&w, "turn");
				tsgi_jw_int(&w, v->segments[i].turn);
			}
			tsgi_jw_obj_end(&w);
		}
		tsgi_jw_arr_end(&w);
	}
	tsgi_jw_key(&w, "advice");
	tsgi_jw_str(&w, v->advice);
	if (v->model_score >= 0) {
		/* In thousandths, as the score: more digits say nothing and
		 * would cost a printf per verdict. */
		tsgi_jw_key(&w, "model_score");
		tsgi_jw_num(&w, round(v->model_score * 1000.0) / 1000.0);
	}
	if (v->limits_hit) {
		tsgi_jw_key(&w, "limits_hit");
		tsgi_jw_arr(&w);
		for (unsigned i = 0; i < 8; i++)
			if (v->limits_hit & (1u << i))
				tsgi_jw_str(&w, k_limits[i]);
		tsgi_jw_arr_end(&w);
	}
	tsgi_jw_obj_end(&w);
	return tsgi_buf_take(&b);
}
