import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildPages } from './browser';

/**
 * The console's first load, as the gateway serves it to a browser that
 * takes Brotli: its HTML, and the scripts, module preloads and stylesheets
 * the HTML names, with every module they import statically (a page the
 * console loads later, with import(), is not part of it). Each file counts
 * as its .br when the build made one (files under a kilobyte are sent as
 * they are).
 */
const WEB = path.join(__dirname, '..', '..', 'dist', 'web');
const BUDGET = 1_000_000;

/** The size of `file` as served with `Accept-Encoding: br`. */
const served = (file: string) => statSync(existsSync(`${file}.br`) ? `${file}.br` : file).size;

/** The assets the HTML loads before the first page renders: <script src>, <link rel=modulepreload|stylesheet href>. */
function assetsNamed(html: string): string[] {
  const names: string[] = [];
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const rel = /\brel="([^"]+)"/.exec(tag)?.[1];
    const url = /\b(?:src|href)="(\/assets\/[^"]+)"/.exec(tag)?.[1];
    if (url && (tag.startsWith('<script') || rel === 'modulepreload' || rel === 'stylesheet')) names.push(url.slice('/assets/'.length));
  }
  return names;
}

/** Modules a built script imports statically (`import … from "./x.js"`, `import "./x.js"`); import("./x.js") is not one. */
function staticImports(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([\w.-]+\.(?:js|css))["']/g)].map((match) => match[1]!);
}

describe('the console’s first load', () => {
  beforeAll(() => buildPages(), 120_000);

  it('stays under 1 MB compressed (Brotli, as served)', () => {
    const htmlFile = path.join(WEB, 'console', 'index.html');
    const seen = new Set<string>();
    const queue = assetsNamed(readFileSync(htmlFile, 'utf8'));
    while (queue.length > 0) {
      const name = queue.shift()!;
      if (seen.has(name)) continue;
      seen.add(name);
      if (name.endsWith('.js')) queue.push(...staticImports(readFileSync(path.join(WEB, 'assets', name), 'utf8')));
    }
    const files = [htmlFile, ...[...seen].map((name) => path.join(WEB, 'assets', name))];
    const sizes = files.map((file) => ({ file: path.relative(WEB, file), bytes: served(file) }));
    const total = sizes.reduce((sum, { bytes }) => sum + bytes, 0);
    process.stdout.write(
      `console first load: ${total} bytes (Brotli) in ${files.length} files\n${sizes.map((s) => `  ${s.bytes}\t${s.file}`).join('\n')}\n`,
    );
    // The entry and React at least; the pages themselves load later.
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect([...seen].some((name) => /^(Catalog|Requests|Grants|Audit|AccessHistory|Chain)-/.test(name))).toBe(false);
    expect(total).toBeLessThan(BUDGET);
  });
});
