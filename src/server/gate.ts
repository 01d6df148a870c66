/**
 * Which messages reach the server's handlers.
 *
 * - Before `initialize` (LSP 3.17, "Server lifecycle"): a request is answered with error -32002
 *   (ServerNotInitialized), a notification is dropped, except `exit`. After `shutdown`: requests
 *   get InvalidRequest, notifications but `exit` are dropped.
 * - Documents that are not files (`untitled:`, `git:`, `inmemory:`…): the server lints files and
 *   the files they `$ref`, keyed by path, so a `git:` view of a file would take over the open
 *   file's text, and an `untitled:` buffer would be read as a file in the server's working
 *   folder. Their notifications are dropped; a request about one gets an empty answer. (The VS
 *   Code client asks for `file:` documents only; other editors attach to every buffer.)
 *
 * - Params that are not the shape the handler reads (params.ts): a request is answered with
 *   InvalidParams and what is missing; a notification is dropped, and `warn` says why.
 *
 * Responses to the server's own requests pass.
 */
import { ErrorCodes, Message, ResponseError, type MessageStrategy } from 'vscode-languageserver/node';
import { invalidParams } from './params';

/** The methods a request is renamed to: their handlers give the answer. */
const TOO_EARLY = '$/headroom/beforeInitialize';
const NOT_A_FILE = '$/headroom/notAFile';
const AFTER_SHUTDOWN = '$/headroom/afterShutdown';
const INVALID_PARAMS = '$/headroom/invalidParams';

export function messageGate(initialized: () => boolean, warn: (message: string) => void = () => {}): MessageStrategy {
  let shutDown = false;
  return {
    handleMessage(message, next) {
      // After `shutdown`, only `exit` (LSP 3.17): requests get InvalidRequest, notifications are dropped.
      if (shutDown) {
        if (Message.isRequest(message)) return next({ ...message, method: AFTER_SHUTDOWN, params: { method: message.method } } as Message);
        if (Message.isNotification(message) && message.method !== 'exit') return;
        return next(message);
      }
      if (!initialized()) {
        if (Message.isRequest(message)) {
          if (message.method !== 'initialize') return next({ ...message, method: TOO_EARLY, params: { method: message.method } } as Message);
          const invalid = invalidParams(message.method, message.params);
          return next(invalid === undefined ? message : ({ ...message, method: INVALID_PARAMS, params: { method: message.method, why: invalid } } as Message));
        }
        if (Message.isNotification(message) && message.method !== 'exit') return;
        return next(message);
      }
      if (Message.isRequest(message) && message.method === 'shutdown') shutDown = true;
      if (Message.isRequest(message) || Message.isNotification(message)) {
        const invalid = invalidParams(message.method, message.params);
        if (invalid !== undefined && Message.isRequest(message)) return next({ ...message, method: INVALID_PARAMS, params: { method: message.method, why: invalid } } as Message);
        if (invalid !== undefined) return warn(`${message.method} ignored: ${invalid}`);
      }
      const uri = documentUri(message);
      if (uri === undefined || uri.startsWith('file:')) return next(message);
      if (Message.isRequest(message)) return next({ ...message, method: NOT_A_FILE, params: { method: message.method } } as Message);
      if (Message.isNotification(message)) return;
      return next(message);
    },
  };
}

/** The document a `textDocument/…` message is about. */
function documentUri(message: Message): string | undefined {
  if (!Message.isRequest(message) && !Message.isNotification(message)) return undefined;
  const params = message.params as { textDocument?: { uri?: unknown }; uri?: unknown } | undefined;
  // Headroom's own requests about one document name it `uri`.
  const uri = message.method.startsWith('textDocument/') ? params?.textDocument?.uri : message.method.startsWith('headroom/') ? params?.uri : undefined;
  return typeof uri === 'string' ? uri : undefined;
}

/** Register the answers to the requests the gate renamed. */
export function answerGated(connection: { onRequest(method: string, handler: (params: { method: string; why?: string }) => unknown): unknown }): void {
  connection.onRequest(TOO_EARLY, ({ method }) => new ResponseError(ErrorCodes.ServerNotInitialized, `${method}: the server is not initialized: send initialize first`));
  connection.onRequest(AFTER_SHUTDOWN, ({ method }) => new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server is shut down: only exit is taken now`));
  connection.onRequest(INVALID_PARAMS, ({ method, why }: { method: string; why?: string }) => new ResponseError(ErrorCodes.InvalidParams, `${method}: ${why}`));
  // Nothing to say about a document that is not a file: no hover, no actions, no diagnostics.
  connection.onRequest(NOT_A_FILE, ({ method }) => (method === 'textDocument/diagnostic' ? { kind: 'full', items: [] } : null));
}
