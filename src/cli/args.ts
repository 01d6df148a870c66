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
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options, tokens: true });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // A value given twice (`--node a --node b`) would silently be the last one: said instead.
  const given = new Set<string>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind !== 'option' || options[t.name]?.type !== 'string' || options[t.name]?.multiple) continue;
    if (given.has(t.name)) throw new UsageError(`--${t.name} is given twice`);
    given.add(t.name);
  }
  return { values: parsed.values, positionals: parsed.positionals };
}
