/**
 * Are a message's params the shape its handler reads? One sentence naming what is missing, or
 * undefined. The gate (gate.ts) answers a request that fails with InvalidParams (-32602) and that
 * sentence, and drops such a notification with a warning, so no handler ever meets `null` where
 * it reads a document (a raw "Cannot read properties of null" was the answer before).
 */

type Check = (params: unknown) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{textDocument: {uri}}` and what else `more` asks. */
function document(more?: (p: Record<string, unknown>) => string | undefined): Check {
  return (p) => {
    if (!isObject(p)) return 'params must be an object';
    if (!isObject(p.textDocument) || typeof p.textDocument.uri !== 'string') return 'params.textDocument.uri must be a string (the document URI)';
    return more?.(p);
  };
}

const isPosition = (v: unknown) => isObject(v) && Number.isInteger(v.line) && Number.isInteger(v.character) && (v.line as number) >= 0 && (v.character as number) >= 0;

const isRange = (v: unknown) => isObject(v) && isPosition(v.start) && isPosition(v.end);

/** A diagnostic as the client sends it back: a range and a message (a string, or markup). */
const isDiagnostic = (v: unknown) => isObject(v) && isRange(v.range) && (typeof v.message === 'string' || isObject(v.message));

const position = (p: Record<string, unknown>) => (isPosition(p.position) ? undefined : 'params.position must be {line, character}, whole numbers from 0');

/** A request or notification that names one file by `uri` (Headroom's own). */
function fileUri(name = 'uri'): Check {
  return (p) => (isObject(p) && typeof p[name] === 'string' ? undefined : `params.${name} must be a string (a file: URI)`);
}

const CHECKS: Record<string, Check> = {
  'textDocument/hover': document(position),
  'textDocument/completion': document(position),
  'textDocument/diagnostic': document(),
  'textDocument/codeAction': document((p) => {
    if (!isObject(p.range) || !isPosition(p.range.start) || !isPosition(p.range.end)) return 'params.range must be {start, end} positions';
    if (!isObject(p.context) || !Array.isArray(p.context.diagnostics)) return 'params.context must be {diagnostics: [...]}';
    if (!p.context.diagnostics.every(isDiagnostic)) return 'params.context.diagnostics must be diagnostics, each with a range and a message';
    if (p.context.only !== undefined && !(Array.isArray(p.context.only) && p.context.only.every((k) => typeof k === 'string'))) return 'params.context.only must be a list of code action kinds';
    return undefined;
  }),
  initialize: (p) => (isObject(p) && isObject(p.capabilities) ? undefined : 'params must be {capabilities, ...}: what the client supports'),
  'codeAction/resolve': (p) => (isObject(p) && typeof p.title === 'string' ? undefined : 'params must be a code action this server returned (with its title and data)'),
  'textDocument/didOpen': document((p) => {
    const d = p.textDocument as Record<string, unknown>;
    return typeof d.text === 'string' && Number.isInteger(d.version) ? undefined : 'params.textDocument must carry its text (a string) and version (a whole number)';
  }),
  'textDocument/didChange': document((p) => {
    if (!Number.isInteger((p.textDocument as Record<string, unknown>).version)) return 'params.textDocument.version must be a whole number';
    const change = (c: unknown) => isObject(c) && typeof c.text === 'string' && (c.range === undefined || isRange(c.range));
    return Array.isArray(p.contentChanges) && p.contentChanges.every(change) ? undefined : 'params.contentChanges must be a list of changes, each with its text (and a range, or none for the whole text)';
  }),
  'textDocument/didClose': document(),
  'textDocument/didSave': document(),
  'workspace/didChangeWatchedFiles': (p) => (isObject(p) && Array.isArray(p.changes) && p.changes.every((c) => isObject(c) && typeof c.uri === 'string') ? undefined : 'params.changes must be a list of {uri, type}'),
  'workspace/didChangeConfiguration': (p) => (isObject(p) ? undefined : 'params must be an object'),
  'workspace/didChangeWorkspaceFolders': (p) => (isObject(p) && isObject(p.event) && Array.isArray(p.event.added) && Array.isArray(p.event.removed) ? undefined : 'params.event must be {added, removed}'),
  'headroom/fixAll': fileUri(),
  'headroom/lintAnyway': fileUri(),
  'headroom/export': fileUri(),
  'headroom/coverage': fileUri(),
  // (What in the list is no file: URI of the workspace is passed over.)
  'headroom/lintFiles': (p) => (isObject(p) && Array.isArray(p.uris) ? undefined : 'params.uris must be a list of file: URIs'),
  'headroom/tabs': (p) => (isObject(p) && [p.opened, p.closed].every((l) => l === undefined || (Array.isArray(l) && l.every((u) => typeof u === 'string'))) ? undefined : 'params must be {opened, closed}, lists of URIs'),
  'headroom/configure': (p) => (isObject(p) ? undefined : 'params must be an object'),
};

/** What is wrong with the params of `method`; undefined: nothing this server can tell. */
export function invalidParams(method: string, params: unknown): string | undefined {
  return CHECKS[method]?.(params);
}
