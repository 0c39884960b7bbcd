/*
 * phone_plan.c - numbering plans: which digit strings are phone numbers,
 * and their E.164 form.
 *
 * Owner: indicators.  Pure functions over caller buffers; no allocation, no
 * global mutable state, safe from any thread.
 *
 * Two levels of knowledge:
 *   - every ITU country calling code, with the plausible lengths of its
 *     national significant number (NSN) and its trunk prefix.  That is
 *     enough for any "+CC ..." or "00CC ..." number;
 *   - full national rules for the regions scam call centres target or
 *     operate from: NANP (US, CA and the Caribbean), GB, DE, ES, FR, AU and
 *     IN.  These say which leading digits are valid, which ranges are
 *     toll-free or premium (both reported as TSG_IND_F_TOLL_FREE) and how
 *     numbers are written nationally (with or without the trunk '0').
 *
 * The tables are in C, not in a data file, because they encode ITU and
 * regulator assignments that change every few years, not anything a
 * deployment tunes, and because tsgi_phone_canon() has no engine to load a
 * file from.
 *
 * A number without a country code is read in the default region.  When
 * that fails, a few unambiguous fallbacks apply: a NANP toll-free number
 * ("888-555-0199", "1-800-...") in any region; a GB number written with its
 * trunk '0' and 11 digits when the region is NANP (the NANP never starts
 * with 0); and a mobile number written with its country code but no '+'
 * ("447...", "919...") for GB, FR, ES, AU and IN.
 */
#include <string.h>

#include "indicators.h"
#include "phone_int.h"

enum plan_kind {
	PLAN_GENERIC = 0,
	PLAN_NANP,
	PLAN_GB,
	PLAN_DE,
	PLAN_ES,
	PLAN_FR,
	PLAN_AU,
	PLAN_IN,
	PLAN_IT, /* the leading 0 of fixed lines is part of the NSN */
	PLAN_INTL_FREE, /* +800 universal freephone */
};

typedef struct cc_plan {
	uint16_t cc;
	const char *iso; /* NULL for non-geographic codes */
	uint8_t min, max; /* NSN digits */
	char trunk;       /* national prefix digit, or 0 */
	uint8_t kind;     /* enum plan_kind */
} cc_plan;

/* Sorted by cc.  Lengths follow the ITU E.164 national plans, loosened
 * where a country mixes lengths. */
static const cc_plan k_plans[] = {
	{1, "US", 10, 10, 0, PLAN_NANP},
	{7, "RU", 10, 10, '8', PLAN_GENERIC},
	{20, "EG", 8, 10, '0', PLAN_GENERIC},
	{27, "ZA", 9, 9, '0', PLAN_GENERIC},
	{30, "GR", 10, 10, 0, PLAN_GENERIC},
	{31, "NL", 9, 9, '0', PLAN_GENERIC},
	{32, "BE", 8, 9, '0', PLAN_GENERIC},
	{33, "FR", 9, 9, '0', PLAN_FR},
	{34, "ES", 9, 9, 0, PLAN_ES},
	{36, "HU", 8, 9, 0, PLAN_GENERIC},
	{39, "IT", 6, 11, 0, PLAN_IT},
	{40, "RO", 9, 9, '0', PLAN_GENERIC},
	{41, "CH", 9, 9, '0', PLAN_GENERIC},
	{43, "AT", 7, 13, '0', PLAN_GENERIC},
	{44, "GB", 9, 10, '0', PLAN_GB},
	{45, "DK", 8, 8, 0, PLAN_GENERIC},
	{46, "SE", 7, 10, '0', PLAN_GENERIC},
	{47, "NO", 8, 8, 0, PLAN_GENERIC},
	{48, "PL", 9, 9, 0, PLAN_GENERIC},
	{49, "DE", 6, 11, '0', PLAN_DE},
	{51, "PE", 8, 9, '0', PLAN_GENERIC},
	{52, "MX", 10, 10, 0, PLAN_GENERIC},
	{53, "CU", 6, 8, '0', PLAN_GENERIC},
	{54, "AR", 10, 11, '0', PLAN_GENERIC},
	{55, "BR", 10, 11, '0', PLAN_GENERIC},
	{56, "CL", 9, 9, 0, PLAN_GENERIC},
	{57, "CO", 8, 10, 0, PLAN_GENERIC},
	{58, "VE", 10, 10, '0', PLAN_GENERIC},
	{60, "MY", 8, 10, '0', PLAN_GENERIC},
	{61, "AU", 9, 10, '0', PLAN_AU},
	{62, "ID", 8, 12, '0', PLAN_GENERIC},
	{63, "PH", 8, 10, '0', PLAN_GENERIC},
	{64, "NZ", 8, 10, '0', PLAN_GENERIC},
	{65, "SG", 8, 8, 0, PLAN_GENERIC},
	{66, "TH", 8, 9, '0', PLAN_GENERIC},
	{81, "JP", 9, 10, '0', PLAN_GENERIC},
	{82, "KR", 8, 10, '0', PLAN_GENERIC},
	{84, "VN", 9, 10, '0', PLAN_GENERIC},
	{86, "CN", 9, 11, '0', PLAN_GENERIC},
	{90, "TR", 10, 10, '0', PLAN_GENERIC},
	{91, "IN", 10, 11, '0', PLAN_IN},
	{92, "PK", 9, 10, '0', PLAN_GENERIC},
	{93, "AF", 9, 9, '0', PLAN_GENERIC},
	{94, "LK", 9, 9, '0', PLAN_GENERIC},
	{95, "MM", 7, 10, '0', PLAN_GENERIC},
	{98, "IR", 10, 10, '0', PLAN_GENERIC},
	{211, "SS", 9, 9, '0', PLAN_GENERIC},
	{212, "MA", 9, 9, '0', PLAN_GENERIC},
	{213, "DZ", 8, 9, '0', PLAN_GENERIC},
	{216, "TN", 8, 8, 0, PLAN_GENERIC},
	{218, "LY", 9, 9, '0', PLAN_GENERIC},
	{220, "GM", 7, 7, 0, PLAN_GENERIC},
	{221, "SN", 9, 9, 0, PLAN_GENERIC},
	{222, "MR", 8, 8, 0, PLAN_GENERIC},
	{223, "ML", 8, 8, 0, PLAN_GENERIC},
	{224, "GN", 8, 9, 0, PLAN_GENERIC},
	{225, "CI", 8, 10, 0, PLAN_GENERIC},
	{226, "BF", 8, 8, 0, PLAN_GENERIC},
	{227, "NE", 8, 8, 0, PLAN_GENERIC},
	{228, "TG", 8, 8, 0, PLAN_GENERIC},
	{229, "BJ", 8, 10, 0, PLAN_GENERIC},
	{230, "MU", 7, 8, 0, PLAN_GENERIC},
	{231, "LR", 7, 9, '0', PLAN_GENERIC},
	{232, "SL", 8, 8, '0', PLAN_GENERIC},
	{233, "GH", 9, 9, '0', PLAN_GENERIC},
	{234, "NG", 8, 10, '0', PLAN_GENERIC},
	{235, "TD", 8, 8, 0, PLAN_GENERIC},
	{236, "CF", 8, 8, 0, PLAN_GENERIC},
	{237, "CM", 9, 9, 0, PLAN_GENERIC},
	{238, "CV", 7, 7, 0, PLAN_GENERIC},
	{239, "ST", 7, 7, 0, PLAN_GENERIC},
	{240, "GQ", 9, 9, 0, PLAN_GENERIC},
	{241, "GA", 7, 8, 0, PLAN_GENERIC},
	{242, "CG", 9, 9, 0, PLAN_GENERIC},
	{243, "CD", 9, 9, '0', PLAN_GENERIC},
	{244, "AO", 9, 9, 0, PLAN_GENERIC},
	{245, "GW", 7, 9, 0, PLAN_GENERIC},
	{246, "IO", 7, 7, 0, PLAN_GENERIC},
	{248, "SC", 7, 7, 0, PLAN_GENERIC},
	{249, "SD", 9, 9, '0', PLAN_GENERIC},
	{250, "RW", 9, 9, '0', PLAN_GENERIC},
	{251, "ET", 9, 9, '0', PLAN_GENERIC},
	{252, "SO", 7, 9, '0', PLAN_GENERIC},
	{253, "DJ", 8, 8, 0, PLAN_GENERIC},
	{254, "KE", 9, 10, '0', PLAN_GENERIC},
	{255, "TZ", 9, 9, '0', PLAN_GENERIC},
	{256, "UG", 9, 9, '0', PLAN_GENERIC},
	{257, "BI", 8, 8, 0, PLAN_GENERIC},
	{258, "MZ", 8, 9, 0, PLAN_GENERIC},
	{260, "ZM", 9, 9, '0', PLAN_GENERIC},
	{261, "MG", 9, 9, '0', PLAN_GENERIC},
	{262, "RE", 9, 9, '0', PLAN_GENERIC},
	{263, "ZW", 7, 10, '0', PLAN_GENERIC},
	{264, "NA", 8, 9, '0', PLAN_GENERIC},
	{265, "MW", 7, 9, '0', PLAN_GENERIC},
	{266, "LS", 8, 8, 0, PLAN_GENERIC},
	{267, "BW", 7, 8, 0, PLAN_GENERIC},
	{268, "SZ", 8, 8, 0, PLAN_GENERIC},
	{269, "KM", 7, 7, 0, PLAN_GENERIC},
	{290, "SH", 4, 5, 0, PLAN_GENERIC},
	{291, "ER", 7, 7, '0', PLAN_GENERIC},
	{297, "AW", 7, 7, 0, PLAN_GENERIC},
	{298, "FO", 6, 6, 0, PLAN_GENERIC},
	{299, "GL", 6, 6, 0, PLAN_GENERIC},
	{350, "GI", 8, 8, 0, PLAN_GENERIC},
	{351, "PT", 9, 9, 0, PLAN_GENERIC},
	{352, "LU", 4, 11, 0, PLAN_GENERIC},
	{353, "IE", 7, 9, '0', PLAN_GENERIC},
	{354, "IS", 7, 9, 0, PLAN_GENERIC},
	{355, "AL", 8, 9, '0', PLAN_GENERIC},
	{356, "MT", 8, 8, 0, PLAN_GENERIC},
	{357, "CY", 8, 8, 0, PLAN_GENERIC},
	{358, "FI", 6, 10, '0', PLAN_GENERIC},
	{359, "BG", 8, 9, '0', PLAN_GENERIC},
	{370, "LT", 8, 8, '8', PLAN_GENERIC},
	{371, "LV", 8, 8, 0, PLAN_GENERIC},
	{372, "EE", 7, 8, 0, PLAN_GENERIC},
	{373, "MD", 8, 8, '0', PLAN_GENERIC},
	{374, "AM", 8, 8, '0', PLAN_GENERIC},
	{375, "BY", 9, 9, '8', PLAN_GENERIC},
	{376, "AD", 6, 9, 0, PLAN_GENERIC},
	{377, "MC", 8, 9, '0', PLAN_GENERIC},
	{378, "SM", 6, 10, 0, PLAN_GENERIC},
	{380, "UA", 9, 9, '0', PLAN_GENERIC},
	{381, "RS", 8, 9, '0', PLAN_GENERIC},
	{382, "ME", 8, 8, '0', PLAN_GENERIC},
	{383, "XK", 8, 8, '0', PLAN_GENERIC},
	{385, "HR", 8, 9, '0', PLAN_GENERIC},
	{386, "SI", 8, 8, '0', PLAN_GENERIC},
	{387, "BA", 8, 8, '0', PLAN_GENERIC},
	{389, "MK", 8, 8, '0', PLAN_GENERIC},
	{420, "CZ", 9, 9, 0, PLAN_GENERIC},
	{421, "SK", 9, 9, '0', PLAN_GENERIC},
	{423, "LI", 7, 9, 0, PLAN_GENERIC},
	{500, "FK", 5, 5, 0, PLAN_GENERIC},
	{501, "BZ", 7, 7, 0, PLAN_GENERIC},
	{502, "GT", 8, 8, 0, PLAN_GENERIC},
	{503, "SV", 8, 8, 0, PLAN_GENERIC},
	{504, "HN", 8, 8, 0, PLAN_GENERIC},
	{505, "NI", 8, 8, 0, PLAN_GENERIC},
	{506, "CR", 8, 8, 0, PLAN_GENERIC},
	{507, "PA", 7, 8, 0, PLAN_GENERIC},
	{508, "PM", 6, 6, 0, PLAN_GENERIC},
	{509, "HT", 8, 8, 0, PLAN_GENERIC},
	{590, "GP", 9, 9, '0', PLAN_GENERIC},
	{591, "BO", 8, 8, '0', PLAN_GENERIC},
	{592, "GY", 7, 7, 0, PLAN_GENERIC},
	{593, "EC", 8, 9, '0', PLAN_GENERIC},
	{594, "GF", 9, 9, '0', PLAN_GENERIC},
	{595, "PY", 9, 9, '0', PLAN_GENERIC},
	{596, "MQ", 9, 9, '0', PLAN_GENERIC},
	{597, "SR", 6, 7, 0, PLAN_GENERIC},
	{598, "UY", 8, 8, '0', PLAN_GENERIC},
	{599, "CW", 7, 8, 0, PLAN_GENERIC},
	{670, "TL", 7, 8, 0, PLAN_GENERIC},
	{672, "NF", 6, 6, 0, PLAN_GENERIC},
	{673, "BN", 7, 7, 0, PLAN_GENERIC},
	{674, "NR", 7, 7, 0, PLAN_GENERIC},
	{675, "PG", 7, 8, 0, PLAN_GENERIC},
	{676, "TO", 5, 7, 0, PLAN_GENERIC},
	{677, "SB", 5, 7, 0, PLAN_GENERIC},
	{678, "VU", 5, 7, 0, PLAN_GENERIC},
	{679, "FJ", 7, 7, 0, PLAN_GENERIC},
	{680, "PW", 7, 7, 0, PLAN_GENERIC},
	{681, "WF", 6, 6, 0, PLAN_GENERIC},
	{682, "CK", 5, 5, 0, PLAN_GENERIC},
	{683, "NU", 4, 7, 0, PLAN_GENERIC},
	{685, "WS", 5, 10, 0, PLAN_GENERIC},
	{686, "KI", 5, 8, 0, PLAN_GENERIC},
	{687, "NC", 6, 6, 0, PLAN_GENERIC},
	{688, "TV", 5, 7, 0, PLAN_GENERIC},
	{689, "PF", 8, 9, 0, PLAN_GENERIC},
	{690, "TK", 4, 7, 0, PLAN_GENERIC},
	{691, "FM", 7, 7, 0, PLAN_GENERIC},
	{692, "MH", 7, 7, 0, PLAN_GENERIC},
	{800, NULL, 8, 8, 0, PLAN_INTL_FREE},
	{808, NULL, 8, 8, 0, PLAN_GENERIC},
	{850, "KP", 8, 10, '0', PLAN_GENERIC},
	{852, "HK", 8, 8, 0, PLAN_GENERIC},
	{853, "MO", 8, 8, 0, PLAN_GENERIC},
	{855, "KH", 8, 9, '0', PLAN_GENERIC},
	{856, "LA", 8, 10, '0', PLAN_GENERIC},
	{870, NULL, 9, 9, 0, PLAN_GENERIC},
	{880, "BD", 8, 10, '0', PLAN_GENERIC},
	{886, "TW", 8, 9, '0', PLAN_GENERIC},
	{960, "MV", 7, 7, 0, PLAN_GENERIC},
	{961, "LB", 7, 8, '0', PLAN_GENERIC},
	{962, "JO", 8, 9, '0', PLAN_GENERIC},
	{963, "SY", 8, 9, '0', PLAN_GENERIC},
	{964, "IQ", 8, 10, '0', PLAN_GENERIC},
	{965, "KW", 8, 8, 0, PLAN_GENERIC},
	{966, "SA", 9, 9, '0', PLAN_GENERIC},
	{967, "YE", 7, 9, '0', PLAN_GENERIC},
	{968, "OM", 8, 8, 0, PLAN_GENERIC},
	{970, "PS", 8, 9, '0', PLAN_GENERIC},
	{971, "AE", 8, 9, '0', PLAN_GENERIC},
	{972, "IL", 8, 9, '0', PLAN_GENERIC},
	{973, "BH", 8, 8, 0, PLAN_GENERIC},
	{974, "QA", 7, 8, 0, PLAN_GENERIC},
	{975, "BT", 7, 8, 0, PLAN_GENERIC},
	{976, "MN", 8, 8, 0, PLAN_GENERIC},
	{977, "NP", 8, 10, '0', PLAN_GENERIC},
	{992, "TJ", 9, 9, 0, PLAN_GENERIC},
	{993, "TM", 8, 8, '8', PLAN_GENERIC},
	{994, "AZ", 9, 9, '0', PLAN_GENERIC},
	{995, "GE", 9, 9, '0', PLAN_GENERIC},
	{996, "KG", 9, 9, '0', PLAN_GENERIC},
	{998, "UZ", 9, 9, '8', PLAN_GENERIC},
};
#define N_PLANS (sizeof k_plans / sizeof *k_plans)

/* NANP area codes outside the US, with their country.  Everything else
 * valid is "US" (toll-free and premium codes are NANP-wide; "US" is the
 * convention). */
typedef struct area_region {
	uint16_t area;
	const char *iso;
} area_region;

static const area_region k_nanp_areas[] = {
	{204, "CA"}, {226, "CA"}, {236, "CA"}, {242, "BS"}, {246, "BB"},
	{249, "CA"}, {250, "CA"}, {257, "CA"}, {263, "CA"}, {264, "AI"},
	{268, "AG"}, {284, "VG"}, {289, "CA"}, {306, "CA"}, {340, "VI"},
	{343, "CA"}, {345, "KY"}, {354, "CA"}, {365, "CA"}, {367, "CA"},
	{368, "CA"}, {382, "CA"}, {387, "CA"}, {403, "CA"}, {416, "CA"},
	{418, "CA"}, {428, "CA"}, {431, "CA"}, {437, "CA"}, {438, "CA"},
	{441, "BM"}, {450, "CA"}, {468, "CA"}, {473, "GD"}, {474, "CA"},
	{506, "CA"}, {514, "CA"}, {519, "CA"}, {548, "CA"}, {579, "CA"},
	{581, "CA"}, {584, "CA"}, {587, "CA"}, {604, "CA"}, {613, "CA"},
	{639, "CA"}, {647, "CA"}, {649, "TC"}, {658, "JM"}, {664, "MS"},
	{670, "MP"}, {671, "GU"}, {672, "CA"}, {683, "CA"}, {684, "AS"},
	{705, "CA"}, {709, "CA"}, {721, "SX"}, {742, "CA"}, {753, "CA"},
	{758, "LC"}, {767, "DM"}, {778, "CA"}, {780, "CA"}, {782, "CA"},
	{784, "VC"}, {787, "PR"}, {807, "CA"}, {809, "DO"}, {819, "CA"},
	{825, "CA"}, {829, "DO"}, {849, "DO"}, {867, "CA"}, {868, "TT"},
	{869, "KN"}, {873, "CA"}, {876, "JM"}, {879, "CA"}, {902, "CA"},
	{905, "CA"}, {939, "PR"},
};

/* NANP codes outside the US that use the NANP, for the default region. */
static const char *const k_nanp_regions[] = {
	"US", "CA", "PR", "VI", "GU", "AS", "MP", "BS", "BB", "AI", "AG", "VG",
	"KY", "BM", "GD", "TC", "JM", "MS", "SX", "LC", "DM", "VC", "DO", "TT",
	"KN",
};

static bool digits_are(const char *d, const char *lit)
{
	return !strncmp(d, lit, strlen(lit));
}

static unsigned num3(const char *d)
{
	return (unsigned)(d[0] - '0') * 100u + (unsigned)(d[1] - '0') * 10u +
	       (unsigned)(d[2] - '0');
}

static char upper(char c) { return c >= 'a' && c <= 'z' ? (char)(c - 32) : c; }

/* Region code comparison: two letters, any case; "UK" is "GB". */
static bool region_is(const char *r, const char *iso)
{
	if (!r || !r[0] || !r[1] || r[2])
		return false;
	char a = upper(r[0]), b = upper(r[1]);
	if (a == 'U' && b == 'K')
		a = 'G', b = 'B';
	return a == iso[0] && b == iso[1];
}

bool tsgi_phone_region_nanp(const char *region)
{
	if (!region)
		return true;
	for (size_t i = 0; i < sizeof k_nanp_regions / sizeof *k_nanp_regions; i++)
		if (region_is(region, k_nanp_regions[i]))
			return true;
	return false;
}

static const cc_plan *plan_by_cc(unsigned cc)
{
	size_t lo = 0, hi = N_PLANS;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (k_plans[mid].cc == cc)
			return &k_plans[mid];
		if (k_plans[mid].cc < cc)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static const cc_plan *plan_by_region(const char *region)
{
	if (!region)
		return &k_plans[0];
	if (tsgi_phone_region_nanp(region))
		return &k_plans[0];
	for (size_t i = 0; i < N_PLANS; i++)
		if (k_plans[i].iso && region_is(region, k_plans[i].iso))
			return &k_plans[i];
	return NULL;
}

/* ---- national validity rules, over the NSN ---- */

static bool v_nanp(const char *d, size_t n, unsigned *flags, const char **iso)
{
	if (n != 10)
		return false;
	/* NXX-NXX-XXXX: no 0/1 first, no N11 area code, N9X area codes are
	 * reserved.  An N11 exchange is not assigned in geographic areas but
	 * exists in toll-free ones (1-800-411-...). */
	if (d[0] < '2' || d[3] < '2')
		return false;
	if ((d[1] == '1' && d[2] == '1') || d[1] == '9')
		return false;
	bool n11 = d[4] == '1' && d[5] == '1';
	unsigned area = num3(d);
	*iso = "US";
	switch (area) {
	case 800: case 833: case 844: case 855: case 866: case 877: case 888:
	case 900:
		*flags |= TSG_IND_F_TOLL_FREE;
		return true;
	default:
		break;
	}
	if (n11)
		return false;
	for (size_t i = 0; i < sizeof k_nanp_areas / sizeof *k_nanp_areas; i++)
		if (k_nanp_areas[i].area == area) {
			*iso = k_nanp_areas[i].iso;
			break;
		}
	return true;
}

static bool v_gb(const char *d, size_t n, unsigned *flags)
{
	if (n == 9) {
		if (digits_are(d, "800")) {
			*flags |= TSG_IND_F_TOLL_FREE;
			return true;
		}
		return d[0] == '1';
	}
	if (n != 10)
		return false;
	switch (d[0]) {
	case '1': case '2': case '3': case '7':
		return true;
	case '5':
		return d[1] == '5' || d[1] == '6'; /* corporate, VoIP */
	case '8':
		if (d[1] != '0' && d[1] != '4' && d[1] != '7')
			return false;
		if (digits_are(d, "800") || digits_are(d, "808"))
			*flags |= TSG_IND_F_TOLL_FREE;
		else if (digits_are(d, "87"))
			*flags |= TSG_IND_F_TOLL_FREE; /* revenue-sharing 087x */
		return true;
	case '9':
		*flags |= TSG_IND_F_TOLL_FREE; /* premium 09xx */
		return true;
	default:
		return false;
	}
}

static bool v_de(const char *d, size_t n, unsigned *flags)
{
	if (d[0] == '0')
		return false;
	if (d[0] == '1') {
		if ((d[1] == '5' || d[1] == '6' || d[1] == '7') && n >= 10 && n <= 11)
			return true; /* mobile */
		if (digits_are(d, "180") && n >= 9 && n <= 11)
			return true; /* shared cost */
		if ((digits_are(d, "137") || digits_are(d, "138")) && n == 10) {
			*flags |= TSG_IND_F_TOLL_FREE;
			return true;
		}
		return false;
	}
	if (digits_are(d, "800")) {
		if (n != 10)
			return false;
		*flags |= TSG_IND_F_TOLL_FREE;
		return true;
	}
	if (digits_are(d, "900")) {
		if (n != 10)
			return false;
		*flags |= TSG_IND_F_TOLL_FREE;
		return true;
	}
	return n >= 7 && n <= 11; /* area code 2-5 digits + subscriber */
}

static bool v_es(const char *d, size_t n, unsigned *flags)
{
	if (n != 9 || d[0] < '6')
		return false;
	if (digits_are(d, "800") || digits_are(d, "900") ||
	    digits_are(d, "803") || digits_are(d, "806") ||
	    digits_are(d, "807") || digits_are(d, "905"))
		*flags |= TSG_IND_F_TOLL_FREE;
	return true;
}

static bool v_fr(const char *d, size_t n, unsigned *flags)
{
	if (n != 9 || d[0] == '0')
		return false;
	if (d[0] == '8' && d[1] == '0' && d[2] >= '0' && d[2] <= '5')
		*flags |= TSG_IND_F_TOLL_FREE;
	else if (d[0] == '8' && d[1] == '9')
		*flags |= TSG_IND_F_TOLL_FREE;
	return true;
}

static bool v_au(const char *d, size_t n, unsigned *flags)
{
	if (d[0] == '1') {
		if ((digits_are(d, "1800") || digits_are(d, "1900")) && n == 10) {
			*flags |= TSG_IND_F_TOLL_FREE;
			return true;
		}
		if (digits_are(d, "1300") && n == 10)
			return true;
		return digits_are(d, "13") && n == 6;
	}
	if (n != 9)
		return false;
	return d[0] == '2' || d[0] == '3' || d[0] == '4' || d[0] == '5' ||
	       d[0] == '7' || d[0] == '8';
}

static bool v_in(const char *d, size_t n, unsigned *flags)
{
	if (n == 11 && (digits_are(d, "1800") || digits_are(d, "1860"))) {
		if (d[2] == '0')
			*flags |= TSG_IND_F_TOLL_FREE;
		return true;
	}
	return n == 10 && d[0] != '0';
}

static bool v_generic(const cc_plan *p, const char *d, size_t n,
                      unsigned *flags)
{
	if (n < p->min || n > p->max)
		return false;
	if (d[0] == '0' && p->kind != PLAN_IT)
		return false;
	if (p->kind == PLAN_INTL_FREE || digits_are(d, "800") ||
	    digits_are(d, "900"))
		*flags |= TSG_IND_F_TOLL_FREE;
	return true;
}

/* Validates the NSN d[0..n) under plan p. */
static bool nsn_valid(const cc_plan *p, const char *d, size_t n,
                      unsigned *flags, const char **iso)
{
	*flags = 0;
	*iso = p->iso;
	if (n == 0)
		return false;
	switch (p->kind) {
	case PLAN_NANP: return v_nanp(d, n, flags, iso);
	case PLAN_GB: return v_gb(d, n, flags);
	case PLAN_DE: return v_de(d, n, flags);
	case PLAN_ES: return v_es(d, n, flags);
	case PLAN_FR: return v_fr(d, n, flags);
	case PLAN_AU: return v_au(d, n, flags);
	case PLAN_IN: return v_in(d, n, flags);
	default: return v_generic(p, d, n, flags);
	}
}

/* Writes "+<cc><nsn>". */
static bool finish(const cc_plan *p, const char *d, size_t n, unsigned flags,
                   const char *iso, tsgi_phone_num *out)
{
	char cc[4];
	size_t ncc = 0;
	unsigned v = p->cc;
	char tmp[4];
	size_t k = 0;
	do {
		tmp[k++] = (char)('0' + v % 10u);
		v /= 10u;
	} while (v && k < sizeof tmp);
	while (k)
		cc[ncc++] = tmp[--k];
	if (1 + ncc + n + 1 > sizeof out->e164 || ncc + n > TSG_MAX_PHONE_DIGITS)
		return false;
	out->e164[0] = '+';
	memcpy(out->e164 + 1, cc, ncc);
	memcpy(out->e164 + 1 + ncc, d, n);
	out->e164[1 + ncc + n] = '\0';
	out->flags = flags;
	out->region = iso;
	return true;
}

/* Digits after an international prefix: country code, then the NSN.  A
 * trunk '0' written after the country code ("+44 (0)20 ...") is dropped. */
static bool parse_intl(const char *d, size_t n, tsgi_phone_num *out)
{
	unsigned cc = 0;
	for (size_t k = 0; k < 3 && k < n; k++) {
		cc = cc * 10u + (unsigned)(d[k] - '0');
		const cc_plan *p = plan_by_cc(cc);
		if (!p)
			continue;
		const char *nsn = d + k + 1;
		size_t nn = n - k - 1;
		unsigned flags;
		const char *iso;
		if (p->trunk == '0' && nn > 1 && nsn[0] == '0' &&
		    nsn_valid(p, nsn + 1, nn - 1, &flags, &iso))
			return finish(p, nsn + 1, nn - 1, flags, iso, out);
		if (nsn_valid(p, nsn, nn, &flags, &iso))
			return finish(p, nsn, nn, flags, iso, out);
		return false; /* country codes are prefix-free */
	}
	return false;
}

/* A number as dialled inside the country of plan p. */
static bool parse_national(const cc_plan *p, const char *d, size_t n,
                           tsgi_phone_num *out)
{
	unsigned flags;
	const char *iso;
	switch (p->kind) {
	case PLAN_NANP:
		if (n == 11 && d[0] == '1')
			d++, n--;
		break;
	case PLAN_AU:
		if (d[0] == '1')
			return nsn_valid(p, d, n, &flags, &iso) &&
			       finish(p, d, n, flags, iso, out);
		break;
	case PLAN_IN:
		if ((n == 10 && d[0] >= '6') ||
		    (n == 11 && d[0] == '1'))
			return nsn_valid(p, d, n, &flags, &iso) &&
			       finish(p, d, n, flags, iso, out);
		break;
	default:
		break;
	}
	if (p->trunk) {
		if (d[0] != p->trunk || n < 2)
			return false;
		d++, n--;
		if (d[0] == '0')
			return false;
	}
	return nsn_valid(p, d, n, &flags, &iso) && finish(p, d, n, flags, iso, out);
}

/* Mobile numbers written with their country code and no '+'. */
static bool parse_bare_intl(const char *d, size_t n, tsgi_phone_num *out)
{
	static const struct {
		const char *lead;
		size_t len;
	} k_bare[] = {
		{"447", 12}, {"336", 11}, {"337", 11}, {"346", 11}, {"347", 11},
		{"614", 11}, {"916", 12}, {"917", 12}, {"918", 12}, {"919", 12},
	};
	for (size_t i = 0; i < sizeof k_bare / sizeof *k_bare; i++)
		if (n == k_bare[i].len && digits_are(d, k_bare[i].lead))
			return parse_intl(d, n, out);
	return false;
}

bool tsgi_phone_parse(const char *d, size_t n, bool plus, const char *region,
                      tsgi_phone_num *out)
{
	if (n < 3 || n > TSGI_PHONE_MAX_CAND)
		return false;
	for (size_t k = 0; k < n; k++)
		if (d[k] < '0' || d[k] > '9')
			return false;
	if (plus)
		return n <= TSG_MAX_PHONE_DIGITS && parse_intl(d, n, out);
	bool nanp = tsgi_phone_region_nanp(region);
	if (nanp && digits_are(d, "011"))
		return parse_intl(d + 3, n - 3, out);
	if (region_is(region, "AU") && digits_are(d, "0011"))
		return parse_intl(d + 4, n - 4, out);
	if (digits_are(d, "00"))
		return parse_intl(d + 2, n - 2, out);
	if (n > TSG_MAX_PHONE_DIGITS)
		return false;
	const cc_plan *p = plan_by_region(region);
	if (p && parse_national(p, d, n, out))
		return true;
	if (nanp) {
		if (n == 11 && d[0] == '0' && parse_national(plan_by_cc(44), d, n, out))
			return true;
	} else {
		unsigned flags = 0;
		const char *iso;
		const char *nsn = (n == 11 && d[0] == '1') ? d + 1 : d;
		size_t nn = (n == 11 && d[0] == '1') ? 10 : n;
		if (nn == 10 && v_nanp(nsn, nn, &flags, &iso) &&
		    (n == 11 || (flags & TSG_IND_F_TOLL_FREE)))
			return finish(&k_plans[0], nsn, nn, flags, iso, out);
	}
	return parse_bare_intl(d, n, out);
}

bool tsgi_phone_canon(const char *digits, const char *region, char *out,
                      size_t cap, unsigned *flags, const char **country)
{
	*flags = 0;
	*country = NULL;
	if (!digits || !out || cap == 0)
		return false;
	char d[TSGI_PHONE_MAX_CAND + 1];
	size_t n = 0;
	bool plus = false;
	for (const char *p = digits; *p; p++) {
		char c = *p;
		if (c >= '0' && c <= '9') {
			if (n >= TSGI_PHONE_MAX_CAND)
				return false;
			d[n++] = c;
		} else if (c == '+' && n == 0 && !plus) {
			plus = true;
		} else if (!strchr(" -.()", c)) {
			return false;
		}
	}
	tsgi_phone_num num;
	if (!tsgi_phone_parse(d, n, plus, region, &num))
		return false;
	size_t len = strlen(num.e164);
	if (len + 1 > cap)
		return false;
	memcpy(out, num.e164, len + 1);
	*flags = num.flags;
	*country = num.region;
	return true;
}
