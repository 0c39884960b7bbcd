/* cmd_lookup.c - placeholder until `tsguard lookup` lands. */
#include "cli.h"

int tsgi_cmd_lookup(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tsgi_cli_err("lookup", "not available in this build yet");
	return TSGI_EXIT_ERROR;
}
