/* cmd_ingest.c - placeholder until `tsguard ingest` lands. */
#include "cli.h"

int tsgi_cmd_ingest(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	tsgi_cli_err("ingest", "not available in this build yet");
	return TSGI_EXIT_ERROR;
}
