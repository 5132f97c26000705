/**
 * A request listener for `node:http` and `node:http2` servers that serves connect routes,
 * on the test server's own universal bridge: the tests' small servers speak Connect, gRPC
 * and gRPC-Web exactly as the test server does.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Http2ServerRequest, Http2ServerResponse } from "node:http2";
import { type ConnectRouter, createConnectRouter, createContextValues } from "@connectrpc/connect";
import { universalRequest, writeResponse } from "../../src/testing/node-universal.js";

type Listener = (
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
) => void;

/** Serves `routes`; unknown paths get 404. */
export function nodeAdapter(options: { routes: (router: ConnectRouter) => void }): Listener {
  const router = createConnectRouter();
  options.routes(router);
  const paths = new Map(router.handlers.map((h) => [h.requestPath, h]));
  return (req, res) => {
    const handler = paths.get((req.url ?? "").split("?", 2)[0] ?? "");
    if (handler === undefined) {
      res.writeHead(404);
      res.end();
      return;
    }
    handler(universalRequest(req, res, createContextValues()))
      .then((uRes) => writeResponse(uRes, res))
      .catch(() => {
        // The client went away mid-response.
      });
  };
}
