/** Dependency-free checks cheap enough for the editor's thread. */

/**
 * Does the text look like an OpenAPI root? YAML: a top-level (column 0) `openapi:` or `swagger:`
 * key; JSON: an `"openapi"` or `"swagger"` key with a string value. The whole text is searched:
 * generated specs often sort keys, putting `openapi:` after thousands of lines of `components:`
 * (Twilio's). A linear regex scan: a few ms on a 10 MB file.
 */
export function looksLikeOpenApi(text: string): boolean {
  if (/^\uFEFF?\s*[{[]/.test(text.slice(0, 1024))) return /"(openapi|swagger)"\s*:\s*"/.test(text);
  return /(^|\n)["']?(openapi|swagger)["']?[ \t]*:/.test(text);
}
