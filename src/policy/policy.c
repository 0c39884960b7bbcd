/*
 * policy.c - placeholder: advice only, until the policy reasons land.
 */
#include "policy.h"

const char *tsgi_policy_apply(const tsgi_policy_in *in, tsgi_vb *vb)
{
	(void)vb;
	const tsg_engine *e = in->engine;
	if (in->nbrands) {
		const tsgi_brand *br = tsgi_brands_find(e->brands, in->brands[0]);
		if (br)
			return tsgi_brand_advice(br, in->lang);
	}
	const char *adv = tsgi_config_text(e->config, "advice.generic", in->lang);
	return adv ? adv : "";
}
