/** The shapes every layer (CLI, language server, export) agrees on. */

export type Severity = 'error' | 'warn' | 'info' | 'hint';

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warn: 1, info: 2, hint: 3 };

export interface Position {
  /** 0-based */
  line: number;
  /** 0-based, UTF-16 code units */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface Finding {
  /** Absolute path of the file the finding lies in (a `$ref`ed file when the node lives there). */
  file: string;
  /** Rule id, e.g. `ratelimit-429-response`; `parse` and `ref` for load problems. */
  rule: string;
  severity: Severity;
  message: string;
  /** JSON path of the node inside `file`. */
  path: (string | number)[];
  range: Range;
}

export type OpenApiVersion = '2.0' | '3.0' | '3.1' | '3.2';
