import type { Subject } from './audit-record';

/**
 * A record's subjects as its row stores them: a UUID in 17 bytes instead of
 * the 40 of its JSON, so that several records share a database page instead
 * of each filling one. The record is still hashed in its JSON form; this is
 * only how the row keeps it.
 *
 * Format 1: the byte 1, then each run of subjects of one type, in the
 * list's order: the type (varint length, UTF-8), the run's length (varint),
 * and each id either as 0 and the 16 bytes of a lowercase UUID, or as its
 * UTF-8 length + 1 (varint) and its bytes. A list with text UTF-8 cannot
 * carry unchanged (a lone surrogate) is not packed: the row keeps its JSON.
 */

/** The first byte of every packed list: the only format there is. */
const PACKED_FORMAT = 1;
const UUID_TAG = 0;
const UUID_BYTES = 16;
/** Where a UUID's hex digits start, pair by pair, and where its dashes are. */
const UUID_PAIRS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const UUID_DASHES = [8, 13, 18, 23];
/** The value of a lowercase hex digit by character code; 16 for any other character. */
const HEX = new Uint8Array(128).fill(16);
for (let digit = 0; digit < 16; digit += 1) HEX[digit.toString(16).charCodeAt(0)] = digit;

function writeVarint(buffer: Buffer, offset: number, value: number): number {
  for (; value >= 0x80; value = Math.floor(value / 0x80)) buffer[offset++] = value % 0x80 | 0x80;
  buffer[offset] = value;
  return offset + 1;
}

/** Writes a lowercase UUID's 16 bytes at offset; false (the bytes then mean nothing) if the id is not one. */
function writeUuid(id: string, buffer: Buffer, offset: number): boolean {
  if (id.length !== 36) return false;
  for (const at of UUID_DASHES) if (id.charCodeAt(at) !== 0x2d) return false;
  for (const at of UUID_PAIRS) {
    const high = HEX[id.charCodeAt(at)] ?? 16;
    const low = HEX[id.charCodeAt(at + 1)] ?? 16;
    if ((high | low) & 16) return false;
    buffer[offset++] = (high << 4) | low;
  }
  return true;
}

/** Bytes a piece of text takes as UTF-8, or -1 if UTF-8 cannot carry it unchanged. */
function utf8Length(text: string): number {
  return text.isWellFormed() ? Buffer.byteLength(text, 'utf8') : -1;
}

/** Room to pack into, reused: a list is packed in one pass, then copied out. */
let scratch = Buffer.allocUnsafe(4096);

function room(offset: number, more: number): void {
  if (offset + more <= scratch.length) return;
  const larger = Buffer.allocUnsafe(Math.max(scratch.length * 2, offset + more));
  scratch.copy(larger, 0, 0, offset);
  scratch = larger;
}

/** The packed form of a subject list, or null if it holds text UTF-8 cannot carry (the row then keeps its JSON). */
export function packSubjects(subjects: readonly Subject[]): Buffer | null {
  let offset = writeVarint(scratch, 0, PACKED_FORMAT);
  for (let i = 0; i < subjects.length; ) {
    const type = subjects[i]!.type;
    let run = 1;
    while (i + run < subjects.length && subjects[i + run]!.type === type) run += 1;
    const typeLength = utf8Length(type);
    if (typeLength < 0) return null;
    room(offset, 20 + typeLength);
    offset = writeVarint(scratch, offset, typeLength);
    offset += scratch.write(type, offset, 'utf8');
    offset = writeVarint(scratch, offset, run);
    for (const end = i + run; i < end; i += 1) {
      const id = subjects[i]!.id;
      room(offset, 1 + UUID_BYTES);
      if (writeUuid(id, scratch, offset + 1)) {
        scratch[offset] = UUID_TAG;
        offset += 1 + UUID_BYTES;
        continue;
      }
      const idLength = utf8Length(id);
      if (idLength < 0) return null;
      room(offset, 10 + idLength);
      offset = writeVarint(scratch, offset, idLength + 1);
      offset += scratch.write(id, offset, 'utf8');
    }
  }
  return Buffer.from(scratch.subarray(0, offset));
}

export class PackedSubjectsError extends Error {
  constructor(detail: string) {
    super(`packed audit subjects are malformed: ${detail}`);
  }
}

/** The subject list a packed form holds, in its order; throws PackedSubjectsError on anything but a whole, well-formed list. */
export function unpackSubjects(packed: Uint8Array): Subject[] {
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.byteLength);
  let offset = 0;
  const varint = (): number => {
    let value = 0;
    for (let scale = 1; ; scale *= 0x80) {
      if (offset >= bytes.length || scale > 2 ** 35) throw new PackedSubjectsError('a length runs past the end');
      const byte = bytes[offset++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  };
  const text = (length: number): string => {
    if (offset + length > bytes.length) throw new PackedSubjectsError('a text runs past the end');
    offset += length;
    return bytes.toString('utf8', offset - length, offset);
  };
  const format = varint();
  if (format !== PACKED_FORMAT) throw new PackedSubjectsError(`format ${format} is not known`);
  const subjects: Subject[] = [];
  while (offset < bytes.length) {
    const type = text(varint());
    const run = varint();
    if (run === 0) throw new PackedSubjectsError('a run of no subjects');
    for (let n = 0; n < run; n += 1) {
      const tag = varint();
      if (tag !== UUID_TAG) subjects.push({ type, id: text(tag - 1) });
      else {
        if (offset + UUID_BYTES > bytes.length) throw new PackedSubjectsError('a UUID runs past the end');
        const hex = bytes.toString('hex', offset, (offset += UUID_BYTES));
        subjects.push({ type, id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` });
      }
    }
  }
  return subjects;
}
