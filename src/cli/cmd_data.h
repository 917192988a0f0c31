/* cmd_data.h: the commands that move and keep data (docs/operations.md).
 * argv[0] is the command name; they return enum cli_exit. */
#ifndef IBBIS_CMD_DATA_H
#define IBBIS_CMD_DATA_H

int cmd_export(int argc, char **argv);  /* cmd_export.c */
int cmd_import(int argc, char **argv);  /* cmd_import.c */
int cmd_backup(int argc, char **argv);  /* cmd_backup.c */
int cmd_restore(int argc, char **argv); /* cmd_backup.c */

/* Takes `--NAME VALUE` or `--NAME=VALUE` out of argv like cli_db_flag;
 * *value stays as it was when the flag is absent. ERR_INVALID when the
 * flag has no value. (cmd_export.c) */
int cmd_data_flag(int *argc, char **argv, const char *name, const char **value);

#endif
