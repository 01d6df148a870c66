/**
 * Text from the spec (a path key, a name in a message) as a terminal or a CI log may show it:
 * control characters — ESC starting a terminal escape sequence, NUL, a backspace, C1 codes — are
 * written as `\u001b`-style escapes, so a spec cannot recolour, hide or rewrite the output it is
 * linted into. Tabs stay; line breaks are each format's to handle.
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
