/**
 * What every part of the model builder shares: the loaded document, the findings it reports, and
 * which annotation is in force for an operation.
 */
import { effectiveAnnotation, effectiveRateLimit, RATE_LIMIT } from '../../openapi/annotations';
import type { JsonPath, Located, Operation } from '../../openapi/spec';
import type { Finding } from '../../shared/types';
import type { LoadedSpec } from '../load';
import { RULES } from './types';

export type Level = 'operation' | 'path' | 'root';

export interface InForce {
  value: unknown;
  /** Where the annotation in force is written (logical path). */
  path: JsonPath;
  level: Level;
}

const LEVEL_RANK: Record<Level, number> = { operation: 0, path: 1, root: 2 };

export class ModelContext {
  readonly spec;
  readonly rootLoc: Located;
  readonly findings: Finding[] = [];
  /** Per annotated object: its rate limit read from a lenient key (canonical form). */
  readonly lenient = new Map<object, { value: unknown; path: JsonPath }>();
  private readonly warned = new Set<string>();

  constructor(readonly loaded: LoadedSpec) {
    this.spec = loaded.spec;
    this.rootLoc = { value: loaded.root, path: [], file: loaded.file };
  }

  report(path: JsonPath, rule: string, severity: Finding['severity'], message: string): void {
    this.findings.push(this.loaded.finding(path, rule, severity, message));
  }

  /** An export warning, reported once however many operations run into it. */
  warnOnce(path: JsonPath, message: string): void {
    const k = JSON.stringify([path, message]);
    if (this.warned.has(k)) return;
    this.warned.add(k);
    this.report(path, RULES.export, 'warn', message);
  }

  /**
   * The value of annotation `name` in force for `op` (operation > path item > root; `false`
   * included), with where it is written. A rate limit read from a lenient key counts at its level.
   */
  effective(op: Operation, name: string): InForce | undefined {
    if (name !== RATE_LIMIT) return effectiveAnnotation(this.spec, op, name);
    const canonical = effectiveRateLimit(this.spec, op);
    const levels: [Located, Level][] = [
      [op, 'operation'],
      [op.pathItem, 'path'],
      [this.rootLoc, 'root'],
    ];
    for (const [loc, level] of levels) {
      if (canonical && LEVEL_RANK[canonical.level] <= LEVEL_RANK[level]) break;
      const lenient = this.lenient.get(loc.value);
      if (lenient) return { ...lenient, level };
    }
    return canonical;
  }
}
