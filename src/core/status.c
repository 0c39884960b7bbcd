/*
 * status.c - status strings and the names of enumerations.
 */
#include <string.h>

#include "tsguard.h"

const char *tsg_version(void) { return TSG_VERSION_STRING; }

const char *tsg_strerror(tsg_status st)
{
	switch (st) {
	case TSG_OK: return "success";
	case TSG_ENOMEM: return "out of memory";
	case TSG_EINVAL: return "invalid argument";
	case TSG_EIO: return "input/output error";
	case TSG_ERULES: return "error in rule files";
	case TSG_EDATA: return "error in a data file";
	case TSG_ELIMIT: return "input exceeds a limit";
	case TSG_EPARSE: return "input could not be parsed";
	case TSG_EENGINE: return "matching engine failure";
	case TSG_ENOTFOUND: return "not found";
	case TSG_ESTORE: return "report store error";
	case TSG_EUNAVAIL: return "service unavailable";
	case TSG_EMODEL: return "model file is damaged or mismatched";
	}
	return "unknown status";
}

static const char *const k_channels[TSG_CHANNEL__COUNT] = {
	"auto", "text", "sms", "chat", "email", "call", "web",
};

tsg_status tsg_channel_parse(const char *name, tsg_channel *out)
{
	for (int i = 0; i < TSG_CHANNEL__COUNT; i++)
		if (name && !strcmp(name, k_channels[i])) {
			*out = (tsg_channel)i;
			return TSG_OK;
		}
	return TSG_EINVAL;
}

const char *tsg_channel_name(tsg_channel ch)
{
	return (unsigned)ch < TSG_CHANNEL__COUNT ? k_channels[ch] : "unknown";
}

static const char *const k_contacts[] = {"unknown", "unsolicited", "requested"};

tsg_status tsg_contact_parse(const char *name, tsg_contact *out)
{
	for (int i = 0; i < 3; i++)
		if (name && !strcmp(name, k_contacts[i])) {
			*out = (tsg_contact)i;
			return TSG_OK;
		}
	return TSG_EINVAL;
}

const char *tsg_contact_name(tsg_contact c)
{
	return (unsigned)c < 3 ? k_contacts[c] : "unknown";
}

const char *tsg_class_name(tsg_class c)
{
	switch (c) {
	case TSG_CLEAN: return "clean";
	case TSG_SUSPICIOUS: return "suspicious";
	case TSG_SCAM: return "scam";
	}
	return "unknown";
}

static const char *const k_kinds[TSG_IND__COUNT] = {
	"phone", "url", "domain", "email", "remote", "btc",
	"eth", "tron", "iban", "giftcard", "money", "payment",
};

const char *tsg_indicator_kind_name(tsg_indicator_kind k)
{
	return (unsigned)k < TSG_IND__COUNT ? k_kinds[k] : "unknown";
}

int tsg_indicator_kind_parse(const char *name)
{
	for (int k = 0; name && k < TSG_IND__COUNT; k++)
		if (!strcmp(name, k_kinds[k]))
			return k;
	return -1;
}
