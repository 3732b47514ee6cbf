import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * One loopback HTTP server standing in for the other gateways: `/<gateway>/fastd_status.json`
 * answers with the body given for it; `silent` gateways never answer.
 */
export async function startStatusServers(
  bodies: Record<string, string | 'silent'>,
): Promise<{ urlTemplate: string; close: () => Promise<void> }> {
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const gateway = req.url?.split('/')[1] ?? '';
    const body = bodies[gateway];
    if (body === 'silent') {
      hanging.add(res);
      return;
    }
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    urlTemplate: `http://127.0.0.1:${port}/{gateway}/fastd_status.json`,
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
