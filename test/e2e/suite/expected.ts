/**
 * The fixture workspace (test/e2e/workspace) and the diagnostics its files must get, pinned by its
 * own .spectral.yaml files: the one place to change when a fixture changes.
 */
import { finding, type Seen } from './helpers';

export const ORDERS = 'specs/orders.yaml';
export const ORDERS_NO_429 = finding('ratelimit-429-response', 'warning', '17:6-17:15', 'POST /orders documents no 429 (Too Many Requests) response.');
export const ORDERS_NO_RETRY_AFTER = finding(
  'ratelimit-retry-after',
  'error',
  '20:8-20:13',
  'The 503 response of POST /orders documents no Retry-After header, so clients cannot tell when to retry.',
);

/** A path item `$ref`ed by specs/split/root.yaml. */
export const ITEMS = 'specs/split/paths/items.yaml';
export const ITEMS_NO_429 = finding('ratelimit-429-response', 'warning', '2:2-2:11', 'GET /items documents no 429 (Too Many Requests) response.');

export const BILLING = 'specs/billing.yaml';
export const BILLING_NO_429 = finding('ratelimit-429-response', 'warning', '7:6-7:15', 'GET /invoices documents no 429 (Too Many Requests) response.');

/** Under custom/, whose .spectral.yaml adds a rule with its own JavaScript function. */
export const OWNED = 'custom/owned.yaml';
export const OWNED_NO_429 = finding('ratelimit-429-response', 'warning', '7:6-7:15', 'GET /reports documents no 429 (Too Many Requests) response.');
/** From the workspace's JavaScript (custom/functions/hasOwner.js): a user's rule has no bundled doc, so no link. */
export const OWNED_NO_OWNER: Seen = { source: 'headroom', code: 'operation-owner', doc: '', severity: 'warning', range: '6:4-6:7', message: 'The operation names no owner (x-owner).' };

/** Never opened by the tests: only Lint Workspace lints it. */
export const INVENTORY = 'closed/inventory.json';
export const INVENTORY_NO_429 = finding('ratelimit-429-response', 'warning', '6:8-6:19', 'GET /stock documents no 429 (Too Many Requests) response.');

/** OpenAPI 3.2: a `query` operation and an `additionalOperations` PURGE (its own .spectral.yaml adds ratelimit-header-values and validate). */
export const STORE32 = 'specs/oas32/store.yaml';
export const STORE32_NO_429 = finding('ratelimit-429-response', 'warning', '13:6-13:15', 'QUERY /orders documents no 429 (Too Many Requests) response.');
export const STORE32_OLD_RATELIMIT = finding(
  'ratelimit-header-values',
  'warning',
  '20:23-20:55',
  "RateLimit example 'limit=100, remaining=50, reset=5' uses the dictionary of draft -07 (`limit=…, remaining=…, reset=…`); draft-ietf-httpapi-ratelimit-headers-12 writes it '\"default\";r=50;t=5'.",
);
export const STORE32_NO_RETRY_AFTER = finding(
  'ratelimit-retry-after',
  'error',
  '27:10-27:15',
  'The 429 response of PURGE /orders documents no Retry-After header, so clients cannot tell when to retry.',
);

/** Not OpenAPI. */
export const APP_CONFIG = 'config/app.yaml';
