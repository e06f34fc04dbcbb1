import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  headers: IncomingHttpHeaders;
  body: string;
}

/** What a broken proxy in front of a subgraph answers instead of passing the request on. */
export interface ProxyFault {
  status: number;
  contentType: string;
  body: string;
}

export interface Recorder {
  url: string;
  requests: RecordedRequest[];
  /** Answers with `fault` instead of forwarding, until called again without one. */
  breakWith(fault: ProxyFault | undefined): void;
  close(): Promise<void>;
}

/**
 * A pass-through between the gateway and one subgraph that keeps a copy of
 * every request, so tests can show what a subgraph was actually sent.
 * It changes nothing (bytes in, the same bytes out) unless a test makes it
 * answer as a failing proxy would.
 */
export async function startRecorder(target: string): Promise<Recorder> {
  const requests: RecordedRequest[] = [];
  const destination = new URL(target);
  let fault: ProxyFault | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      requests.push({ headers: req.headers, body: body.toString('utf8') });
      if (fault) {
        res.writeHead(fault.status, { 'content-type': fault.contentType }).end(fault.body);
        return;
      }
      const forward = httpRequest(
        { host: destination.hostname, port: destination.port, path: req.url, method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.writeHead(502).end());
      forward.end(body);
    });
  });
  // As the real services do: idle sockets outlive the gateway client's, so a reused one is never reset under it.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${destination.pathname}`,
    requests,
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
