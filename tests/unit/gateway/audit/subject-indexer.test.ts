import { createLogger } from '../../../../common/logger';
import type { AuditRecord } from '../../../../gateway/audit/audit-record';
import type { AuditWriter, IndexEntry } from '../../../../gateway/audit/audit-writer';
import { SubjectIndexer } from '../../../../gateway/audit/subject-indexer';

const record = (seq: number, subjects: number) => ({ seq, subjects: Array.from({ length: subjects }, (_, i) => ({ type: 'Resident', id: `r${seq}-${i}` })) }) as AuditRecord;

/** An index writer that keeps what it was given, and can be told to fail once. */
function recordingWriter() {
  const calls: number[][] = [];
  let failNext = false;
  const writer: AuditWriter = {
    write: async () => undefined,
    index: async (entries: IndexEntry[]) => {
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      calls.push(entries.map((entry) => entry.seq));
    },
  };
  return { writer, calls, failOnce: () => (failNext = true) };
}

describe('the subject indexer', () => {
  const logger = createLogger('test', 'silent');

  it('writes a large batch in short transactions of whole records, in sequence order, letting other work run in between', async () => {
    const { writer, calls } = recordingWriter();
    const indexer = new SubjectIndexer(writer, logger, 60_000);
    indexer.add(Array.from({ length: 30 }, (_, i) => record(i + 1, 100)));
    const between: number[] = [];
    const flushing = indexer.flush();
    // Work that arrives while the index is written gets a turn before the last transaction.
    setImmediate(() => between.push(calls.length));
    await flushing;
    expect(calls.length).toBeGreaterThan(2);
    expect(calls.flat()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    for (const call of calls) expect(call.length * 100).toBeLessThanOrEqual(1000);
    expect(between[0]).toBeLessThan(calls.length);
  });

  it('keeps what it could not write, ahead of anything newer, and writes it next time without repeating what went in', async () => {
    const { writer, calls, failOnce } = recordingWriter();
    const indexer = new SubjectIndexer(writer, logger, 60_000);
    indexer.add(Array.from({ length: 20 }, (_, i) => record(i + 1, 100)));
    await indexer.flush();
    calls.length = 0;
    indexer.add(Array.from({ length: 20 }, (_, i) => record(i + 21, 100)));
    // The first transaction goes in, the second fails.
    const original = writer.index.bind(writer);
    let transactions = 0;
    writer.index = async (entries) => {
      transactions += 1;
      if (transactions === 2) failOnce();
      return original(entries);
    };
    await indexer.flush();
    const written = calls.flat();
    indexer.add([record(41, 3)]);
    await indexer.flush();
    expect(calls.flat()).toEqual([...written, ...Array.from({ length: 20 - written.length }, (_, i) => 21 + written.length + i), 41]);
    expect(written.length).toBeGreaterThan(0);
  });
});
