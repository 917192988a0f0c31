/* main.c: the ibbis command line; dispatch lives in cli/cli.c. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
