/* cmd_casefile.c - placeholder until `tsguard casefile` lands. */
#include "cli.h"

int tsgi_cmd_casefile(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tsgi_cli_err("casefile", "not available in this build yet");
	return TSGI_EXIT_ERROR;
}
