import type { Document } from '@stoplight/spectral-core';
import * as Parsers from '@stoplight/spectral-parsers';
import { aliasBomb, blankAliases, positionAt, type AliasBomb } from './aliases';
import { spectralCore } from './spectral';
import type { OpenApiVersion } from './types';

export type Format = 'json' | 'yaml';

/** JSON by extension, or by content when the extension says nothing (JSON is valid YAML, not the reverse). */
export function detectFormat(path: string, text: string): Format {
  if (/\.json$/i.test(path)) return 'json';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  return /^\s*[{[]/.test(text) ? 'json' : 'yaml';
}

/**
 * Parse once, with source ranges. Spectral's own parsers are used because they give ranges for
 * JSON paths and are the fastest of the range-keeping parsers measured here.
 */
export function parseDocument(text: string, path: string): Document {
  const { Document } = spectralCore();
  if (detectFormat(path, text) === 'json') return new Document(text, Parsers.Json as Parsers.IParser<any>, path);
  const bomb = aliasBomb(text);
  if (bomb === undefined) return new Document(text, Parsers.Yaml as Parsers.IParser<any>, path);
  const document = new Document(blankAliases(text), Parsers.Yaml as Parsers.IParser<any>, path);
  const at = positionAt(text, bomb.offset);
  // Spectral reports a Document's `parser` diagnostics as findings (Headroom's rule `parse`).
  (document.diagnostics as unknown[]).push({
    code: 'parser',
    message: bomb.message,
    path: [],
    severity: 0,
    range: { start: at, end: { line: at.line, character: at.character + 1 } },
  });
  return document;
}

/** YAML text safe to hand to a parser that expands aliases (see aliases.ts); JSON is returned as is. */
export function defuseAliases(text: string, path: string): { text: string; bomb?: AliasBomb } {
  if (detectFormat(path, text) === 'json') return { text };
  const bomb = aliasBomb(text);
  return bomb ? { text: blankAliases(text), bomb } : { text };
}

/** OpenAPI version of a parsed root, or null when it is not an OpenAPI document. */
export function detectOpenApiVersion(data: unknown): OpenApiVersion | null {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return null;
  const root = data as Record<string, unknown>;
  if (typeof root.swagger === 'string' || typeof root.swagger === 'number') {
    return String(root.swagger).startsWith('2') ? '2.0' : null;
  }
  if (typeof root.openapi === 'string') {
    if (/^3\.0(\.|$)/.test(root.openapi)) return '3.0';
    if (/^3\.1(\.|$)/.test(root.openapi)) return '3.1';
  }
  return null;
}
