/**
 * The exit codes of the `hmb` command, documented in docs/cli.md. Scripts can tell a mistake in the
 * command line (retrying will not help) from a failure at run time (it might).
 */
export const EXIT_OK = 0;
/** A failure at run time: the bus is unreachable, a queue does not exist, a message was refused … */
export const EXIT_FAILURE = 1;
/** The command line is wrong: unknown option, missing argument, bad URL, bad JSON in an option. */
export const EXIT_USAGE = 2;
/** Stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it. */
export const EXIT_INTERRUPTED = 130;
/** Stopped by SIGTERM: 128 + 15. */
export const EXIT_TERMINATED = 143;

/** One of the exit codes above. */
export type HmbExitCode =
  | typeof EXIT_OK
  | typeof EXIT_FAILURE
  | typeof EXIT_USAGE
  | typeof EXIT_INTERRUPTED
  | typeof EXIT_TERMINATED;
