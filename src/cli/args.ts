/** What every `headroom` subcommand shares: its streams, and argument parsing whose mistakes are usage errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A usage mistake: exit 2 with the usage text. */
export class UsageError extends Error {}

export interface CliIo {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  cwd: string;
}

/** `parseArgs` with positionals allowed; an unknown or malformed option is a UsageError. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({ args, allowPositionals: true, options });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
