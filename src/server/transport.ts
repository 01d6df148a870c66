/**
 * The stream the server talks over, from its command line (`--stdio`, `--socket=PORT`,
 * `--pipe=NAME`, `--node-ipc`), made here rather than inside vscode-languageserver so that a
 * stream that can no longer be read ends the session with a reason. A header without a valid
 * `Content-Length` (or a body longer than it said, whose tail is then read as a header) leaves
 * the reader unable to find the next message: before, the server lived on and answered nothing,
 * and the editor saw a hang. A body that is not JSON, its length right, costs only that message.
 */
import {
  createServerPipeTransport,
  createServerSocketTransport,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';

export interface Transport {
  reader: MessageReader;
  writer: MessageWriter;
  /** Talking over stdin / stdout: nothing else may write to stdout, and the end of stdin is the end. */
  stdio: boolean;
}

/** The transport the arguments name; undefined: none (`headroom lsp` checked them before). */
export function transportFrom(argv: string[]): Transport | undefined {
  for (let i = 0; i < argv.length; i++) {
    const [flag, value = argv[i + 1]] = argv[i].split('=');
    if (flag === '--stdio') return { reader: new StreamMessageReader(process.stdin), writer: new StreamMessageWriter(process.stdout), stdio: true };
    if (flag === '--node-ipc') return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process), stdio: false };
    if (flag === '--socket' && Number(value) > 0) {
      const [reader, writer] = createServerSocketTransport(Number(value));
      return { reader, writer, stdio: false };
    }
    if (flag === '--pipe' && value) {
      const [reader, writer] = createServerPipeTransport(value);
      return { reader, writer, stdio: false };
    }
  }
  return undefined;
}

/** Is a reader's error one it cannot read past (the framing is lost), rather than one bad message? */
export function framingLost(error: Error): boolean {
  return /^(Header must provide a Content-Length property|Content-Length value must be a number)/.test(error.message);
}
