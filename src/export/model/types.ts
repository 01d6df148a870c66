/**
 * The neutral gateway policy model: what an annotated OpenAPI document asks a gateway to enforce,
 * independent of any gateway. Types only; `index.ts` builds it.
 */
import type { OpenApiVersion } from '../../shared/types';

/** Rule ids of the findings the export reports. */
export const RULES = {
  /** A malformed `x-gateway-rate-limit` (the lint rule of the same name says the same). */
  rateLimit: 'ratelimit-policy-valid',
  /** Any other malformed or unknown `x-gateway-*` annotation. */
  annotation: 'gateway-annotation-valid',
  /** A malformed `x-kong-plugin-*` config. */
  kongPlugin: 'kong-plugin-valid',
  /** What the export read, skipped or could not express. */
  export: 'export',
  /** A path or name longer than the gateway reads (NGINX: 4,095 bytes in one word). */
  tooLong: 'export-too-long',
} as const;

/**
 * A request method as sent: the OpenAPI fixed fields (QUERY from 3.2) or an OpenAPI 3.2
 * `additionalOperations` method (PURGE, COPY, ...). Only names of capital letters are routed: Kong's
 * route `methods` and NGINX's request parser accept nothing else.
 */
export type HttpMethod = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'OPTIONS' | 'HEAD' | 'PATCH' | 'TRACE' | 'QUERY' | (string & {});

export type RateKey = { kind: 'ip' } | { kind: 'consumer' } | { kind: 'header'; header: string };

/** Who shares a counter: each gateway node alone (`node`), or every node of the cluster (`cluster`). */
export type RateScope = 'node' | 'cluster';

export interface RateWindow {
  requests: number;
  /** As written (canonical), e.g. `"1m"`. */
  window: string;
  seconds: number;
  key: RateKey;
  /** Extra requests allowed at once above the steady rate (NGINX `burst`), when given. */
  burst?: number;
  scope: RateScope;
}

export interface CachePolicy {
  ttl: number;
  methods: HttpMethod[];
  statuses: number[];
  varyHeaders: string[];
  /** Query parameters in the cache key; undefined = the whole query string. */
  varyQuery?: string[];
  /** Media types of the operation's 2xx responses (Kong caches only listed types). */
  contentTypes: string[];
}

export interface CorsPolicy {
  origins: string[];
  methods?: string[];
  headers?: string[];
  exposeHeaders?: string[];
  credentials: boolean;
  maxAge?: number;
}

export type SchemeKind = 'apiKey' | 'bearer' | 'basic' | 'oauth2' | 'openIdConnect' | 'unsupported';

export interface AuthScheme {
  /** The name under `securitySchemes` / `securityDefinitions`. */
  name: string;
  kind: SchemeKind;
  /** apiKey: where the key travels and under which name. */
  in?: 'header' | 'query' | 'cookie';
  param?: string;
  /** oauth2 / openIdConnect: the token issuer (OIDC discovery base). */
  issuer?: string;
  /** oauth2: the issuer is the origin of the token URL, a guess to check. */
  issuerGuessed?: boolean;
  /** How the spec describes an unsupported scheme (e.g. `http digest`, `mutualTLS`). */
  description: string;
}

/** One security requirement: every scheme in it must pass. */
export interface AuthRequirement {
  schemes: { scheme: AuthScheme; scopes: string[] }[];
}

export interface KongPassthrough {
  name: string;
  /** The plugin object as written (without `name`). */
  plugin: Record<string, unknown>;
}

export interface Route {
  name: string;
  method: HttpMethod;
  /** The path key in the spec, e.g. `/users/{id}`. */
  pathTemplate: string;
  /** What clients call: the server base path + the path key. */
  publicPath: string;
  /** Anchored regular expression for `publicPath`, parameters as named captures. */
  regex: string;
  /** No path parameters: matched exactly. */
  plain: boolean;
  /** Segment specificity, a base-3 number of the first 13 segments (literal 2, mixed 1, parameter 0): among paths of the same length, the higher wins. */
  specificity: number;
  service: string;
  rateLimit: RateWindow[];
  cache?: CachePolicy;
  cors?: CorsPolicy;
  maxBytes?: number;
  /** Alternatives: any one requirement suffices. Undefined = no authentication. */
  auth?: AuthRequirement[];
  kongPlugins: KongPassthrough[];
}

export interface UpstreamTarget {
  host: string;
  port: number;
  weight?: number;
}

export interface Service {
  name: string;
  algorithm: 'round-robin' | 'least-conn' | 'hash';
  scheme: 'http' | 'https';
  targets: UpstreamTarget[];
  healthCheck?: string;
  /** From `x-gateway-upstream` (not only `servers`). */
  explicit: boolean;
}

export interface PolicyModel {
  /** The spec's file name (no folders: outputs are the same on every machine). */
  specName: string;
  title: string;
  apiVersion: string;
  openapi: OpenApiVersion;
  services: Service[];
  /** Most specific first (the order gateways must try them in). */
  routes: Route[];
  /** Where the `scope: cluster` of the windows in force are written (logical paths), for targets that cannot share counters. */
  clusterScopes: (string | number)[][];
  /** What the model itself could not read as written (also warning findings): every target's header repeats it. */
  warnings: string[];
}
