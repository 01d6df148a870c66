/**
 * Valid JSON text read token by token, keeping the containers open at each point: where each
 * starts, and the key or index it is at (so the path to any token is known). No tree and no
 * object per token: the editor walks a 13 MB spec this way on a keystroke, to find the value an
 * edit is in (incrementalJson.ts) or the containers around it (tolerantJsonEdit.ts).
 */
import { colonFollows, jsonStringEnd } from './jsonLocator';

type Segment = string | number;

export enum Token {
  Open,
  Close,
  String,
  /** A number, `true`, `false` or `null`. */
  Scalar,
  End,
}

/** A container open at the walk's position. */
export interface JsonFrame {
  array: boolean;
  /** An array's current element. */
  index: number;
  /** Offsets of an object's current key token (-1: none yet). */
  keyStart: number;
  keyEnd: number;
  /** Offset of its bracket, its line and where that line starts. */
  start: number;
  line: number;
  lineStart: number;
}

export class JsonWalk {
  readonly stack: JsonFrame[] = [];
  /** The line of the current token, and where it starts (lines end at \n, \r\n or \r). */
  line = 0;
  lineStart = 0;
  /** The current token: its offsets [start, end); a string's whether it is a key; a close's frame. */
  start = 0;
  end = 0;
  key = false;
  closed: JsonFrame | undefined;
  private i = 0;

  constructor(private readonly text: string) {}

  /** Where the walk stands: the end of the current token, or past the blanks after it. */
  get offset(): number {
    return this.i;
  }

  /** Steps to the next token and says what it is. */
  next(): Token {
    const text = this.text;
    const n = text.length;
    // Locals in the loop (a 13 MB text is millions of characters), written back with the token.
    let i = this.i;
    let line = this.line;
    let lineStart = this.lineStart;
    let token = Token.End;
    let end = i;
    scan: while (i < n) {
      const c = text.charCodeAt(i);
      switch (c) {
        case 10:
          line++;
          lineStart = ++i;
          continue;
        case 13:
          i += text.charCodeAt(i + 1) === 10 ? 2 : 1;
          line++;
          lineStart = i;
          continue;
        case 32:
        case 9:
        case 58: // :
          i++;
          continue;
        case 44: {
          // , : the next element of an array
          const top = this.stack[this.stack.length - 1];
          if (top?.array) top.index++;
          i++;
          continue;
        }
        case 123:
        case 91:
          this.stack.push({ array: c === 91, index: 0, keyStart: -1, keyEnd: -1, start: i, line, lineStart });
          token = Token.Open;
          end = i + 1;
          break scan;
        case 125:
        case 93:
          this.closed = this.stack.pop();
          token = Token.Close;
          end = i + 1;
          break scan;
        case 34: {
          end = jsonStringEnd(text, i);
          const top = this.stack[this.stack.length - 1];
          this.key = top !== undefined && !top.array && colonFollows(text, end);
          if (this.key) {
            top.keyStart = i;
            top.keyEnd = end;
          }
          token = Token.String;
          break scan;
        }
        default:
          end = i;
          for (let w = text.charCodeAt(end); end < n && w !== 44 && w !== 125 && w !== 93 && w !== 32 && w !== 9 && w !== 10 && w !== 13; w = text.charCodeAt(++end));
          token = Token.Scalar;
          break scan;
      }
    }
    this.line = line;
    this.lineStart = lineStart;
    this.start = i;
    this.end = end;
    this.i = token === Token.End ? i : end;
    return token;
  }

  /** The path to the current position inside the first `depth` open containers (all by default). */
  path(depth = this.stack.length): Segment[] {
    const out: Segment[] = [];
    for (let d = 0; d < depth; d++) {
      const f = this.stack[d];
      out.push(f.array ? f.index : this.keyAt(f.keyStart, f.keyEnd));
    }
    return out;
  }

  private keyAt(start: number, end: number): string {
    const raw = this.text.slice(start + 1, end - 1);
    return raw.includes('\\') ? (JSON.parse(this.text.slice(start, end)) as string) : raw;
  }
}
