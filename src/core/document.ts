import { Document } from '@stoplight/spectral-core';
import * as Parsers from '@stoplight/spectral-parsers';
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
  const parser = detectFormat(path, text) === 'json' ? Parsers.Json : Parsers.Yaml;
  return new Document(text, parser as Parsers.IParser<any>, path);
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
