/**
 * Free loopback ports for servers a test does not start itself (nginx), or for an endpoint
 * that must refuse connections. A port found free can be taken before it is used; callers
 * that bind it retry on "Address already in use".
 */

import * as net from "node:net";

/** Free loopback ports, each found by binding port 0; all held until every one is found. */
export async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, "127.0.0.1", resolve);
      });
    }
    return servers.map((s) => (s.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** One free loopback port; nothing listens on it once this resolves. */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}
