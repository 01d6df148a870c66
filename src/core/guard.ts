/**
 * A rule function that throws must not take the whole lint down (Spectral aborts the run on the
 * first exception): the guarded function reports the crash as one finding of that rule instead.
 */
import { refMapKeyToPath } from '../openapi/associate';

type Fn = (...args: any[]) => unknown;

const GUARDED = Symbol('headroom.guarded');

/**
 * Spectral's DocumentInventory maps a finding's path through `$ref`s with a helper that forgets to
 * percent-decode (a `$ref` to `#/components/parameters/page%20size` put its findings on
 * `components.parameters`). The class is not exported, so the fix is installed on its prototype
 * from the inventory Spectral hands every rule function.
 */
const patched = new WeakSet<object>();
function fixInventory(ctx: unknown): void {
  const inventory = (ctx as { documentInventory?: object } | undefined)?.documentInventory;
  const proto = inventory && Object.getPrototypeOf(inventory);
  if (!proto || patched.has(proto) || typeof proto.convertRefMapKeyToPath !== 'function') return;
  proto.convertRefMapKeyToPath = refMapKeyToPath;
  patched.add(proto);
}

export function crashMessage(fnName: string, e: unknown): string {
  const reason = e instanceof Error ? e.message : String(e);
  return `The rule function "${fnName}" failed on this document and was skipped: ${reason}`;
}

export function guardRuleFunction<T extends Fn>(fn: T): T {
  if ((fn as any)[GUARDED]) return fn;
  const name = fn.name || 'anonymous';
  const guarded = function (this: unknown, ...args: unknown[]) {
    fixInventory(args[2]);
    try {
      const result = fn.apply(this, args) as any;
      if (result && typeof result.then === 'function') {
        return result.then(undefined, (e: unknown) => [{ message: crashMessage(name, e) }]);
      }
      return result;
    } catch (e) {
      return [{ message: crashMessage(name, e) }];
    }
  };
  // Keep what Spectral reads off the function (its name, option validation).
  for (const key of Reflect.ownKeys(fn)) {
    if (key === 'length' || key === 'prototype') continue;
    const d = Object.getOwnPropertyDescriptor(fn, key);
    if (d) Object.defineProperty(guarded, key, d);
  }
  Object.defineProperty(guarded, GUARDED, { value: true });
  return guarded as unknown as T;
}
