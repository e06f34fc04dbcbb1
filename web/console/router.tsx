/**
 * The console's routes, on the History API: the gateway answers every path
 * under /console with the one page, and the page shows what the path names.
 * Small enough not to need a routing library.
 */
import { useSyncExternalStore, type MouseEvent, type ReactNode } from 'react';

export const BASE = '/console';
const CHANGE = 'govgraph:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export interface Location {
  /** The path below /console, without its leading slash, split: `requests/SR-1` → ['requests', 'SR-1']. */
  segments: string[];
  query: URLSearchParams;
}

export function useLocation(): Location {
  const current = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(current, window.location.origin);
  const rest = url.pathname.startsWith(BASE) ? url.pathname.slice(BASE.length) : url.pathname;
  return { segments: rest.split('/').filter(Boolean).map(decodeURIComponent), query: url.searchParams };
}

/** Goes to a path below /console (`requests/SR-1?x=y`). */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const url = `${BASE}/${to.replace(/^\//, '')}`;
  if (url === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

export function href(to: string): string {
  return `${BASE}/${to.replace(/^\//, '')}`;
}

/** A link within the console: a real <a> (it opens in a new tab too), followed without reloading. */
export function Link({ to, children }: { to: string; children: ReactNode }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    event.stopPropagation();
    navigate(to);
  };
  return (
    <a href={href(to)} onClick={follow}>
      {children}
    </a>
  );
}
