/**
 * Quick fixes for Headroom's findings, editor-independent: given the documents (through a
 * `FixWorkspace`) and a finding, the named fixes that answer it, each a set of minimal text edits
 * per file; and fix-all, which plans every preferred fix of a document on one parse and renders
 * them as one edit. The language server turns these into code actions; `headroom lint --fix`
 * writes them.
 */
import type { Finding } from '../../shared/types';
import { Components, type RateLimitStyle } from './components';
import type { FixWorkspace } from './model';
import type { FixContext, FixProvider, Offer } from './provider';
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

/** Which fixes a finding has (titles only: no parsing, cheap enough for every cursor move). */
export function offersFor(finding: Finding, options: { suppressions?: boolean } = {}): Offer[] {
  const fixes = FIX_PROVIDERS[finding.rule]?.offers(finding) ?? [];
  return options.suppressions === false ? fixes : [...fixes, ...suppressionOffers(finding)];
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
  return offersFor(finding, options).flatMap((offer) => applyOffer(finding, offer, ws) ?? []);
}

export interface FixAllResult {
  edits: FileEdits;
  /** Findings a fix was planned for. */
  fixed: Finding[];
  /** Existing values the fixes replace, per file (everything else is only added to). */
  replaced: Map<string, JsonPath[]>;
}

/**
 * Plan the preferred fix of every finding on one parse of the documents and render them together:
 * fixes that add to the same mapping share one edit, a shared component is created once. A fix
 * that no longer applies (another fix of the plan did its work) is skipped.
 */
export function fixAll(findings: Finding[], ws: FixWorkspace, only?: (finding: Finding) => boolean): FixAllResult {
  const session = new FixSession((file) => ws.backend(file));
  const fixed: Finding[] = [];
  if (ws.backend(ws.rootFile)) {
    for (const finding of findings) {
      if (only && !only(finding)) continue;
      const offer = FIX_PROVIDERS[finding.rule]?.offers(finding).find((o) => o.preferred);
      if (!offer || !ws.backend(finding.file)) continue;
      try {
        run(context(ws, session, finding), offer);
        fixed.push(finding);
      } catch (e) {
        if (!(e instanceof FixNotApplicable)) throw e;
      }
    }
  }
  return { edits: session.edits(), fixed, replaced: session.replaced() };
}
