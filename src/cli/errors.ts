/**
 * An error the user caused (bad flag, missing file, wrong format). `main` prints its message as one
 * line, `apexp: <message>`, and exits with `exitCode`; never a stack trace.
 */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
