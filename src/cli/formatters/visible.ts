/**
 * Text from the spec (a path key, a name in a message) as a terminal or a CI log may show it:
 * control characters — ESC starting a terminal escape sequence, NUL, a backspace, C1 codes — are
 * written as `\u001b`-style escapes, so a spec cannot recolour, hide or rewrite the output it is
 * linted into. Tabs stay; line breaks are each format's to handle (`oneLine` for line-per-item output).
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, escape);
}

/**
 * `visible`, and line breaks (LF, CR, U+2028, U+2029) escaped too (`\n`, `\r`): for output with one
 * item per line, where text from the spec must not start a line of its own (a CI log reads a line
 * starting `::error` as a workflow command).
 */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g, escape);
}

const escape = (c: string) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
