/* cmd_eval.c - placeholder until `tsguard eval` lands. */
#include "cli.h"

int tsgi_cmd_eval(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tsgi_cli_err("eval", "not available in this build yet");
	return TSGI_EXIT_ERROR;
}
