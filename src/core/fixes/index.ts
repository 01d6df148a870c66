/**
 * Quick fixes for Headroom's findings, editor-independent: given the documents (through a
 * `FixWorkspace`) and a finding, the named fixes that answer it, each a set of minimal text edits
 * per file; and fix-all, which plans every preferred fix of a document on one parse and renders
 * them as one edit. The language server turns these into code actions; `headroom lint --fix`
 * writes them.
 */
import { basename } from 'node:path';
import { tellsOfAliasBomb } from '../../openapi/aliases';
import { isRemoteRef } from '../../openapi/refs';
import type { FixAllLeft } from '../../shared/settings';
import type { Finding } from '../../shared/types';
import { Components, type RateLimitStyle } from './components';
import type { FixWorkspace } from './model';
import { inventsFor, type FixContext, type FixProvider, type Offer } from './provider';
import { auth401Response } from './rules/auth';
import { cacheControlHeader, cacheValidator } from './rules/cache';
import { boundReusedLimit, paginationLimitBounded, paginationNextLink, paginationRequired } from './rules/pagination';
import { ratelimit429Response, ratelimitHeaders, ratelimitHeaderValues, ratelimitPolicyConsistent, ratelimitPolicyDeclared, ratelimitRetryAfter } from './rules/ratelimit';
import { applySuppression, suppressionOffers } from './rules/suppress';
import { FixSession } from './session';
import { FixNotApplicable, type FileEdits, type Fix, type JsonPath } from './types';

export { FixWorkspace, type FixWorkspaceOptions } from './model';
export type { Fix, FileEdits } from './types';
export type { Offer } from './provider';
export { applyEdits, composeEdits, LineIndex, type TextEdit } from './text';

/** Rule id → its fixes. */
export const FIX_PROVIDERS: Record<string, FixProvider> = {
  'ratelimit-429-response': ratelimit429Response,
  'ratelimit-retry-after': ratelimitRetryAfter,
  'ratelimit-headers': ratelimitHeaders,
  'ratelimit-policy-declared': ratelimitPolicyDeclared,
  'ratelimit-policy-consistent': ratelimitPolicyConsistent,
  'ratelimit-header-values': ratelimitHeaderValues,
  'cache-control-header': cacheControlHeader,
  'cache-validator': cacheValidator,
  'auth-401-response': auth401Response,
  'pagination-required': paginationRequired,
  'pagination-limit-bounded': paginationLimitBounded,
  'pagination-next-link': paginationNextLink,
};

/** Does a finding have a quick fix (not only "Ignore")? */
export function hasFix(finding: Finding): boolean {
  return FIX_PROVIDERS[finding.rule]?.offers(finding).some((o) => o.preferred) ?? false;
}

/**
 * Which fixes a finding has. Without `ws` (no parsing, cheap enough for every cursor move) a title
 * names what is written; with it, the title states the values the edit writes.
 */
export function offersFor(finding: Finding, options: { suppressions?: boolean; ws?: FixWorkspace } = {}): Offer[] {
  const provider = FIX_PROVIDERS[finding.rule];
  let ctx: FixContext | undefined;
  if (provider && options.ws && options.ws.backend(options.ws.rootFile) && options.ws.backend(finding.file)) {
    ctx = context(options.ws, new FixSession((file) => options.ws!.backend(file)), finding);
  }
  const fixes = provider ? offersWith(provider, finding, ctx) : [];
  return options.suppressions === false ? fixes : [...fixes, ...suppressionOffers(finding)];
}

/** A provider's offers for a finding, with the document's values when there is a context (else the plain titles). */
function offersWith(provider: FixProvider, finding: Finding, ctx: FixContext | undefined): Offer[] {
  try {
    return provider.offers(finding, ctx);
  } catch (e) {
    if (!(e instanceof FixNotApplicable)) throw e;
    return provider.offers(finding);
  }
}

/** Why Fix All leaves a finding's preferred fix to the user (undefined: it applies it). */
export function suggestionReason(finding: Finding, offer: Offer, ws: FixWorkspace): string | undefined {
  const provider = FIX_PROVIDERS[finding.rule];
  if (!provider || offer.kind === 'suppress') return undefined;
  const session = new FixSession((file) => ws.backend(file));
  try {
    return inventsFor(provider, context(ws, session, finding), offer.id);
  } catch (e) {
    if (e instanceof FixNotApplicable) return undefined;
    throw e;
  }
}

function context(ws: FixWorkspace, session: FixSession, finding: Finding): FixContext {
  const style = ws.ruleOptions('ratelimit-headers').style;
  const components = new Components(session, ws.model, (typeof style === 'string' ? style : 'either') as RateLimitStyle);
  const ctx: FixContext = { finding, ws, model: ws.model, session, components };
  components.onReuseLimit = (place) => boundReusedLimit(ctx, place);
  return ctx;
}

function run(ctx: FixContext, offer: Offer): void {
  if (offer.kind === 'suppress') applySuppression(ctx, offer.id);
  else FIX_PROVIDERS[ctx.finding.rule].apply(ctx, offer.id);
}

/** The edits of one offer, or undefined when it does not apply (any more) to the documents. */
export function applyOffer(finding: Finding, offer: Offer, ws: FixWorkspace): Fix | undefined {
  if (!ws.backend(ws.rootFile) || !ws.backend(finding.file)) return undefined;
  const session = new FixSession((file) => ws.backend(file));
  try {
    run(context(ws, session, finding), offer);
    const edits = session.edits();
    if (edits.size === 0) return undefined;
    return { title: offer.title, rule: finding.rule, kind: offer.kind, preferred: offer.preferred, edits };
  } catch (e) {
    if (e instanceof FixNotApplicable) return undefined;
    throw e;
  }
}

/** Every fix of a finding, with its edits. */
export function fixesFor(finding: Finding, ws: FixWorkspace, options: { suppressions?: boolean } = {}): Fix[] {
  return offersFor(finding, { ...options, ws }).flatMap((offer) => applyOffer(finding, offer, ws) ?? []);
}

/** A finding whose fix Fix All left to the user, and why. */
export interface LeftFinding {
  finding: Finding;
  /** The quick fix the light bulb offers. */
  title: string;
  reason: string;
  /** True: left because its fix would invent a value (a suggestion); false: its fix cannot be applied here. */
  suggestion: boolean;
  /** Refused while the plan was written: often because another fix of the plan did its work (the next lint tells). */
  late?: boolean;
}

export interface FixAllOptions {
  /** Fix only these findings (default: every finding with a preferred fix). */
  only?: (finding: Finding) => boolean;
  /** Apply suggestions too (what picking each preferred quick fix would do); Fix All never does. */
  suggestions?: boolean;
}

export interface FixAllResult {
  edits: FileEdits;
  /** Findings a fix was planned for. */
  fixed: Finding[];
  /** Findings whose preferred fix is a suggestion: left for the user to pick in the light bulb. */
  left: LeftFinding[];
  /** Existing values the fixes replace, per file (everything else is only added to). */
  replaced: Map<string, JsonPath[]>;
}

/**
 * Plan the preferred fix of every finding on one parse of the documents and render them together:
 * fixes that add to the same mapping share one edit, a shared component is created once. A fix
 * that no longer applies (another fix of the plan did its work) is skipped. Only fixes that invent
 * nothing are applied (as ESLint's fixes vs suggestions): the others are listed in `left`, with why.
 */
export function fixAll(findings: Finding[], ws: FixWorkspace, options: FixAllOptions | ((finding: Finding) => boolean) = {}): FixAllResult {
  const { only, suggestions } = typeof options === 'function' ? { only: options, suggestions: false } : options;
  const session = new FixSession((file) => ws.backend(file));
  const fixed: Finding[] = [];
  const left: LeftFinding[] = [];
  // A file that does not parse cleanly (a duplicate key, YAML aliases blanked out as a bomb): its
  // findings may miss what the parser left out (a 401 merged in with `<<`) or sit on the wrong
  // node, and a fix planned on them would land there (or override what was left out).
  const unclean = findings.find((f) => (f.rule === 'parse' && f.severity === 'error') || (f.rule === 'ref' && tellsOfAliasBomb(f.message)));
  for (const finding of findings) {
    if (only && !only(finding)) continue;
    const provider = FIX_PROVIDERS[finding.rule];
    const offer = provider?.offers(finding).find((o) => o.preferred);
    if (!offer) continue;
    // Each finding a fix exists for is fixed or left with why: none goes unaccounted.
    const refuse = (reason: string, late?: boolean) => left.push({ finding, title: offer.title, reason, suggestion: false, ...(late ? { late } : {}) });
    // Before any file is parsed for fixes (the fixes' parser would expand an alias bomb).
    if (unclean) {
      refuse(`${basename(unclean.file)} does not parse cleanly (line ${unclean.range.start.line + 1}: ${unclean.message.split(';')[0].replace(/\.$/, '')}), so the finding may not hold and a fix could land on the wrong node`);
      continue;
    }
    if (isRemoteRef(finding.file)) {
      refuse(`it lies in a fetched file (${finding.file}), which is not written`);
      continue;
    }
    if (!ws.backend(ws.rootFile) || !ws.backend(finding.file)) {
      refuse(`${basename(ws.backend(ws.rootFile) ? finding.file : ws.rootFile)} could not be read for fixing`);
      continue;
    }
    // Refused, with why, before anything is planned: a finding on a node the YAML shares through
    // an anchor (its fix would change each alias too), so no shared component is left behind.
    try {
      ws.backend(finding.file)!.kindAt(finding.path);
    } catch (e) {
      if (!(e instanceof FixNotApplicable)) throw e;
      refuse(e.message);
      continue;
    }
    try {
      const ctx = context(ws, session, finding);
      // Which fix is preferred may depend on the document (and the titles state the values written).
      const chosen = offersWith(provider, finding, ctx).find((o) => o.preferred) ?? offer;
      const reason = suggestions ? undefined : inventsFor(provider, ctx, chosen.id);
      if (reason !== undefined) {
        left.push({ finding, title: chosen.title, reason, suggestion: true });
        continue;
      }
      run(ctx, chosen);
      fixed.push(finding);
    } catch (e) {
      if (!(e instanceof FixNotApplicable)) throw e;
      // Another fix of this plan may have done its work: the next lint says; what stays is told why.
      refuse(e.message, true);
    }
  }
  return { edits: session.edits(), fixed, left, replaced: session.replaced() };
}

/** Findings left to the user, counted per rule and reason (most first). */
export function summariseLeft(left: LeftFinding[]): FixAllLeft[] {
  const counts = new Map<string, FixAllLeft>();
  for (const { finding, reason, suggestion } of left) {
    const key = `${finding.rule}\0${reason}`;
    const entry = counts.get(key) ?? { rule: finding.rule, reason, count: 0, suggestion };
    entry.count++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule));
}
