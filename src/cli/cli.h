/* cli.h: `ibbis COMMAND [flags]`. Exit codes: 0 ok, 1 failure, 2 usage. */
#ifndef IBBIS_CLI_H
#define IBBIS_CLI_H

enum cli_exit { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

int cli_main(int argc, char **argv);

/* One function per command, in cli/cmd_*.c. argv[0] is the command name. */
int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_org(int argc, char **argv); /* in cmd_user.c */
int cmd_timeline(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_demo_data(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_rekey(int argc, char **argv);
int cmd_mail(int argc, char **argv); /* cmd_mail.c: mail send */
int cmd_study(int argc, char **argv); /* cmd_study.c: study export */

#endif
