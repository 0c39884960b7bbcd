/* cmd_export.c - placeholder until `tsguard export` lands. */
#include "cli.h"

int tsgi_cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tsgi_cli_err("export", "not available in this build yet");
	return TSGI_EXIT_ERROR;
}
