/* cmd_stream.c - placeholder until live call screening lands. */
#include "cli.h"

int tsgi_scan_stream(tsg_engine *e, tsg_contact contact, const char *lang,
                     const char *region, const char *path)
{
	(void)e;
	(void)contact;
	(void)lang;
	(void)region;
	(void)path;
	tsgi_cli_err("scan", "--stream is not available yet");
	return TSGI_EXIT_ERROR;
}
