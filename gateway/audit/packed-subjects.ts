import type { Subject } from './audit-record';

/**
 * A record's subjects as its row stores them: a third of their JSON, so
 * that several records share a database page instead of each filling one
 * (42 residents are 2.2 KB of JSON, 0.7 KB packed). The record is still
 * hashed in its JSON form; this is only how the row keeps it.
 *
 * Format 1: the byte 1, then each run of subjects of one type, in the
 * list's order: the type (varint length, UTF-8), the run's length (varint),
 * and each id either as 0 and the 16 bytes of a lowercase UUID, or as its
 * UTF-8 length + 1 (varint) and its bytes. A list with text UTF-8 cannot
 * carry unchanged (a lone surrogate) is not packed: the row keeps its JSON.
 */
export const PACKED_FORMAT = 1;
const UUID_TAG = 0;
const UUID_BYTES = 16;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Where a UUID's hex digits start, pair by pair. */
const UUID_PAIRS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

function varintLength(value: number): number {
  let length = 1;
  for (; value >= 0x80; value = Math.floor(value / 0x80)) length += 1;
  return length;
}

function writeVarint(buffer: Buffer, offset: number, value: number): number {
  for (; value >= 0x80; value = Math.floor(value / 0x80)) buffer[offset++] = (value % 0x80) | 0x80;
  buffer[offset] = value;
  return offset + 1;
}

function hexDigit(code: number): number {
  return code <= 0x39 ? code - 0x30 : code - 0x57;
}

/** Bytes a piece of text takes as UTF-8, or -1 if UTF-8 cannot carry it unchanged. */
function utf8Length(text: string): number {
  return text.isWellFormed() ? Buffer.byteLength(text, 'utf8') : -1;
}

/** The packed form of a subject list, or null if it holds text UTF-8 cannot carry (the row then keeps its JSON). */
export function packSubjects(subjects: readonly Subject[]): Buffer | null {
  let size = 1;
  for (let i = 0; i < subjects.length; i += 1) {
    const { type, id } = subjects[i]!;
    if (i === 0 || subjects[i - 1]!.type !== type) {
      const typeLength = utf8Length(type);
      if (typeLength < 0) return null;
      let run = 1;
      while (i + run < subjects.length && subjects[i + run]!.type === type) run += 1;
      size += varintLength(typeLength) + typeLength + varintLength(run);
    }
    if (UUID.test(id)) size += 1 + UUID_BYTES;
    else {
      const idLength = utf8Length(id);
      if (idLength < 0) return null;
      size += varintLength(idLength + 1) + idLength;
    }
  }
  const packed = Buffer.allocUnsafe(size);
  let offset = writeVarint(packed, 0, PACKED_FORMAT);
  for (let i = 0; i < subjects.length; ) {
    const type = subjects[i]!.type;
    let run = 1;
    while (i + run < subjects.length && subjects[i + run]!.type === type) run += 1;
    offset = writeVarint(packed, offset, Buffer.byteLength(type, 'utf8'));
    offset += packed.write(type, offset, 'utf8');
    offset = writeVarint(packed, offset, run);
    for (const end = i + run; i < end; i += 1) {
      const id = subjects[i]!.id;
      if (UUID.test(id)) {
        packed[offset++] = UUID_TAG;
        for (const at of UUID_PAIRS) packed[offset++] = (hexDigit(id.charCodeAt(at)) << 4) | hexDigit(id.charCodeAt(at + 1));
      } else {
        offset = writeVarint(packed, offset, Buffer.byteLength(id, 'utf8') + 1);
        offset += packed.write(id, offset, 'utf8');
      }
    }
  }
  return packed;
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
