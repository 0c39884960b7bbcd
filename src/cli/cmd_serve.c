/* cmd_serve.c - placeholder until `tsguard serve` lands. */
#include "cli.h"

int tsgi_cmd_serve(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tsgi_cli_err("serve", "not available in this build yet");
	return TSGI_EXIT_ERROR;
}
