import { computeCheckCharacter } from '../../subgraphs/civil-affairs/domain/id-number';
import { querySql } from './department-sql';
import type { Stack } from './stack';

/**
 * Canaries for the no-leak property: recognisable values planted in every
 * non-public text field of a stack's databases, so that a raw value found
 * anywhere in a response can be traced to its field.
 *
 * A field with a masker holds values that masker accepts (a valid 18-digit ID
 * number with its GB 11643 check character, an 11-digit mobile number, a
 * Chinese name, an address with its village part), so that a masked answer
 * shows the masked form, not null: masking itself is under test. Free-text
 * fields hold a marker naming the field followed by the row's id.
 */
export interface Canaries {
  /** Per coordinate, the exact raw values planted (fields with a masker, and Resident.birthDate, left as seeded). */
  values: ReadonlyMap<string, ReadonlySet<string>>;
  /** Per free-text coordinate, the marker every planted value starts with. */
  markers: ReadonlyMap<string, string>;
}

/** Characters no generated name or text uses, so a planted name cannot occur by chance. */
const RARE = '璟赟犇淼焱垚鑫骉燚芃';
/** A compound surname among them, to test the name masker's longest-prefix rule. */
const SURNAMES = ['欧阳', '诸葛', '寇'];
/** Not the seeded county's code, so a planted ID number never collides with a seeded one (the column is unique). */
const ID_AREA = '610929';

/** Free-text fields: coordinate, marker, and where the subgraph keeps it. */
const MARKED_FIELDS: readonly [coordinate: string, marker: string, subgraph: string, table: string, column: string][] = [
  ['Petition.subject', 'CNYSUBJ', 'petitions', 'petition', 'subject'],
  ['Petition.content', 'CNYCONTENT', 'petitions', 'petition', 'content'],
  ['Petition.response', 'CNYRESPONSE', 'petitions', 'petition', 'response'],
  ['PetitionStep.note', 'CNYSTEPNOTE', 'petitions', 'petition_step', 'note'],
  ['Visit.notes', 'CNYVNOTES', 'grid', 'visit', 'notes'],
  ['Incident.description', 'CNYDESC', 'grid', 'incident', 'description'],
  ['Incident.resolution', 'CNYRESOL', 'grid', 'incident', 'resolution'],
  ['Employment.employerName', 'CNYEMPLOYER', 'social-security', 'employment', 'employer_name'],
];

function composeIdNumber(birthDate: string, sequence: number): string {
  const first17 = `${ID_AREA}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return `${first17}${computeCheckCharacter(first17)}`;
}

function composeResident(index: number, birthDate: string, male: boolean) {
  const given = `${RARE[index % RARE.length]!}${RARE[Math.floor(index / RARE.length) % RARE.length]!}`;
  return {
    name: `${SURNAMES[index % SURNAMES.length]!}${given}`,
    // The sequence's last digit is odd for men, even for women, as the number's rules require.
    idNumber: composeIdNumber(birthDate, 2 * index + (male ? 1 : 0)),
    phone: `199${String(index).padStart(8, '0')}`,
    address: `陕西省安康市汉阴县涧池镇璟赟村三组${index + 1}号`,
  };
}

/** Overwrites the stack's non-public text with canaries; returns what was planted. */
export async function plantCanaries(stack: Stack): Promise<Canaries> {
  const values = new Map<string, Set<string>>();
  const add = (coordinate: string, value: string) => values.set(coordinate, (values.get(coordinate) ?? new Set()).add(value));
  const civil = stack.dataSource('civil-affairs');
  for (const [index, resident] of stack.county.residents.entries()) {
    const planted = composeResident(index, resident.birthDate, resident.gender === 'MALE');
    await civil.query('UPDATE resident SET name = ?, id_number = ?, phone = ?, address = ? WHERE id = ?', [
      planted.name,
      planted.idNumber,
      planted.phone,
      planted.address,
      resident.id,
    ]);
    add('Resident.name', planted.name);
    add('Resident.idNumber', planted.idNumber);
    add('Resident.phone', planted.phone);
    add('Resident.address', planted.address);
    add('Resident.birthDate', resident.birthDate);
  }
  for (const [index, household] of stack.county.households.entries()) {
    const address = `陕西省安康市汉阴县涧池镇骉垚社区${index + 1}栋1号`;
    await civil.query('UPDATE household SET address = ? WHERE id = ?', [address, household.id]);
    add('Household.address', address);
  }
  const markers = new Map<string, string>();
  for (const [coordinate, marker, subgraph, table, column] of MARKED_FIELDS) {
    await querySql(stack.database(subgraph), `UPDATE ${table} SET ${column} = '${marker}' || id`);
    markers.set(coordinate, marker);
  }
  return { values, markers };
}
