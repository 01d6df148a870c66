/**
 * One lint at a time per document, keyed by version: edits are debounced, a newer version makes
 * the running lint's result stale (it is dropped, and the newest version is linted next), and
 * nothing is ever published for a version older than what the editor holds. Every lint goes
 * through here (edits, saves, "Lint Workspace", re-lints after a ruleset change), so a document is
 * never linted twice at once; `idle` says when a document has nothing pending or running.
 */
export interface Job {
  uri: string;
  version: number;
  /** True once a newer version has been scheduled for the same document. */
  isStale(): boolean;
}

export class LintQueue {
  private readonly latest = new Map<string, number>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<string>();
  private readonly rerun = new Map<string, number>();
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(private readonly work: (job: Job) => Promise<void>) {}

  /** Lint `uri` at `version` after `delayMs` of quiet. Resolves when `uri` is idle again (this lint, or a newer one, done). */
  schedule(uri: string, version: number, delayMs: number): Promise<void> {
    this.latest.set(uri, version);
    clearTimeout(this.timers.get(uri));
    if (delayMs <= 0) {
      this.timers.delete(uri);
      void this.start(uri, version);
    } else {
      this.timers.set(
        uri,
        setTimeout(() => {
          this.timers.delete(uri);
          void this.start(uri, version);
        }, delayMs),
      );
    }
    return this.idle(uri);
  }

  /** Stop tracking a closed document; a running lint's result will be dropped. */
  forget(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.latest.delete(uri);
    this.rerun.delete(uri);
    this.settle(uri);
  }

  /** Resolves once nothing is waiting or running for `uri` (at once if nothing is). */
  idle(uri: string): Promise<void> {
    if (this.isIdle(uri)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(uri, [...(this.waiters.get(uri) ?? []), resolve]));
  }

  private isIdle(uri: string): boolean {
    return !this.timers.has(uri) && !this.running.has(uri) && !this.rerun.has(uri);
  }

  private settle(uri: string): void {
    if (!this.isIdle(uri)) return;
    const waiting = this.waiters.get(uri) ?? [];
    this.waiters.delete(uri);
    for (const resolve of waiting) resolve();
  }

  private async start(uri: string, version: number): Promise<void> {
    if (this.running.has(uri)) {
      this.rerun.set(uri, version);
      return;
    }
    this.running.add(uri);
    try {
      await this.work({ uri, version, isStale: () => this.latest.get(uri) !== version });
    } finally {
      this.running.delete(uri);
      const next = this.rerun.get(uri);
      this.rerun.delete(uri);
      if (next !== undefined && this.latest.get(uri) === next) void this.start(uri, next);
      else this.settle(uri);
    }
  }
}
