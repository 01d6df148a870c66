/**
 * Text edits by offset: applying them, turning offsets into LSP positions, and the checks that a
 * fix only added to a document (every line it did not touch is still there, unchanged, in order).
 */
import type { Position, Range } from '../../shared/types';

/** Replace `text[start, end)` with `newText`. Offsets are UTF-16 code units, like LSP characters. */
export interface TextEdit {
  start: number;
  end: number;
  newText: string;
  /**
   * The same text as an LSP snippet (`${1:100}` tab stops), for editors that take snippet edits;
   * `newText` is what it inserts without them.
   */
  snippet?: string;
}

/** Apply non-overlapping edits (any order). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/** Offsets of line starts, to turn offsets into 0-based line/character positions. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  offset(p: Position): number {
    const start = this.starts[Math.min(p.line, this.starts.length - 1)] ?? 0;
    return Math.min(start + p.character, this.text.length);
  }

  lineStart(offset: number): number {
    return this.starts[this.position(offset).line];
  }
}

/** The line break the text uses (`\r\n` when its first line break is one). */
export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/**
 * The lines of `before` that `edits` changed although no edit lies inside them: each line must
 * still start a line of the result with its whole text; an edit at its end may follow it (JSON
 * puts the comma before a new member there), otherwise the line must end where it did. Lines an
 * edit replaces or inserts into the middle of are the edit's own. Returns 1-based line numbers
 * (empty when nothing outside the edits changed).
 */
export function changedUntouchedLines(before: string, edits: readonly TextEdit[]): number[] {
  const after = applyEdits(before, edits);
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const bad: number[] = [];
  let lineStart = 0;
  let next = 0;
  let shift = 0;
  for (let line = 1; ; line++) {
    const nl = before.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? before.length : nl > 0 && before[nl - 1] === '\r' ? nl - 1 : nl;
    // Edits that end before this line starts (an insertion at its very start included) move it.
    while (next < sorted.length && (sorted[next].start === sorted[next].end ? sorted[next].start <= lineStart : sorted[next].end <= lineStart)) {
      shift += sorted[next].newText.length - (sorted[next].end - sorted[next].start);
      next++;
    }
    const inside = sorted.some((x) => (x.start === x.end ? x.start > lineStart && x.start < lineEnd : x.start <= lineEnd && x.end > lineStart));
    if (!inside) {
      const at = lineStart + shift;
      const text = before.slice(lineStart, lineEnd);
      const end = at + text.length;
      const startsLine = at === 0 || after[at - 1] === '\n';
      const editAtEnd = sorted.some((x) => x.start === lineEnd);
      const endsLine = editAtEnd || end === after.length || after[end] === '\n' || (after[end] === '\r' && after[end + 1] === '\n');
      if (after.slice(at, end) !== text || !startsLine || !endsLine) bad.push(line);
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  return bad;
}

/**
 * Edits on `text0` equivalent to applying `first` (edits on `text0`) and then `second` (edits on
 * the result). Where a second edit falls inside or against text the first inserted, the two merge
 * into one edit; elsewhere the second edit is moved back to `text0` offsets. Fix rounds compose
 * this way into one minimal edit of the original document.
 */
export function composeEdits(text0: string, first: readonly TextEdit[], second: readonly TextEdit[]): TextEdit[] {
  const text1 = applyEdits(text0, first);
  const a = [...first].sort((x, y) => x.start - y.start || x.end - y.end);
  // Each first edit's span in text1, and the shift of text1 offsets after it.
  const spans: { s1: number; e1: number; edit: TextEdit; shiftAfter: number }[] = [];
  let shift = 0;
  for (const edit of a) {
    const s1 = edit.start + shift;
    shift += edit.newText.length - (edit.end - edit.start);
    spans.push({ s1, e1: s1 + edit.newText.length, edit, shiftAfter: shift });
  }
  /** text1 offset outside any inserted span → text0 offset. */
  const back = (p: number): number => {
    let s = 0;
    for (const span of spans) {
      if (span.e1 <= p) s = span.shiftAfter;
      else break;
    }
    return p - s;
  };
  // Group first spans and second edits whose text1 intervals touch.
  const items = [
    ...spans.map((span) => ({ s: span.s1, e: span.e1, first: span as (typeof spans)[number] | undefined, second: undefined as TextEdit | undefined })),
    ...[...second].map((edit) => ({ s: edit.start, e: edit.end, first: undefined, second: edit })),
  ].sort((x, y) => x.s - y.s || x.e - y.e);
  const out: TextEdit[] = [];
  for (let i = 0; i < items.length; ) {
    let gs = items[i].s;
    let ge = items[i].e;
    const group = [items[i]];
    for (i++; i < items.length && items[i].s <= ge; i++) {
      ge = Math.max(ge, items[i].e);
      group.push(items[i]);
    }
    const firsts = group.flatMap((g) => (g.first ? [g.first] : []));
    const seconds = group.flatMap((g) => (g.second ? [g.second] : []));
    if (seconds.length === 0) {
      out.push(firsts[0].edit);
      continue;
    }
    // The group covers text1 [gs, ge); its text0 range runs from the first span's original start
    // (or the mapped offset) to the last span's original end (or the mapped offset).
    const start0 = firsts.length > 0 && firsts[0].s1 === gs ? firsts[0].edit.start : back(gs);
    const last = firsts[firsts.length - 1];
    const end0 = last && last.e1 === ge ? last.edit.end : back(ge);
    const local = seconds.map((e) => ({ ...e, start: e.start - gs, end: e.end - gs }));
    out.push({ start: start0, end: end0, newText: applyEdits(text1.slice(gs, ge), local) });
  }
  return out;
}
