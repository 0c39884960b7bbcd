/* cmd_train.c - placeholder until `tsguard train` lands. */
#include "cli.h"

int tsgi_cmd_train(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tsgi_cli_err("train", "not available in this build yet");
	return TSGI_EXIT_ERROR;
}
