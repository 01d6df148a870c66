/**
 * A rule function that throws must not take the whole lint down (Spectral aborts the run on the
 * first exception): the guarded function reports the crash as one finding of that rule instead.
 */
type Fn = (...args: any[]) => unknown;

const GUARDED = Symbol('headroom.guarded');

export function crashMessage(fnName: string, e: unknown): string {
  const reason = e instanceof Error ? e.message : String(e);
  return `The rule function "${fnName}" failed on this document and was skipped: ${reason}`;
}

export function guardRuleFunction<T extends Fn>(fn: T): T {
  if ((fn as any)[GUARDED]) return fn;
  const name = fn.name || 'anonymous';
  const guarded = function (this: unknown, ...args: unknown[]) {
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
