/**
 * Which files a spec may pull in: one policy object for every reader of spec files (the lean and
 * the Spectral engines, the fixes, the export), built once by the CLI (from the spec's root and
 * its flags) or by the language server (from the workspace folders, trust and settings).
 *
 * A `$ref` to another file is followed only when that file lies inside one of the policy's roots,
 * judged on the path the reader would open: relative `..` paths, absolute paths, `file:` URLs and
 * percent-encoded paths are resolved first, then symlinks (so a link inside that leads out is
 * outside). Remote `http(s)` refs are followed only when allowed. What is refused is never opened.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

export interface RefPolicy {
  /** Folders a `$ref`ed file must lie in; undefined: anywhere (the user lifted the limit). */
  readonly roots: readonly string[] | undefined;
  /** Fetch `http(s)` `$ref`s. */
  readonly allowRemote: boolean;
  /** What the roots are and how the user lifts each limit, for the finding that says a `$ref` was refused. */
  readonly hints: { roots: string; outside: string; remote: string };
}

/** Hints for the CLI's flags. */
function cliHints(root: string | undefined) {
  return {
    roots: `the root ${root}`,
    outside: 'set the root with --root DIR, or lift the limit with --allow-refs-outside-root',
    remote: 'allow them with --allow-remote-refs',
  };
}

/** Hints for the editor's settings (which count only in a trusted workspace). */
const EDITOR_HINTS = {
  roots: 'the workspace folder',
  outside: 'allow it with the headroom.allowRefsOutsideWorkspace setting',
  remote: 'allow them with the headroom.allowRemoteRefs setting',
} as const;

/**
 * The CLI's root for a spec: the git work tree that holds it; else the current folder if it
 * holds the spec; else the spec's own folder. A spec reached through a symlink (the file, or a
 * folder above it) is placed where the path names it, links not followed: its `$ref`s are read
 * from there, so the root is chosen from there too. (Files are still judged by their real path
 * against the root's: `allowsFile`.)
 */
export function defaultRoot(spec: string, cwd: string = process.cwd()): string {
  const file = resolve(spec);
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, '.git'))) return dir;
    if (dirname(dir) === dir) break;
  }
  const here = resolve(cwd);
  return within(file, here) || within(realOrResolved(file), realOrResolved(cwd)) ? here : dirname(file);
}

export interface CliPolicyOptions {
  /** `--root DIR` (relative to cwd). */
  root?: string;
  /** `--allow-refs-outside-root`. */
  allowOutside?: boolean;
  /** `--allow-remote-refs`. */
  allowRemote?: boolean;
  cwd?: string;
}

/** The policy `headroom lint|export` applies to one spec. */
export function cliPolicy(spec: string, options: CliPolicyOptions = {}): RefPolicy {
  const cwd = options.cwd ?? process.cwd();
  const roots = options.allowOutside ? undefined : [options.root !== undefined ? resolve(cwd, options.root) : defaultRoot(resolve(cwd, spec), cwd)];
  return { roots, allowRemote: options.allowRemote ?? false, hints: cliHints(roots?.[0]) };
}

export interface WorkspacePolicyOptions {
  /** The workspace folders (absolute paths). */
  folders: readonly string[];
  /** Restricted Mode off. */
  trusted: boolean;
  /** headroom.allowRefsOutsideWorkspace (honoured only when trusted). */
  allowOutside: boolean;
  /** headroom.allowRemoteRefs (honoured only when trusted). */
  allowRemote: boolean;
}

/**
 * The policy the editor applies to one spec: `$ref`s stay in the workspace folders (a spec that
 * lies in none of them may reach its own folder), unless the user allows more in a trusted
 * workspace.
 */
export function workspacePolicy(spec: string, o: WorkspacePolicyOptions): RefPolicy {
  const allowRemote = o.trusted && o.allowRemote;
  if (o.trusted && o.allowOutside) return { roots: undefined, allowRemote, hints: EDITOR_HINTS };
  const file = resolve(spec);
  const roots = o.folders.length > 0 && o.folders.some((f) => within(realOrResolved(file), realOrResolved(f))) ? [...o.folders] : [dirname(file)];
  return { roots, allowRemote, hints: EDITOR_HINTS };
}

/** Is the file at `path` (an absolute path, symlinks followed) allowed by the policy? */
export function allowsFile(policy: RefPolicy, path: string): boolean {
  if (policy.roots === undefined) return true;
  const target = realOrResolved(path);
  return policy.roots.some((root) => within(target, realOrResolved(root)));
}

/** Why a `$ref` to a file outside the roots was not read: one line, naming the ref. */
export function outsideMessage(policy: RefPolicy, ref: string): string {
  return `$ref "${ref}" points outside ${policy.hints.roots} and was not read (${policy.hints.outside}).`;
}

/** Why a remote `$ref` was not fetched. */
export function remoteMessage(policy: RefPolicy, ref: string): string {
  return `Remote $ref "${ref}" was not fetched (remote references are off; ${policy.hints.remote}).`;
}

/** `path` itself after following symlinks; for a path that does not exist, its nearest existing ancestor's real path joined with the rest. */
function realOrResolved(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realOrResolved(parent), relative(parent, abs));
  }
}

/** Is `target` `root` or inside it (as written: no links followed)? */
export function within(target: string, root: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** A folder given as a root must exist and be a folder. */
export function checkRootFolder(dir: string): string | undefined {
  try {
    return statSync(dir).isDirectory() ? undefined : `--root ${dir} is not a folder`;
  } catch {
    return `--root ${dir} does not exist`;
  }
}
