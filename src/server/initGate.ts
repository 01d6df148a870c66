/**
 * What the server does with a message that arrives before `initialize` (LSP 3.17, "Server
 * lifecycle"): a request is answered with error -32002 (ServerNotInitialized), a notification is
 * dropped, except `exit`. Responses to the server's own requests pass.
 */
import { ErrorCodes, Message, ResponseError, type MessageStrategy } from 'vscode-languageserver/node';

/** The method a request sent too early is renamed to: its handler answers with the error. */
const TOO_EARLY = '$/headroom/beforeInitialize';

export function initializeGate(initialized: () => boolean): MessageStrategy {
  return {
    handleMessage(message, next) {
      if (initialized()) return next(message);
      if (Message.isRequest(message)) {
        return next(message.method === 'initialize' ? message : { ...message, method: TOO_EARLY, params: { method: message.method } } as Message);
      }
      if (Message.isNotification(message) && message.method !== 'exit') return;
      return next(message);
    },
  };
}

/** Register the answer to a request sent before `initialize`. */
export function answerTooEarly(connection: { onRequest(method: string, handler: (params: { method: string }) => ResponseError<void>): unknown }): void {
  connection.onRequest(TOO_EARLY, ({ method }) => new ResponseError(ErrorCodes.ServerNotInitialized, `${method}: the server is not initialized: send initialize first`));
}
