// Bad command-line input (exit code 2, with the usage text), as opposed to a failure while running.
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
