/** What the validate rule's pieces share: the schema versions and one problem found. */
import type { JsonPath } from '../../../../src/openapi/spec';

export type Obj = Record<string, any>;

export type SchemaVersion = '2.0' | '3.0' | '3.1' | '3.2';

export interface Issue {
  /** Logical path from the root (through `$ref`s). */
  path: JsonPath;
  message: string;
  /** The node the message is about, when not `path` itself (a key that must not be there is shown on the key, but is a problem of its object). */
  subject?: JsonPath;
  /** Issues with the same `kind` on the same node are one problem, whatever their wording (default: the message). */
  kind?: string;
}
