import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a broken proxy in front of a subgraph answers instead of passing the request on. */
/** An answer in place of the subgraph's, or none at all: the request is held open, as by a process that hangs. */
export type ProxyFault = { status: number; contentType: string; body: string } | { hang: true };

export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  /** Answers with `fault` instead of forwarding, until called again without one. */
  breakWith(fault: ProxyFault | undefined): void;
  /** Connections the gateway has opened to it so far, how many are open now, and the most open at once. */
  connections(): { opened: number; open: number; peak: number };
  close(): Promise<void>;
}

/**
 * A pass-through between the gateway and one subgraph that keeps a copy of
 * every request, so tests can show what a subgraph was actually sent.
 * It changes nothing (bytes in, the same bytes out) unless a test makes it
 * answer as a failing proxy would.
 */
export async function startRecorder(target: string, options: { keepAliveMs?: number } = {}): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const destination = new URL(target);
  let fault: ProxyFault | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ headers: req.headers, body: body.toString('utf8') });
      if (fault && 'hang' in fault) return;
      if (fault) {
        res.writeHead(fault.status, { 'content-type': fault.contentType }).end(fault.body);
        return;
      }
      const forward = httpRequest(
        { host: destination.hostname, port: destination.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          // Hop-by-hop headers are the recorder's own, as for any proxy: its keep-alive, not the subgraph's.
          const { connection: _connection, 'keep-alive': _keepAlive, ...headers } = answer.headers;
          res.writeHead(answer.statusCode ?? 502, headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  // As the real services do: idle sockets outlive the gateway client's, so a reused one is never reset under it.
  server.keepAliveTimeout = options.keepAliveMs ?? 65_000;
  let [opened, open, peak] = [0, 0, 0];
  server.on('connection', (socket) => {
    [opened, open] = [opened + 1, open + 1];
    peak = Math.max(peak, open);
    socket.on('close', () => (open -= 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${destination.pathname}`,
    requests,
    connections: () => ({ opened, open, peak }),
    breakWith: (next) => {
      fault = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
