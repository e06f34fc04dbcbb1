import { createLogger } from '../../../../common/logger';
import type { AuditWriter } from '../../../../gateway/audit/audit-writer';
import { SUBJECT_BUCKET_SIZE, subjectKeyer } from '../../../../gateway/audit/subject-key';
import { SubjectIndexer } from '../../../../gateway/audit/subject-indexer';
import { offsetsIn, postingGroup, type Posting } from '../../../../gateway/audit/subject-postings';
import { waitFor } from '../../../helpers/wait-for';

const keyOf = subjectKeyer(Buffer.alloc(32, 3));
const TARGET = { type: 'Resident', id: 'target' };
/** Record `seq` names 20 residents of its own, and the target when `seq` is a multiple of 1000. */
const record = (seq: number) => ({
  seq,
  subjects: [...Array.from({ length: 20 }, (_, i) => ({ type: 'Resident', id: `r${seq}-${i}` })), ...(seq % 1000 === 0 ? [TARGET] : [])],
});
const records = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => record(from + i));

/** An index writer that keeps what it was given, and can be told to fail. */
function recordingWriter() {
  const postings = new Map<number, Posting[]>();
  const closed: [number, number][] = [];
  const transactions: number[] = [];
  const state = { failures: 0 };
  const writer: AuditWriter = {
    append: async () => [],
    writePostings: async (bucket, lists) => {
      if (state.failures > 0) {
        state.failures -= 1;
        throw new Error('disk full');
      }
      transactions.push(lists.length);
      postings.set(bucket, [...(postings.get(bucket) ?? []), ...lists]);
    },
    closeBucket: async (bucket, entries) => {
      closed.push([bucket, entries]);
    },
  };
  /** The records a bucket's written lists file under a subject. */
  const seqsOf = (bucket: number, subject: typeof TARGET) => {
    const key = keyOf(subject);
    const list = postings.get(bucket)?.find((posting) => posting.group === postingGroup(key));
    return list ? offsetsIn(list.entries, key).map((offset) => bucket * SUBJECT_BUCKET_SIZE + offset) : [];
  };
  return { writer, postings, closed, transactions, state, seqsOf };
}

describe('the subject indexer', () => {
  const logger = createLogger('test', 'silent');

  it('finds a record in memory as soon as it is added, and writes a full bucket once, as sorted posting lists, in short transactions', async () => {
    const { writer, closed, transactions, seqsOf } = recordingWriter();
    const indexer = new SubjectIndexer(writer, keyOf, logger);
    indexer.add(records(1, 3000));
    expect(indexer.findInMemory(keyOf(TARGET))).toEqual([3000, 2000, 1000]);
    expect(transactions).toEqual([]);

    let between = -1;
    // Record 4096 opens bucket 1: bucket 0 is full and goes to the database, in the background.
    indexer.add(records(3001, SUBJECT_BUCKET_SIZE + 10));
    setImmediate(() => (between = transactions.length));
    await indexer.flush();
    expect(between).toBeGreaterThan(0);
    expect(between).toBeLessThan(transactions.length);
    expect(closed).toEqual([[0, (SUBJECT_BUCKET_SIZE - 1) * 20 + 4]]);
    expect(seqsOf(0, TARGET)).toEqual([1000, 2000, 3000, 4000]);
    expect(seqsOf(0, { type: 'Resident', id: 'r4095-19' })).toEqual([4095]);
    expect(seqsOf(0, { type: 'Resident', id: 'r4096-0' })).toEqual([]);
    // Written buckets leave memory; the open one stays.
    expect(indexer.firstInMemory).toBe(1);
    expect(indexer.findInMemory(keyOf({ type: 'Resident', id: 'r4096-0' }))).toEqual([SUBJECT_BUCKET_SIZE]);
    expect(indexer.findInMemory(keyOf(TARGET))).toEqual([]);
  });

  it('names a subject once per record, however often the record names it', async () => {
    const { writer, seqsOf } = recordingWriter();
    const indexer = new SubjectIndexer(writer, keyOf, logger);
    indexer.add([
      { seq: 7, subjects: [TARGET, TARGET, { type: 'Resident', id: 'x' }] },
      { seq: SUBJECT_BUCKET_SIZE, subjects: [TARGET, TARGET] },
    ]);
    expect(indexer.findInMemory(keyOf(TARGET))).toEqual([SUBJECT_BUCKET_SIZE, 7]);
    await indexer.flush();
    expect(seqsOf(0, TARGET)).toEqual([7]);
  });

  it('keeps a bucket it could not write in memory, where lookups still find it, and writes it later without repeating a list', async () => {
    const { writer, postings, closed, state, seqsOf } = recordingWriter();
    const indexer = new SubjectIndexer(writer, keyOf, logger, undefined, 20);
    // The write that the full bucket starts fails, and so does the one flush() tries again.
    state.failures = 2;
    indexer.add(records(1, SUBJECT_BUCKET_SIZE));
    await indexer.flush();
    expect(closed).toEqual([]);
    expect(indexer.firstInMemory).toBe(0);
    expect(indexer.findInMemory(keyOf(TARGET))).toEqual([4000, 3000, 2000, 1000]);
    // Retried on its own, 20 ms later; writing the bucket then takes tens of milliseconds more, and
    // longer on a busy machine, so wait for it rather than for a fixed time.
    await waitFor(() => closed.length > 0, { what: 'the retried bucket to be written' });
    expect(closed.map(([bucket]) => bucket)).toEqual([0]);
    expect(indexer.firstInMemory).toBe(1);
    const groups = postings.get(0)!.map((posting) => posting.group);
    expect(new Set(groups).size).toBe(groups.length);
    expect(seqsOf(0, TARGET)).toEqual([1000, 2000, 3000, 4000]);
  });
});
