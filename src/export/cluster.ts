/**
 * How the nodes of a gateway cluster share rate-limit counters (`scope: cluster`), as the export
 * options give it: HAProxy peers (`--peers NAME=ADDR:PORT,… --node NAME`), the Redis server of
 * Kong's `policy: redis` (`--redis HOST:PORT`, `--redis-password-env VAR`).
 */
import { isIPv6 } from 'node:net';

export interface Peer {
  name: string;
  host: string;
  port: number;
}

export interface ClusterOptions {
  /** HAProxy: every node of the cluster (this one included). */
  peers?: Peer[];
  /** HAProxy: which peer this file is for (`localpeer`); absent: `haproxy -L NAME` says it. */
  node?: string;
  /** Kong: the Redis server the nodes count in. */
  redis?: { host: string; port: number };
  /** Kong: the environment variable holding the Redis password (read through Kong's env vault). */
  redisPasswordEnv?: string;
}

/** The Redis server Kong is pointed at when `--redis` is not given. */
export const DEFAULT_REDIS = { host: 'redis', port: 6379 };

/** What HAProxy peers give, said the same way in the file header and the docs. */
export const PEERS_SEMANTICS =
  'Peers replicate stick-table entries, they do not add them up: each node sends its counters to the others and ' +
  'the last update received wins. Requests that reach the nodes one after another (each after the previous ' +
  "one's update has arrived: about a network round trip) are counted exactly; requests that reach different nodes " +
  'within one sync delay of each other can go uncounted, so concurrent traffic spread over the nodes can pass the ' +
  'limit by what arrives within one sync delay (a burst faster than the sync: most of the burst). For limits that ' +
  'must hold under bursts use Kong (policy redis) or Envoy Gateway (global rate limit).';

const NAME = /^[A-Za-z0-9_.-]+$/;

/** `a=10.0.0.1:10000,b=10.0.0.2:10000` → peers; an Error saying what is wrong otherwise. */
export function parsePeers(text: string): Peer[] | Error {
  const peers: Peer[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = item.indexOf('=');
    const name = eq === -1 ? '' : item.slice(0, eq);
    const address = eq === -1 ? undefined : parseAddress(item.slice(eq + 1));
    if (!NAME.test(name) || address === undefined) return new Error(`invalid peer "${item}" (expected NAME=ADDR:PORT, e.g. node1=10.0.0.1:10000)`);
    if (peers.some((p) => p.name === name)) return new Error(`peer "${name}" is given twice`);
    const same = peers.find((p) => sameSocket(p, address));
    if (same) return new Error(`peers "${same.name}" and "${name}" have the same address ${address.host}:${address.port}`);
    peers.push({ name, host: address.host, port: address.port });
  }
  if (peers.length === 0) return new Error('no peers given (expected NAME=ADDR:PORT,…)');
  return peers;
}

/** `HOST:PORT` → the Redis server; an Error otherwise. */
export function parseRedis(text: string): { host: string; port: number } | Error {
  const address = parseAddress(text);
  return address ?? new Error(`invalid Redis address "${text}" (expected HOST:PORT, e.g. redis:6379)`);
}

/** Problems with a set of cluster options (`[]` when usable); `listen` is where the front end listens. */
export function clusterOptionProblems(options: ClusterOptions, listen?: string): string[] {
  const problems: string[] = [];
  // A peer on the front end's own socket: HAProxy binds it twice and hands client connections to
  // the peers listener, which drops them (haproxy -c finds nothing wrong).
  const front = listen === undefined ? undefined : parseListen(listen);
  const clash = front && options.peers?.find((p) => sameSocket(p, front));
  if (clash) problems.push(`peer "${clash.name}" (${clash.host}:${clash.port}) is on the socket --listen binds: the peers need a port of their own`);
  if (options.node !== undefined && options.peers === undefined) problems.push('--node needs --peers');
  if (options.node !== undefined && options.peers && !options.peers.some((p) => p.name === options.node)) {
    problems.push(`--node "${options.node}" is not one of the peers (${options.peers.map((p) => p.name).join(', ')})`);
  }
  // Kong's env vault reads the upper-case name (`{vault://env/redis-pw}` is REDIS_PW): a variable
  // named otherwise would never be read, and the limit would count without Redis' password.
  if (options.redisPasswordEnv !== undefined && !/^[A-Z_][A-Z0-9_]*$/.test(options.redisPasswordEnv)) {
    const upper = /^[A-Za-z_][A-Za-z0-9_]*$/.test(options.redisPasswordEnv) ? ` (Kong's env vault reads upper-case names: ${options.redisPasswordEnv.toUpperCase()})` : '';
    problems.push(`invalid environment variable name "${options.redisPasswordEnv}"${upper}`);
  }
  return problems;
}

/**
 * Could two addresses be one socket on a node? The same port, and the same host however it is
 * written (`localhost` is 127.0.0.1, `[0:0::1]` is `[::1]`), or either one every address
 * (`*`, `0.0.0.0`, `[::]`).
 */
function sameSocket(a: { host: string; port: number }, b: { host: string; port: number }): boolean {
  if (a.port !== b.port) return false;
  const ha = socketHost(a.host);
  const hb = socketHost(b.host);
  return ha === hb || ha === '*' || hb === '*';
}

function socketHost(host: string): string {
  const h = host.toLowerCase();
  if (h === '*' || h === '0.0.0.0') return '*';
  if (h === 'localhost') return '127.0.0.1';
  if (h.startsWith('[')) {
    try {
      const canonical = new URL(`http://${h}/`).hostname;
      return canonical === '[::]' ? '*' : canonical === '[::ffff:7f00:1]' ? '127.0.0.1' : canonical;
    } catch {
      return h;
    }
  }
  return h;
}

/** The command-line words that give these options (for "regenerate with" lines). */
export function clusterArgs(options: ClusterOptions): string {
  const words: string[] = [];
  if (options.peers) words.push(`--peers ${options.peers.map((p) => `${p.name}=${p.host}:${p.port}`).join(',')}`);
  if (options.node) words.push(`--node ${options.node}`);
  if (options.redis) words.push(`--redis ${options.redis.host}:${options.redis.port}`);
  if (options.redisPasswordEnv) words.push(`--redis-password-env ${options.redisPasswordEnv}`);
  return words.map((w) => ` ${w}`).join('');
}

/**
 * `HOST:PORT` → parts; undefined when malformed. HOST is an IPv4 address (four numbers up to
 * 255, written back without leading zeros), `[v6]` (a valid IPv6 address), or a host name (labels of letters, digits and inner `-`, at most 63 characters
 * each): `1.2.3.4.5` or `256.1.1.1` is none of them, and NGINX and HAProxy would refuse it.
 */
export function parseAddress(text: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text.trim());
  if (!m) return undefined;
  let host = m[1];
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  if (/^[\d.]+$/.test(host)) {
    const octets = host.split('.');
    if (octets.length !== 4 || octets.some((o) => o === '' || Number(o) > 255)) return undefined;
    // One spelling per address (`127.0.0.01` is 127.0.0.1), so two peers on one socket are seen.
    host = octets.map(Number).join('.');
  } else if (host.startsWith('[')) {
    if (!isIPv6(host.slice(1, -1))) return undefined;
  } else if ((host.length > 253 || !host.split('.').every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l)))) {
    return undefined;
  }
  return { host, port };
}

/** Where a front end listens: `HOST:PORT`, or `*:PORT` (every address; NGINX and HAProxy both read it). */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const all = /^\*:(\d{1,5})$/.exec(text.trim());
  if (all) return parseAddress(`0.0.0.0:${all[1]}`) && { host: '*', port: Number(all[1]) };
  return parseAddress(text);
}
