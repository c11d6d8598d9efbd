/**
 * A log that is cut or corrupt: the user's input (exit 2), named by the byte
 * offset of its first bad record. Its own module so that the command line's
 * error handling knows it without loading the log's codec.
 */
export class BadLog extends Error {
  override name = 'BadLog';
  constructor(
    readonly file: string,
    readonly offset: number,
    readonly problem: string,
  ) {
    super(`${file}: byte ${offset}: ${problem}`);
  }
}
