/**
 * Completion and hover for Headroom's `x-gateway-*` annotations while they are typed, from
 * schemas/x-gateway.schema.json: the annotation names on the document root, a path item or an
 * operation; inside one, its properties and their values (enums, `false`, booleans); hovering a
 * key shows the schema's description and what its value must be. Validation comes from the lint
 * (ratelimit-policy-valid, gateway-annotation-valid: the code the export runs too).
 *
 * Where the cursor is (the keys above it) is read from the text as typed, which rarely parses:
 * YAML by indentation (block style), JSON with jsonc-parser's tolerant scanner.
 */
import { getLocation } from 'jsonc-parser';
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionParams,
  type Hover,
  type Position,
  type Range,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { annotationNames, annotationProperties, annotationSchemaInfo, annotationValues, type SchemaInfo } from '../openapi/annotationSchema';
import { HTTP_METHODS, type JsonPath } from '../openapi/spec';
import { looksLikeOpenApi } from '../shared/sniff';

const PREFIX = 'x-gateway-';

/** Where the cursor is: inside the object at `parents`, typing a key, or the value of `key`. */
interface Context {
  format: 'yaml' | 'json';
  parents: JsonPath;
  kind: 'key' | 'value';
  key?: string | number;
  /** The text being typed, replaced by a completion. */
  range: Range;
  /** JSON: the word is inside a string's quotes. */
  quoted?: boolean;
}

/** Objects annotations may sit on: the document root, a path item, an operation. */
function isOwner(path: JsonPath): boolean {
  if (path.length === 0) return true;
  if (path[0] !== 'paths' || typeof path[1] !== 'string' || !path[1].startsWith('/')) return false;
  return path.length === 2 || (path.length === 3 && (HTTP_METHODS as readonly string[]).includes(String(path[2])));
}

/** The annotation a path runs through: its name and the path inside it (`undefined` when none). */
function annotationOf(path: JsonPath): { name: string; inner: JsonPath } | undefined {
  const i = path.findIndex((s) => typeof s === 'string' && s.startsWith(PREFIX));
  if (i < 0 || !isOwner(path.slice(0, i))) return undefined;
  return { name: String(path[i]), inner: path.slice(i + 1) };
}

// -----------------------------------------------------------------------------------------------
// YAML: the keys above the cursor, by indentation

// `s`: a line split at \n may still hold a lone \r, U+2028 or U+2029, which `.` would not match.
const LINE = /^(\s*)((?:-\s+)*)(.*)$/s;
const KEY = /^(?:'([^']*)'|"([^"]*)"|([^\s'"#{}[\],][^#]*?))\s*:(?:\s|$)/;

function keyOf(content: string): string | undefined {
  const m = KEY.exec(content);
  return m ? (m[1] ?? m[2] ?? m[3]) : undefined;
}

/** The keys (and sequence items, as 0) that hold a line whose content starts at `column`. */
function yamlParents(lines: string[], line: number, column: number, startsItem: boolean, dashColumn: number): JsonPath {
  const out: JsonPath = [];
  let want = column;
  if (startsItem) {
    out.push(0);
    want = dashColumn;
  }
  for (let i = line - 1; i >= 0 && want > 0; i--) {
    const text = lines[i];
    if (/^\s*(#.*)?$/.test(text)) continue;
    const m = LINE.exec(text)!;
    const indent = m[1].length;
    const content = indent + m[2].length;
    if (m[2]) {
      if (content < want) {
        const key = keyOf(m[3]);
        if (key === undefined) return out.reverse();
        out.push(key);
      }
      if (content <= want && indent < want) {
        out.push(0);
        want = indent;
      }
      continue;
    }
    if (indent < want) {
      const key = keyOf(m[3]);
      if (key === undefined) return out.reverse();
      out.push(key);
      want = indent;
    }
  }
  return out.reverse();
}

function yamlContext(doc: TextDocument, position: Position): Context | undefined {
  const lines = doc.getText().split(/\r?\n/);
  const before = (lines[position.line] ?? '').slice(0, position.character);
  const m = LINE.exec(before)!;
  const column = m[1].length + m[2].length;
  const parents = yamlParents(lines, position.line, column, m[2] !== '', m[1].length);
  const rest = m[3];
  const value = /^(?:'([^']*)'|"([^"]*)"|([^\s'"#{}[\],][^#:]*?))\s*:\s+([^\s#{}[\],]*)$/.exec(rest);
  if (value) {
    const typed = value[4];
    return {
      format: 'yaml',
      parents,
      kind: 'value',
      key: value[1] ?? value[2] ?? value[3],
      range: { start: { line: position.line, character: position.character - typed.length }, end: position },
    };
  }
  if (/^[\w$./-]*$/.test(rest)) {
    return { format: 'yaml', parents, kind: 'key', range: { start: { line: position.line, character: position.character - rest.length }, end: position } };
  }
  return undefined;
}

// -----------------------------------------------------------------------------------------------
// JSON

function jsonContext(doc: TextDocument, position: Position): Context | undefined {
  const text = doc.getText();
  const offset = doc.offsetAt(position);
  const location = getLocation(text, offset);
  // The word being typed, with its quotes when it is in a string: a completion replaces all of it.
  let start = offset;
  while (start > 0 && /[\w$./-]/.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && /[\w$./-]/.test(text[end])) end++;
  const quoted = text[start - 1] === '"';
  if (quoted) {
    start--;
    if (text[end] === '"') end++;
  }
  const range: Range = { start: doc.positionAt(start), end: doc.positionAt(quoted ? end : offset) };
  const path = location.path;
  if (location.isAtPropertyKey) return { format: 'json', parents: path.slice(0, -1), kind: 'key', range, quoted };
  if (path.length === 0) return undefined;
  return { format: 'json', parents: path.slice(0, -1), kind: 'value', key: path[path.length - 1], range, quoted };
}

const isJson = (doc: TextDocument) => doc.languageId === 'json' || /\.json$/i.test(doc.uri) || /^\s*[{[]/.test(doc.getText().slice(0, 64));

function contextAt(doc: TextDocument, position: Position): Context | undefined {
  return isJson(doc) ? jsonContext(doc, position) : yamlContext(doc, position);
}

// -----------------------------------------------------------------------------------------------
// Completion

function documentation(info: SchemaInfo | undefined): { kind: 'markdown'; value: string } | undefined {
  const parts = [info?.description, info?.expected ? `Value: ${info.expected}.` : undefined].filter(Boolean);
  return parts.length > 0 ? { kind: MarkupKind.Markdown, value: parts.join('\n\n') } : undefined;
}

function keyItem(ctx: Context, name: string, info: SchemaInfo | undefined, required: boolean): CompletionItem {
  const newText = ctx.format === 'yaml' ? `${name}: ` : ctx.quoted ? JSON.stringify(name) : `${JSON.stringify(name)}: `;
  return {
    label: name,
    kind: CompletionItemKind.Property,
    ...(info?.expected ? { detail: info.expected } : {}),
    ...(documentation(info) ? { documentation: documentation(info) } : {}),
    // Required properties first, then the schema's order.
    sortText: `${required ? 0 : 1}`,
    textEdit: { range: ctx.range, newText },
    insertTextFormat: InsertTextFormat.PlainText,
  };
}

function valueItem(ctx: Context, value: string | number | boolean): CompletionItem {
  const text = typeof value === 'string' && ctx.format === 'json' ? JSON.stringify(value) : String(value);
  return { label: String(value), kind: CompletionItemKind.Value, textEdit: { range: ctx.range, newText: text } };
}

export function annotationCompletions(doc: TextDocument, position: Position): CompletionItem[] {
  if (!looksLikeOpenApi(doc.getText())) return [];
  const ctx = contextAt(doc, position);
  if (!ctx) return [];
  if (ctx.kind === 'key') {
    const inside = annotationOf(ctx.parents);
    if (inside) {
      const properties = annotationProperties(inside.name, inside.inner);
      // A sequence item that takes scalars (`methods: [- GET]`): its values.
      if (properties.length === 0) return annotationValues(inside.name, inside.inner).map((v) => valueItem(ctx, v));
      return properties.map((p) => keyItem(ctx, p.name, p, p.required));
    }
    return isOwner(ctx.parents) ? annotationNames().map((a) => keyItem(ctx, a.name, a, false)) : [];
  }
  const inside = annotationOf([...ctx.parents, ctx.key!]);
  if (!inside) return [];
  return annotationValues(inside.name, inside.inner).map((v) => valueItem(ctx, v));
}

// -----------------------------------------------------------------------------------------------
// Hover

/** The path of the key under the cursor, if the cursor is on a key. */
function keyPathAt(doc: TextDocument, position: Position): JsonPath | undefined {
  const text = doc.getText();
  if (isJson(doc)) {
    const location = getLocation(text, doc.offsetAt(position));
    return location.isAtPropertyKey ? location.path : undefined;
  }
  const lines = text.split(/\r?\n/);
  const line = lines[position.line] ?? '';
  const m = LINE.exec(line)!;
  const start = m[1].length + m[2].length;
  const key = keyOf(m[3]);
  if (key === undefined || position.character < start || position.character > start + m[3].indexOf(':')) return undefined;
  return [...yamlParents(lines, position.line, start, m[2] !== '', m[1].length), key];
}

export function annotationHover(doc: TextDocument, position: Position): Hover | null {
  const path = keyPathAt(doc, position);
  const inside = path && annotationOf(path);
  if (!inside) return null;
  const info = annotationSchemaInfo(inside.name, inside.inner);
  if (!info) return null;
  const label = [inside.name, ...inside.inner].join('.');
  const parts = [`**\`${label}\`** (Headroom gateway annotation)`, info.description, info.expected ? `Value: ${info.expected}.` : undefined];
  return { contents: { kind: MarkupKind.Markdown, value: parts.filter(Boolean).join('\n\n') } };
}

/** The completion capability: the editor asks as a word is typed (and on Ctrl+Space); `"` starts a JSON key or value. */
export const COMPLETION_CAPABILITY = { triggerCharacters: ['"'], resolveProvider: false };

export function completionHandler(documents: { get(uri: string): TextDocument | undefined }) {
  return (params: CompletionParams): CompletionItem[] => {
    const doc = documents.get(params.textDocument.uri);
    return doc ? annotationCompletions(doc, params.position) : [];
  };
}
