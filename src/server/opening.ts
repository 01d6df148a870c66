/**
 * Files the editor is opening: their tab is there, their text is not yet (VS Code takes seconds
 * to load a 13 MB spec and hand it to the extension host). Linted from disk meanwhile, so the
 * findings are there when the text is; a didOpen with the very text that lint read does not lint
 * again. Knows nothing about LSP.
 */
interface Entry {
  /** The file's text on disk when the tab opened (its lint was scheduled then). */
  text: string;
  /** The file changed on disk since: the didOpen text is linted whatever it is. */
  stale: boolean;
}

export class Opening {
  private readonly entries = new Map<string, Entry>();

  /** A tab opened on `uri`, whose text on disk is `text`; its lint is scheduled with this call. */
  announce(uri: string, text: string): void {
    this.entries.set(uri, { text, stale: false });
  }

  /** Is `uri` being opened (linted from disk, though no document is open)? */
  holds(uri: string): boolean {
    return this.entries.has(uri);
  }

  /**
   * The document arrived with `text`: true when the early lint stands for it (same text, the disk
   * unchanged since), false when the document must be linted. Forgets `uri`.
   */
  opened(uri: string, text: string): boolean {
    const entry = this.entries.get(uri);
    this.entries.delete(uri);
    return entry !== undefined && !entry.stale && entry.text === text;
  }

  /** The file changed on disk before its document arrived. */
  changedOnDisk(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) entry.stale = true;
  }

  /** The tab closed before its document arrived: true if `uri` was being opened. */
  closed(uri: string): boolean {
    return this.entries.delete(uri);
  }
}
