/**
 * The pages a browser loads from the gateway: the IDE at GET /graphql, the
 * stewards' console at /console, and their assets, all from the project's
 * own build (dist/web). Hashed assets are cached for a year; pages are
 * revalidated on every load. Files are sent precompressed (Brotli or gzip,
 * made at build time) when the browser takes it. Every page carries a
 * Content-Security-Policy that lets it load and call nothing but this
 * origin.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};

/**
 * Scripts and styles from this origin only (Ant Design and GraphiQL set
 * inline style attributes, hence 'unsafe-inline' for styles alone), calls
 * to this origin only, no frames, no forms elsewhere.
 */
export const PAGE_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

const ASSET_NAME = /^[\w.-]+$/;

export interface WebPages {
  /** Serves the IDE's page. */
  ide(req: IncomingMessage, res: ServerResponse): void;
  /** Serves /console, /console/* and /assets/*; false for any other path. */
  serve(req: IncomingMessage, res: ServerResponse, pathname: string): boolean;
}

function encodingFor(req: IncomingMessage, file: string): { file: string; encoding?: string } {
  const accepted = String(req.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted) && existsSync(`${file}.br`)) return { file: `${file}.br`, encoding: 'br' };
  if (/\bgzip\b/.test(accepted) && existsSync(`${file}.gz`)) return { file: `${file}.gz`, encoding: 'gzip' };
  return { file };
}

function send(req: IncomingMessage, res: ServerResponse, file: string, cacheControl: string, page: boolean): void {
  const chosen = encodingFor(req, file);
  let size: number;
  try {
    size = statSync(chosen.file).size;
  } catch {
    // The build is being replaced under us (a rebuild empties dist/web first).
    return notBuilt(res);
  }
  const headers: Record<string, string | number> = {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    vary: 'Accept-Encoding',
  };
  if (chosen.encoding) headers['content-encoding'] = chosen.encoding;
  if (page) {
    headers['content-security-policy'] = PAGE_POLICY;
    headers['referrer-policy'] = 'no-referrer';
    headers['x-frame-options'] = 'DENY';
  }
  res.writeHead(200, headers);
  if (req.method === 'HEAD') res.end();
  else
    createReadStream(chosen.file)
      .on('error', () => res.destroy())
      .pipe(res);
}

function notBuilt(res: ServerResponse): void {
  const text = 'The web pages are not built: run `npm run build` (npm start builds them).';
  res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** The pages of the build in `root` (dist/web); a missing build is answered 503, naming the command that makes it. */
export function webPages(root: string): WebPages {
  const page = (name: string) => path.join(root, name, 'index.html');
  const built = () => existsSync(page('ide')) && existsSync(page('console'));
  return {
    ide(req, res) {
      if (!built()) return notBuilt(res);
      send(req, res, page('ide'), 'no-cache', true);
    },
    serve(req, res, pathname) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      if (pathname === '/console' || pathname.startsWith('/console/')) {
        if (!built()) notBuilt(res);
        // The console routes in the browser: every path under it is its one page.
        else send(req, res, page('console'), 'no-cache', true);
        return true;
      }
      if (pathname.startsWith('/assets/')) {
        const name = pathname.slice('/assets/'.length);
        const file = path.join(root, 'assets', name);
        if (!ASSET_NAME.test(name) || !existsSync(file)) return false;
        // Every name under assets/ carries its content's hash: a changed file is a new name.
        send(req, res, file, 'public, max-age=31536000, immutable', false);
        return true;
      }
      return false;
    },
  };
}
