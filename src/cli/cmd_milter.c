/* cmd_milter.c - placeholder until `tsguard milter` lands. */
#include "cli.h"

int tsgi_cmd_milter(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tsgi_cli_err("milter", "not available in this build yet");
	return TSGI_EXIT_ERROR;
}
