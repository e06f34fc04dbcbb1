import type { ChildProcess } from 'node:child_process';

/** What a benchmark service reports about itself when asked. */
export interface ServiceStats {
  /** SQL statements sent since start (subgraphs only). */
  statements?: number;
}

interface StatsRequest {
  type: 'stats';
  id: number;
}

interface StatsReply extends ServiceStats {
  type: 'stats';
  id: number;
}

/** In a forked service: answer the benchmark's stats requests. */
export function onStatsRequest(read: () => ServiceStats): void {
  process.on('message', (message: StatsRequest) => {
    if (message?.type === 'stats') process.send?.({ ...read(), type: 'stats', id: message.id } satisfies StatsReply);
  });
}

let nextId = 1;

/** In the benchmark: ask a forked service for its stats. */
export function requestStats(child: ChildProcess, timeoutMs = 5_000): Promise<ServiceStats> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', listen);
      reject(new Error('a benchmark service did not report its stats'));
    }, timeoutMs);
    const listen = (message: StatsReply) => {
      if (message?.type !== 'stats' || message.id !== id) return;
      clearTimeout(timer);
      child.off('message', listen);
      resolve(message);
    };
    child.on('message', listen);
    child.send({ type: 'stats', id } satisfies StatsRequest);
  });
}
