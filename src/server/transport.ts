/**
 * The stream the server talks over, from its command line (`--stdio`, `--socket=PORT`,
 * `--pipe=NAME`, `--node-ipc`), made here rather than inside vscode-languageserver so that a
 * stream that can no longer be read ends the session with a reason. A header without a valid
 * `Content-Length` (or a body longer than it said, whose tail is then read as a header) leaves
 * the reader unable to find the next message: before, the server lived on and answered nothing,
 * and the editor saw a hang. A body that is not JSON, its length right, costs only that message.
 * A `Content-Length` the reader takes but no message has (`-5`, `1.5`, `12abc`: it reads them as
 * numbers) loses the framing too, and is said as such.
 */
import {
  createServerPipeTransport,
  createServerSocketTransport,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  ReadableStreamMessageReader,
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
  const transport = namedTransport(argv);
  if (transport?.reader instanceof ReadableStreamMessageReader) strictContentLength(transport.reader);
  return transport;
}

function namedTransport(argv: string[]): Transport | undefined {
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

/**
 * Makes the reader refuse a `Content-Length` that is not a count of bytes. It parses the value
 * with `parseInt`, so `-5` read a body of the bytes before the last five and `12abc` one of 12:
 * the framing was lost without an error. The value is handed on as one `parseInt` cannot read,
 * so the reader says "Content-Length value must be a number. Got …" (the framing-lost error).
 * The reader's header buffer is its own: when it is not there (another version), nothing changes.
 */
function strictContentLength(reader: ReadableStreamMessageReader): void {
  const buffer = (reader as unknown as { buffer?: { tryReadHeaders?: (lowerCaseKeys?: boolean) => Map<string, string> | undefined } }).buffer;
  const read = buffer?.tryReadHeaders;
  if (buffer === undefined || typeof read !== 'function') return;
  buffer.tryReadHeaders = (lowerCaseKeys?: boolean) => {
    const headers = read.call(buffer, lowerCaseKeys);
    const key = lowerCaseKeys ? 'content-length' : 'Content-Length';
    const value = headers?.get(key);
    if (value !== undefined && !/^\d+$/.test(value.trim())) headers!.set(key, `"${value}"`);
    return headers;
  };
}
