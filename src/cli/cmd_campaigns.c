/* cmd_campaigns.c - placeholder until `tsguard campaigns` lands. */
#include "cli.h"

int tsgi_cmd_campaigns(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tsgi_cli_err("campaigns", "not available in this build yet");
	return TSGI_EXIT_ERROR;
}
