/**
 * YAML documents for fixes: nodes located with the `yaml` package's Document API (source ranges),
 * new nodes rendered in the file's own style (indentation unit, sequence indentation, quote
 * style, flow or block for small mappings, plain or quoted status codes, line breaks) and
 * inserted as text between existing lines. Nothing outside the inserted nodes is re-serialised.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { eolOf, type TextEdit } from './text';
import { FixNotApplicable, type Backend, type JsonPath, type Value } from './types';

export interface YamlStyle {
  /** Spaces per nesting level. */
  unit: number;
  /** Block sequences indented under their key (`key:\n  - a`) rather than flush (`key:\n- a`). */
  indentSeq: boolean;
  singleQuote: boolean;
  /** `{ a: 1 }` rather than `{a: 1}`. */
  flowPadding: boolean;
  /** Small schemas of scalars written in flow style (`schema: {type: string}`). */
  leafFlow: boolean;
  /** `$ref` mappings written in flow style (`'429': {$ref: ...}`). */
  refFlow: boolean;
  /** Status-code keys written plain (`200:`) rather than quoted. */
  plainCodes: boolean;
  eol: string;
}

const STATUS_KEY = /^[1-5][0-9][0-9]$/;
/** Nodes looked at to learn the style; the head of a big file says as much as all of it. */
const STYLE_SAMPLE = 20000;

type Collection = YAMLMap | YAMLSeq;

export class YamlBackend implements Backend {
  readonly format = 'yaml' as const;
  readonly data: unknown;
  readonly ok: boolean;
  private readonly doc: Document.Parsed;
  private styleCache?: YamlStyle;
  private readonly childCache = new WeakMap<object, Map<string, Pair>>();
  /** Anchors some alias repeats (`&shared` … `*shared`): computed when the text has an alias at all. */
  private aliasedCache?: Set<string>;

  constructor(readonly text: string) {
    this.doc = parseDocument(text, { keepSourceTokens: false, uniqueKeys: false, prettyErrors: false });
    this.ok = this.doc.errors.length === 0;
    this.data = this.ok ? this.doc.toJS({ maxAliasCount: -1 }) : undefined;
  }

  private get aliased(): Set<string> {
    if (!this.aliasedCache) {
      const names = new Set<string>();
      if (this.text.includes('*')) visit(this.doc, { Alias: (_key, alias) => void names.add(alias.source) });
      this.aliasedCache = names;
    }
    return this.aliasedCache;
  }

  /**
   * A node an alias repeats is every place the alias stands too: an edit in it would change those
   * (a 429 added to one operation's anchored `responses` would be added to each operation that
   * aliases them, a public one included). Such an edit is not applied.
   */
  private refuseShared(node: unknown): void {
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor !== undefined && this.aliased.has(anchor)) throw new FixNotApplicable(`the node is shared through the YAML anchor &${anchor}: an edit would change each *${anchor} too`);
  }

  get style(): YamlStyle {
    this.styleCache ??= detectStyle(this.doc, this.text);
    return this.styleCache;
  }

  private pairIn(map: YAMLMap, key: string): Pair | undefined {
    let index = this.childCache.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        const k = isScalar(item.key) ? String(item.key.value) : undefined;
        if (k !== undefined) index.set(k, item as Pair);
      }
      this.childCache.set(map, index);
    }
    return index.get(key);
  }

  /** The node at `path` (an empty value is a null Scalar); undefined when absent. */
  node(path: JsonPath): Node | undefined {
    let node: unknown = this.doc.contents;
    this.refuseShared(node);
    for (const seg of path) {
      if (isAlias(node)) throw new FixNotApplicable(aliasMessage(node.source));
      if (isMap(node)) node = this.pairIn(node, String(seg))?.value;
      else if (isSeq(node)) node = node.items[Number(seg)];
      else return undefined;
      if (node === undefined || node === null) return undefined;
      this.refuseShared(node);
    }
    return (node ?? undefined) as Node | undefined;
  }

  private pairAt(path: JsonPath): Pair | undefined {
    const parent = this.node(path.slice(0, -1));
    return isMap(parent) ? this.pairIn(parent, String(path[path.length - 1])) : undefined;
  }

  kindAt(path: JsonPath): 'map' | 'seq' | 'scalar' | 'null' | undefined {
    const pair = path.length > 0 ? this.pairAt(path) : undefined;
    if (pair && (pair.value === null || (isScalar(pair.value) && pair.value.value === null))) return 'null';
    const n = this.node(path);
    if (n === undefined) return undefined;
    if (isAlias(n)) throw new FixNotApplicable(aliasMessage(n.source));
    if (isMap(n)) return 'map';
    if (isSeq(n)) return 'seq';
    if (isScalar(n)) return n.value === null ? 'null' : 'scalar';
    return undefined;
  }

  keysAt(path: JsonPath): string[] {
    const n = this.node(path);
    return isMap(n) ? n.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')) : [];
  }

  insertPairs(path: JsonPath, index: number, entries: [string, Value][]): TextEdit {
    const map = this.node(path);
    if (!isMap(map) || !map.range) throw new FixNotApplicable('not a YAML mapping');
    const s = this.style;
    if (map.flow) {
      const texts = entries.map(([k, v]) => `${this.key(k)}: ${this.flow(v)}`);
      if (map.items.length === 0) return this.fillEmptyFlow(map, texts.join(', '));
      if (index >= map.items.length) {
        const last = map.items[map.items.length - 1];
        const at = endOf(last);
        return { start: at, end: at, newText: `, ${texts.join(', ')}` };
      }
      const at = (map.items[index].key as Node).range![0];
      return { start: at, end: at, newText: `${texts.join(', ')}, ` };
    }
    const first = map.items[0].key as Node;
    const col = this.column(first.range![0]);
    const lines = entries.map(([k, v]) => ' '.repeat(col) + this.blockPair(k, v, col));
    if (index < map.items.length) {
      const keyStart = (map.items[index].key as Node).range![0];
      const lineStart = this.lineStart(keyStart);
      if (this.text.slice(lineStart, keyStart).trim() === '') {
        const at = this.aboveComments(lineStart);
        return { start: at, end: at, newText: lines.map((l) => l + s.eol).join('') };
      }
      // The key shares its line (`- name: x`): add after the previous pair instead, or give up.
      if (index === 0) throw new FixNotApplicable('cannot insert before a key that shares its line');
    }
    const prev = map.items[Math.min(index, map.items.length) - 1];
    return this.afterNode(endOf(prev), lines);
  }

  appendItems(path: JsonPath, items: Value[]): TextEdit {
    const seq = this.node(path);
    if (!isSeq(seq) || !seq.range) throw new FixNotApplicable('not a YAML sequence');
    if (seq.flow) {
      const texts = items.map((v) => this.flow(v));
      if (seq.items.length === 0) return this.fillEmptyFlow(seq, texts.join(', '));
      const at = (seq.items[seq.items.length - 1] as Node).range![1];
      return { start: at, end: at, newText: `, ${texts.join(', ')}` };
    }
    const firstStart = (seq.items[0] as Node).range![0];
    const dash = this.text.lastIndexOf('-', firstStart - 1);
    const col = this.column(dash);
    const contentCol = this.column(firstStart);
    const lines = items.map((v) => ' '.repeat(col) + '-' + ' '.repeat(Math.max(1, contentCol - col - 1)) + this.item(v, contentCol));
    return this.afterNode((seq.items[seq.items.length - 1] as Node).range![1], lines);
  }

  replaceValue(path: JsonPath, value: Value): TextEdit {
    const pair = path.length > 0 ? this.pairAt(path) : undefined;
    const node = this.node(path) as Scalar | undefined;
    const empty = !node || (isScalar(node) && node.value === null);
    if (!empty && !isScalar(node)) throw new FixNotApplicable('only scalars are replaced');
    const parent = this.node(path.slice(0, -1));
    const inFlow = (isMap(parent) || isSeq(parent)) && parent.flow;
    if (value !== null && typeof value === 'object' && empty && pair && !inFlow && !(Array.isArray(value) && value.length === 0)) {
      // `key:` or `key: ~` becomes `key:` + a block collection on the lines below; a comment
      // after it stays on the key's line.
      const keyNode = pair.key as Node;
      const colon = this.text.indexOf(':', keyNode.range![1]);
      const end = node && node.range ? Math.max(node.range[1], colon + 1) : colon + 1;
      const col = this.column(keyNode.range![0]);
      const body = Array.isArray(value)
        ? this.blockSeq(value, col)
        : this.blockMap(value as Record<string, Value>, col + this.style.unit);
      let lineEnd = this.text.indexOf('\n', end);
      if (lineEnd === -1) lineEnd = this.text.length;
      else if (this.text[lineEnd - 1] === '\r') lineEnd--;
      // What the line holds besides the empty value's own token (`~`, `null`, or nothing).
      const rest = (node?.range ? this.text.slice(colon + 1, node.range[0]) : '') + this.text.slice(end, lineEnd);
      if (rest.includes('#')) return { start: colon + 1, end: lineEnd, newText: rest + body };
      return { start: colon + 1, end, newText: body };
    }
    if (!node || !node.range) throw new FixNotApplicable('no value to replace');
    const text = value !== null && typeof value === 'object' ? this.flow(value) : this.scalar(value, node.type);
    return { start: node.range[0], end: node.range[1], newText: text };
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering

  private blockPair(key: string, value: Value, col: number): string {
    const k = this.key(key);
    if (value === null || typeof value !== 'object') return `${k}: ${this.scalar(value)}`;
    if (this.prefersFlow(value)) return `${k}: ${this.flow(value)}`;
    if (Array.isArray(value)) return `${k}:${this.blockSeq(value, col)}`;
    return `${k}:${this.blockMap(value, col + this.style.unit)}`;
  }

  /** Lines of a mapping at column `col`, each starting with a line break. */
  private blockMap(map: Record<string, Value>, col: number): string {
    return Object.entries(map)
      .map(([k, v]) => this.style.eol + ' '.repeat(col) + this.blockPair(k, v, col))
      .join('');
  }

  /** Items of a sequence that is the value of a key at column `keyCol`. */
  private blockSeq(items: Value[], keyCol: number): string {
    const col = keyCol + (this.style.indentSeq ? this.style.unit : 0);
    return items.map((v) => this.style.eol + ' '.repeat(col) + '- ' + this.item(v, col + 2)).join('');
  }

  /** A sequence item written after `- `, its further lines at `col`. */
  private item(value: Value, col: number): string {
    if (value === null || typeof value !== 'object' || this.prefersFlow(value)) return this.flowOrScalar(value);
    if (Array.isArray(value)) return this.flow(value);
    const [first, ...rest] = Object.entries(value);
    return this.blockPair(first[0], first[1], col) + rest.map(([k, v]) => this.style.eol + ' '.repeat(col) + this.blockPair(k, v, col)).join('');
  }

  private prefersFlow(value: Value): boolean {
    if (value === null || typeof value !== 'object') return false;
    const entries = Array.isArray(value) ? value : Object.values(value);
    if (entries.length === 0) return true;
    if (Array.isArray(value)) return entries.every((v) => v === null || typeof v !== 'object');
    if (entries.some((v) => v !== null && typeof v === 'object')) return false;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$ref') return this.style.refFlow;
    return this.style.leafFlow && keys.length <= 3 && keys.includes('type');
  }

  private flowOrScalar(value: Value): string {
    return value !== null && typeof value === 'object' ? this.flow(value) : this.scalar(value);
  }

  private flow(value: Value): string {
    const doc = new Document(value);
    visit(doc, {
      Map: (_, n) => void (n.flow = true),
      Seq: (_, n) => void (n.flow = true),
      Pair: (_, p) => this.styleKey(p),
    });
    return doc.toString({ lineWidth: 0, singleQuote: this.style.singleQuote, flowCollectionPadding: this.style.flowPadding }).trimEnd();
  }

  private key(key: string): string {
    if (STATUS_KEY.test(key) && this.style.plainCodes) return key;
    return this.scalar(key);
  }

  private styleKey(p: Pair): void {
    if (this.style.plainCodes && isScalar(p.key) && typeof p.key.value === 'string' && STATUS_KEY.test(p.key.value)) {
      p.key = new Scalar(Number(p.key.value));
    }
  }

  private scalar(value: string | number | boolean | null, type?: Scalar.Type): string {
    const doc = new Document(value);
    if (type && isScalar(doc.contents) && (type === 'QUOTE_SINGLE' || type === 'QUOTE_DOUBLE')) doc.contents.type = type;
    return doc.toString({ lineWidth: 0, singleQuote: this.style.singleQuote }).trimEnd();
  }

  // ---------------------------------------------------------------------------------------------
  // Positions

  private column(offset: number): number {
    return offset - this.lineStart(offset);
  }

  private lineStart(offset: number): number {
    return this.text.lastIndexOf('\n', offset - 1) + 1;
  }

  /** Comment lines right above a line belong to it: insert above them. */
  private aboveComments(lineStart: number): number {
    let at = lineStart;
    while (at > 0) {
      const prevStart = this.lineStart(at - 1);
      if (!this.text.slice(prevStart, at).trim().startsWith('#')) break;
      at = prevStart;
    }
    return at;
  }

  /** New lines after a node that ends at `end`: on the line after its last line. */
  private afterNode(end: number, lines: string[]): TextEdit {
    const eol = this.style.eol;
    // A block value ends with its line break: the new lines start right there.
    if (end > 0 && this.text[end - 1] === '\n') return { start: end, end, newText: lines.map((l) => l + eol).join('') };
    let at = this.text.indexOf('\n', end);
    if (at === -1) at = this.text.length;
    else if (this.text[at - 1] === '\r') at--;
    return { start: at, end: at, newText: lines.map((l) => eol + l).join('') };
  }

  private fillEmptyFlow(node: Collection, inner: string): TextEdit {
    const [start, end] = node.range!;
    const close = this.text.lastIndexOf(isMap(node) ? '}' : ']', end - 1);
    const pad = this.style.flowPadding ? ' ' : '';
    return { start: start + 1, end: close, newText: `${pad}${inner}${pad}` };
  }
}

/** Why a node an alias stands for is not edited there: the edit belongs in what the anchor holds, for each alias. */
function aliasMessage(anchor: string): string {
  return `the node is the YAML alias *${anchor}: an edit would belong in &${anchor} and change each *${anchor}`;
}

/** Where a pair ends: its value's end, or its key's when it has no value. */
function endOf(item: Pair | unknown): number {
  if (!isPair(item)) return (item as Node).range![1];
  const value = item.value as Node | null;
  return value && value.range ? value.range[1] : (item.key as Node).range![1];
}

function detectStyle(doc: Document.Parsed, text: string): YamlStyle {
  const units = new Map<number, number>();
  let seqIndented = 0;
  let seqFlush = 0;
  let single = 0;
  let double = 0;
  let padded = 0;
  let tight = 0;
  let leafFlow = 0;
  let leafBlock = 0;
  let refFlow = 0;
  let refBlock = 0;
  let plainCodes = 0;
  let quotedCodes = 0;
  let seen = 0;
  const col = (offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);
  visit(doc, {
    Scalar: (_, n) => {
      if (n.type === 'QUOTE_SINGLE') single++;
      else if (n.type === 'QUOTE_DOUBLE') double++;
    },
    Pair: (_, p) => {
      if (++seen > STYLE_SAMPLE) return visit.BREAK;
      const key = p.key as Node | null;
      const value = p.value as Node | null;
      if (isScalar(key) && key.range) {
        if (typeof key.value === 'number' && STATUS_KEY.test(String(key.value))) plainCodes++;
        else if (typeof key.value === 'string' && STATUS_KEY.test(key.value) && key.type !== 'PLAIN') quotedCodes++;
      }
      if (!key?.range || !value?.range) return;
      if (isMap(value) && !value.flow && value.items.length > 0) {
        const d = col((value.items[0].key as Node).range![0]) - col(key.range[0]);
        if (d > 0) units.set(d, (units.get(d) ?? 0) + 1);
      }
      if (isSeq(value) && !value.flow && value.items.length > 0) {
        const first = (value.items[0] as Node).range![0];
        const dash = text.lastIndexOf('-', first - 1);
        if (col(dash) > col(key.range[0])) seqIndented++;
        else seqFlush++;
      }
      if (isMap(value) && value.items.length > 0 && value.items.every((i) => isScalar(i.value))) {
        const keys = value.items.map((i) => (isScalar(i.key) ? i.key.value : undefined));
        if (keys.length === 1 && keys[0] === '$ref') value.flow ? refFlow++ : refBlock++;
        else if (keys.length <= 3 && keys.includes('type')) value.flow ? leafFlow++ : leafBlock++;
        if (value.flow) text[value.range[0] + 1] === ' ' ? padded++ : tight++;
      }
    },
  });
  const unit = [...units].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? 2;
  return {
    unit,
    indentSeq: seqIndented >= seqFlush,
    singleQuote: single >= double,
    flowPadding: padded > tight,
    leafFlow: leafFlow > leafBlock,
    refFlow: refFlow > refBlock || (refFlow + refBlock === 0 && leafFlow > leafBlock),
    plainCodes: plainCodes > quotedCodes,
    eol: eolOf(text),
  };
}
