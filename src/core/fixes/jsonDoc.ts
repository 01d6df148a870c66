/**
 * JSON documents for fixes: nodes located with `jsonc-parser`'s syntax tree, new members written
 * with the indentation, `:` spacing and line breaks of the container they go into (one line for
 * minified files). jsonc-parser's own `modify` is not used for the insertions because it
 * re-formats the neighbouring member it has to put a comma after, which changes user lines.
 */
import { findNodeAtLocation, parse as parseJsonc, parseTree, type Node, type ParseError } from 'jsonc-parser';
import { eolOf, LineIndex, type TextEdit } from './text';
import { FixNotApplicable, type Backend, type JsonPath, type Value } from './types';

export class JsonBackend implements Backend {
  readonly format = 'json' as const;
  readonly data: unknown;
  readonly ok: boolean;
  private readonly tree: Node | undefined;
  private readonly eol: string;
  private unitCache?: string;
  private inlineCache?: string;
  private linesCache?: LineIndex;
  /** One member per line (not a minified file). */
  private readonly pretty: boolean;

  constructor(readonly text: string) {
    const errors: ParseError[] = [];
    this.tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
    this.ok = errors.length === 0 && this.tree !== undefined;
    let data: unknown;
    if (this.ok) {
      try {
        data = JSON.parse(text);
      } catch {
        data = parseJsonc(text, [], { allowTrailingComma: true });
      }
    }
    this.data = data;
    this.eol = eolOf(text);
    this.pretty = /\n\s*\S/.test(text);
  }

  /** The indentation unit: the first indented line's whitespace (two spaces for a one-line file). */
  private get unit(): string {
    if (this.unitCache === undefined) {
      const m = /\n([ \t]+)\S/.exec(this.text);
      this.unitCache = m ? m[1] : '  ';
    }
    return this.unitCache;
  }

  private node(path: JsonPath): Node | undefined {
    return this.tree ? findNodeAtLocation(this.tree, path) : undefined;
  }

  kindAt(path: JsonPath): 'map' | 'seq' | 'scalar' | 'null' | undefined {
    const n = this.node(path);
    if (!n) return undefined;
    if (n.type === 'object') return 'map';
    if (n.type === 'array') return 'seq';
    return n.type === 'null' ? 'null' : 'scalar';
  }

  keysAt(path: JsonPath): string[] {
    const n = this.node(path);
    return n?.type === 'object' ? (n.children ?? []).map((p) => String(p.children?.[0]?.value)) : [];
  }

  insertPairs(path: JsonPath, index: number, entries: [string, Value][]): TextEdit {
    const obj = this.node(path);
    if (obj?.type !== 'object') throw new FixNotApplicable('not a JSON object');
    const props = obj.children ?? [];
    const colon = props.length > 0 ? this.colonOf(props[0]) : `:${this.layout(obj).pretty ? ' ' : this.inlineSpace}`;
    return this.insertMembers(obj, index, entries.map(([k, v]) => (indent: string, pretty: boolean) => `${JSON.stringify(k)}${colon}${this.value(v, indent, pretty)}`));
  }

  appendItems(path: JsonPath, items: Value[]): TextEdit {
    const arr = this.node(path);
    if (arr?.type !== 'array') throw new FixNotApplicable('not a JSON array');
    return this.insertMembers(arr, (arr.children ?? []).length, items.map((v) => (indent: string, pretty: boolean) => this.value(v, indent, pretty)));
  }

  replaceValue(path: JsonPath, value: Value): TextEdit {
    const n = this.node(path);
    if (!n) throw new FixNotApplicable('no value to replace');
    const { indent } = this.lineOf(n.offset);
    return { start: n.offset, end: n.offset + n.length, newText: this.value(value, indent, this.pretty) };
  }

  /** Members (rendered for a given indentation) into an object or array, before its `index`th child. */
  private insertMembers(container: Node, index: number, members: ((indent: string, pretty: boolean) => string)[]): TextEdit {
    const children = container.children ?? [];
    const { pretty, memberIndent, closeIndent } = this.layout(container);
    // One-line containers: `{"a":1,"b":2}` or `{ "a": 1, "b": 2 }`, as the container writes them.
    const sep = pretty ? this.eol + memberIndent : this.text[container.offset + 1] === ' ' || children.length < 2 ? this.inlineSpace : '';
    // Beside members written on one line (`{"name": "id", "in": "path"}`), a new object is one line too.
    const inline = pretty && children.length > 0 && children.every((c) => this.oneLine(c));
    const texts = members.map((m) => m(memberIndent, pretty && !inline));
    if (children.length === 0) {
      const open = container.offset + 1;
      const close = container.offset + container.length - 1;
      const inner = pretty ? `${sep}${texts.join(`,${sep}`)}${this.eol}${closeIndent}` : texts.join(',');
      return { start: open, end: close, newText: inner };
    }
    if (index >= children.length) {
      const last = children[children.length - 1];
      const at = last.offset + last.length;
      return { start: at, end: at, newText: `,${sep}${texts.join(`,${sep}`)}` };
    }
    const at = children[index].offset;
    return { start: at, end: at, newText: `${texts.join(`,${sep}`)},${sep}` };
  }

  /** How a container lays out its members: one per line (and at what indentation) or all on one line. */
  private layout(container: Node): { pretty: boolean; memberIndent: string; closeIndent: string } {
    const children = container.children ?? [];
    const own = this.lineOf(container.offset).indent;
    if (children.length > 0) {
      const first = children[0];
      const pretty = this.text.slice(container.offset, first.offset).includes('\n');
      return { pretty, memberIndent: pretty ? this.lineOf(first.offset).indent : '', closeIndent: own };
    }
    // An empty container: pretty when the file is.
    const pretty = this.pretty;
    return { pretty, memberIndent: own + this.unit, closeIndent: own };
  }

  private colonOf(prop: Node): string {
    const [key, value] = prop.children ?? [];
    if (!key || !value) return ': ';
    return this.text.slice(key.offset + key.length, value.offset);
  }

  private oneLine(node: Node): boolean {
    this.linesCache ??= new LineIndex(this.text);
    return this.linesCache.lineStart(node.offset) === this.linesCache.lineStart(node.offset + node.length);
  }

  private lineOf(offset: number): { indent: string } {
    // A line index, not lastIndexOf: a minified spec is one line of megabytes.
    this.linesCache ??= new LineIndex(this.text);
    const start = this.linesCache.lineStart(offset);
    return { indent: /^[ \t]*/.exec(this.text.slice(start, offset))![0] };
  }

  /**
   * How the file writes one-line objects and arrays: `{"a": 1, "b": 2}` (a space after `,` and
   * `:`) in pretty files, `{"a":1,"b":2}` in minified ones. Learned from the file's head.
   */
  private get inlineSpace(): string {
    if (this.inlineCache === undefined) {
      const head = this.text.slice(0, 65536);
      const spaced = head.split(', "').length + head.split('": ').length;
      const tight = head.split(',"').length + head.split('":').length - head.split('": ').length;
      this.inlineCache = spaced > tight ? ' ' : '';
    }
    return this.inlineCache;
  }

  /** A value on one line, spaced like the file's one-line values. */
  private inlineValue(value: Value): string {
    const space = this.inlineSpace;
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map((v) => this.inlineValue(v)).join(`,${space}`)}]`;
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${space}${this.inlineValue(v)}`).join(`,${space}`)}}`;
  }

  /** A value written at a member's indentation: multi-line with the file's unit, or on one line in a one-line container. */
  private value(value: Value, indent: string, pretty: boolean): string {
    if (!pretty) return this.inlineValue(value);
    return JSON.stringify(value, null, this.unit).split('\n').join(this.eol + indent);
  }
}
