/**
 * `headroom lsp --stdio | --socket=PORT | --node-ipc`: the language server for any LSP editor
 * (Neovim, Helix, Zed, Emacs, Sublime, JetBrains). It is the server the VS Code extension runs,
 * `server.js` beside this bundle in the package; vscode-languageserver reads the transport from
 * the command line.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './args';

export const LSP_USAGE = `  headroom lsp --stdio | --socket=PORT | --node-ipc`;

const TRANSPORT = /^--(stdio|node-ipc|socket=\d{1,5}|pipe=.+)$/;

export function lspCommand(args: string[]): Promise<number> {
  const transports = args.filter((a) => TRANSPORT.test(a));
  const other = args.filter((a) => !TRANSPORT.test(a) && !/^--clientProcessId=\d+$/.test(a));
  if (transports.length !== 1 || other.length > 0) {
    throw new UsageError(other.length > 0 ? `unknown lsp option "${other[0]}"` : 'lsp needs one transport: --stdio, --socket=PORT or --node-ipc');
  }
  const port = /^--socket=(\d+)$/.exec(transports[0])?.[1];
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) throw new UsageError(`invalid --socket port "${port}" (1 to 65535)`);
  if (transports[0] === '--node-ipc' && typeof process.send !== 'function') throw new UsageError('--node-ipc needs a parent process that opened an IPC channel (use --stdio or --socket=PORT otherwise)');
  // The bundle: dist/server.js next to dist/cli-main.js. From the sources (tsx): src/server/server.ts.
  const bundled = join(__dirname, 'server.js');
  const server = existsSync(bundled) ? bundled : join(__dirname, '..', 'server', 'server.ts');
  // vscode-languageserver takes `--socket=N` and `--stdio` from process.argv, as `headroom lsp` got them.
  require(server);
  // The server runs until the client says `exit` (which ends the process); never resolves.
  return new Promise<number>(() => {});
}
