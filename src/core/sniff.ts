/** Dependency-free checks cheap enough for the editor's thread. */

/**
 * Does the text look like an OpenAPI root? YAML: a top-level (column 0) `openapi:` or `swagger:`
 * key near the start; JSON: an `"openapi"` or `"swagger"` key near the start.
 */
export function looksLikeOpenApi(text: string): boolean {
  const head = text.slice(0, 4096);
  if (/^\s*\{/.test(head)) return /"(openapi|swagger)"\s*:/.test(head);
  return /(^|\n)["']?(openapi|swagger)["']?[ \t]*:/.test(head);
}
