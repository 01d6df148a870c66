/**
 * `headroom export <spec> --target kong|nginx|haproxy|envoy-gateway [-o FILE] [--listen ADDR:PORT] [--check FILE]`
 * (and for cluster-scoped rate limits `--peers`, `--node`, `--redis`, `--redis-password-env`).
 * Exit 0 written (or up to date), 1 annotation errors (nothing written) or `--check` drift,
 * 2 usage or I/O error (one line on stderr).
 */
import { relative, resolve } from 'node:path';
import { readRegularFile, ReadOnceFileSource } from '../openapi/files';
import { YamlParseCache } from '../openapi/incrementalYaml';
import { JsonParseCache } from '../openapi/incrementalJson';
import { Engine } from '../core/engine';
import { loadRuleset } from '../core/ruleset';
import { shipsWith } from '../server/export';
import { oneLine } from './formatters/visible';
import { parseCommandArgs, UsageError, type CliIo } from './args';
import type { Finding } from '../shared/types';
import type { RefPolicy } from '../openapi/policy';
import { DEFAULT_LISTEN, exportArgs, ExportInputError, ExportOptionError, exportPolicy, parseListen, parsePeers, parseRedis, shellWord, TARGETS, type ClusterOptions, type TargetName } from '../export/index';
import { isOneOf, writeAtomic } from '../shared/save';
import { refuseForeign } from './overwrite';
import { refPolicyOptions, rulesetFileFor } from './policy';

export const EXPORT_USAGE = `  headroom export <spec> --target kong|nginx|haproxy|envoy-gateway [-o FILE] [--listen ADDR:PORT]
                  [--check FILE] [--root DIR] [--allow-refs-outside-root] [--allow-remote-refs]
                  [--peers NAME=ADDR:PORT,… --node NAME]        (haproxy: scope: cluster)
                  [--redis HOST:PORT] [--redis-password-env VAR] (kong: scope: cluster)
                  [--gateway NAME|NAMESPACE/NAME]                (envoy-gateway; default eg)`;

/** A file that cannot be read or written (exit 2, one line). */
export class ExportIoError extends Error {}


export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    target: { type: 'string', short: 't' },
    output: { type: 'string', short: 'o' },
    listen: { type: 'string', default: DEFAULT_LISTEN },
    check: { type: 'string' },
    'allow-remote-refs': { type: 'boolean', default: false },
    'allow-refs-outside-root': { type: 'boolean', default: false },
    root: { type: 'string' },
    peers: { type: 'string' },
    node: { type: 'string' },
    redis: { type: 'string' },
    'redis-password-env': { type: 'string' },
    gateway: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'no spec given' : 'export takes one spec');
  const target = values.target as TargetName | undefined;
  if (target === undefined) throw new UsageError(`--target is required (${TARGETS.join(', ')})`);
  if (!TARGETS.includes(target)) throw new UsageError(`unknown --target "${target}" (${TARGETS.join(', ')})`);
  if (!parseListen(values.listen!)) throw new UsageError(`invalid --listen "${values.listen}" (ADDR:PORT, e.g. 127.0.0.1:8080)`);
  if (values.output !== undefined && values.check !== undefined) throw new UsageError('use -o or --check, not both');

  const cluster: ClusterOptions = {};
  if (values.peers !== undefined) {
    if (target !== 'haproxy') throw new UsageError('--peers is for --target haproxy');
    const peers = parsePeers(values.peers);
    if (peers instanceof Error) throw new UsageError(`--peers: ${peers.message}`);
    cluster.peers = peers;
  }
  if (values.node !== undefined) cluster.node = values.node;
  if (values.redis !== undefined || values['redis-password-env'] !== undefined) {
    if (target !== 'kong') throw new UsageError('--redis and --redis-password-env are for --target kong');
  }
  if (values.redis !== undefined) {
    const redis = parseRedis(values.redis);
    if (redis instanceof Error) throw new UsageError(`--redis: ${redis.message}`);
    cluster.redis = redis;
  }
  if (values['redis-password-env'] !== undefined) cluster.redisPasswordEnv = values['redis-password-env'];
  if (values.gateway !== undefined && target !== 'envoy-gateway') throw new UsageError('--gateway is for --target envoy-gateway');

  const spec = resolve(io.cwd, positionals[0]);
  // The export and the lint of what it ships read and parse each file once, and see one version of it.
  const shared = { files: new ReadOnceFileSource(), yamlCache: new YamlParseCache(Infinity), jsonCache: new JsonParseCache(Infinity) };
  const policyFor = refPolicyOptions(values, io.cwd);
  let result;
  try {
    result = await exportPolicy(spec, {
      target,
      listen: values.listen,
      policy: policyFor(spec),
      ...shared,
      ...cluster,
      ...(values.gateway !== undefined ? { gateway: values.gateway } : {}),
    });
  } catch (e) {
    if (e instanceof ExportInputError) throw new ExportIoError(e.message);
    if (e instanceof ExportOptionError) throw new UsageError(e.message);
    throw e;
  }
  for (const f of result.findings) io.err.write(findingLine(f, io.cwd));
  if (!result.ok || result.text === undefined) {
    io.err.write(`headroom: export stopped: ${result.stopped}; nothing was written.\n`);
    return 1;
  }
  // A note that repeats a finding printed above (the model's own warnings, also in the file's header) is said once.
  const said = new Set(result.findings.map((f) => f.message));
  for (const n of result.notes) if (!said.has(n)) io.err.write(`headroom: warning: ${target}: ${oneLine(n)}\n`);
  await warnShipped(spec, values, io, new Engine({ ...shared, policyFor }), policyFor(spec));

  if (values.check !== undefined) {
    const file = resolve(io.cwd, values.check);
    if (isOneOf(file, result.files)) throw new ExportIoError(`--check ${values.check}: it is a file the export read (the spec or a file it $refs), not an exported config`);
    const bytes = readRegularFile(file);
    if (bytes instanceof Error) throw new ExportIoError(bytes.message);
    // A checkout with CRLF line ends (git's core.autocrlf) holds the same config.
    const current = bytes.toString('utf8').replace(/\r\n/g, '\n');
    if (current === result.text) return 0;
    const other = otherExport(current, result.text);
    if (other !== undefined) {
      io.err.write(`headroom: ${values.check} is not this export's config: it was written ${other}; check it with that command\n`);
      return 1;
    }
    const regenerate = `headroom export ${shellWord(positionals[0])} --target ${target}${exportArgs(target, { listen: values.listen!, gateway: values.gateway, ...cluster })}`;
    io.err.write(`headroom: ${values.check} is out of date with ${positionals[0]}; regenerate it with ${regenerate} -o ${shellWord(values.check)}\n`);
    return 1;
  }
  if (values.output !== undefined) {
    const file = resolve(io.cwd, values.output);
    if (isOneOf(file, result.files)) throw new ExportIoError(`not writing ${values.output}: it is a file the export read (the spec or a file it $refs)`);
    refuseForeign(file, values.output, /^# Generated by Headroom /, 'a config headroom export wrote');
    // Another gateway's config is not replaced unasked either (a renamed spec, or a spec of the
    // same name elsewhere, may write its own target's config again).
    const existing = readRegularFile(file);
    const other = existing instanceof Error ? undefined : otherExport(existing.subarray(0, 4096).toString('utf8'), result.text, true);
    if (other !== undefined) throw new ExportIoError(`not writing ${values.output}: it is the config written ${other}; remove it or choose another file`);
    try {
      await writeAtomic(file, result.text);
    } catch (e) {
      throw new ExportIoError(`cannot write ${file}: ${(e as Error).message}`);
    }
    return 0;
  }
  io.out.write(result.text);
  return 0;
}

/**
 * Where a Headroom config came from, when not from the same spec (by name) and target as `mine`
 * (`targetOnly`: not for the same target): "by `headroom export other.yaml --target haproxy`",
 * from its header's "regenerate with" line.
 */
function otherExport(existing: string, mine: string, targetOnly = false): string | undefined {
  const command = (text: string) => /regenerate with `(headroom export (?:'[^']*'|[^\s`]+) --target ([a-z-]+))/.exec(text.slice(0, 4096));
  const theirs = command(existing);
  const ours = command(mine);
  if (theirs === null || ours === null) return undefined;
  const differs = targetOnly ? theirs[2] !== ours[2] : theirs[1] !== ours[1];
  return differs ? `by \`${theirs[1]}\`` : undefined;
}

/**
 * The lint warnings the config enforces as they are (a cache shared between callers, a rate-limit
 * policy the spec contradicts), named as the editor names them before it exports; the file is still
 * written. The spec's own ruleset decides, as for `headroom lint`.
 */
async function warnShipped(spec: string, values: { root?: string }, io: CliIo, engine: Engine, policy: RefPolicy): Promise<void> {
  let shipped: Finding[];
  try {
    const lint = await engine.lint(spec, loadRuleset(rulesetFileFor(values, io.cwd)(spec), { trustFunctions: true, policy }));
    shipped = lint.findings.filter(shipsWith);
  } catch (e) {
    io.err.write(`headroom: warning: the spec was not linted, so open lint warnings the config enforces are not named: ${oneLine((e as Error).message)}\n`);
    return;
  }
  if (shipped.length === 0) return;
  io.err.write(`headroom: warning: the config ships ${shipped.length} open lint warning${shipped.length === 1 ? '' : 's'} it enforces as written:\n`);
  for (const f of shipped) io.err.write(`  ${findingLine(f, io.cwd)}`);
}

const LABEL = { error: 'error', warn: 'warning', info: 'info', hint: 'hint' } as const;

/** `spec.yaml:12:7 error ratelimit-policy-valid window "1 minute" must be ...` (1-based). */
function findingLine(f: Finding, cwd: string): string {
  const file = oneLine(relative(cwd, f.file) || f.file);
  return `${file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${LABEL[f.severity]} ${f.rule} ${oneLine(f.message)}\n`;
}
