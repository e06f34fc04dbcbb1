import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../common/project-root';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readCatalog } from '../../../gateway/access/catalog';

const supergraph = readFileSync(path.join(projectRoot(), 'schema', 'supergraph.graphql'), 'utf8');

describe('the sharing catalog in the supergraph', () => {
  const { catalog, unclassified, coordinates } = readCatalog(supergraph);

  it('classifies every field of the graph (an unclassified field would be denied to everyone)', () => {
    expect(coordinates.length).toBeGreaterThan(100);
    expect(unclassified).toEqual([]);
  });

  it.each([
    ['Resident.id', { sharing: 'UNCONDITIONAL', owners: ['civil-affairs', 'grid', 'petitions', 'social-security'] }],
    ['Resident.gender', { sharing: 'UNCONDITIONAL', owners: ['civil-affairs'] }],
    ['Resident.name', { sharing: 'CONDITIONAL', masker: 'NAME', owners: ['civil-affairs'] }],
    ['Resident.birthDate', { sharing: 'CONDITIONAL', masker: 'YEAR' }],
    ['Resident.idNumber', { sharing: 'CONDITIONAL', masker: 'ID_NUMBER' }],
    ['Resident.phone', { sharing: 'CONDITIONAL', masker: 'PHONE' }],
    ['Resident.address', { sharing: 'CONDITIONAL', masker: 'ADDRESS' }],
    ['Resident.benefits', { sharing: 'CONDITIONAL' }],
    ['Resident.petitions', { sharing: 'CONDITIONAL', owners: ['petitions'] }],
    ['Resident.gridCell', { sharing: 'UNCONDITIONAL', owners: ['grid'] }],
    ['Resident.careLevel', { sharing: 'CONDITIONAL', owners: ['grid'] }],
    ['Resident.visits', { sharing: 'CONDITIONAL', owners: ['grid'] }],
    ['Benefit.type', { sharing: 'CONDITIONAL' }],
    ['Benefit.monthlyAmount', { sharing: 'NONE' }],
    ['Household.address', { sharing: 'CONDITIONAL' }],
    ['Petition.trackingNumber', { sharing: 'UNCONDITIONAL', owners: ['petitions'] }],
    ['Petition.subject', { sharing: 'CONDITIONAL' }],
    ['Petition.content', { sharing: 'NONE' }],
    ['Petition.petitioner', { sharing: 'NONE' }],
    ['Petition.response', { sharing: 'NONE' }],
    ['Petition.history', { sharing: 'NONE' }],
    ['Petition.gridCell', { sharing: 'UNCONDITIONAL', owners: ['grid'] }],
    ['GridCell.name', { sharing: 'UNCONDITIONAL', owners: ['grid'] }],
    ['GridWorker.phone', { sharing: 'UNCONDITIONAL' }],
    ['GridCell.timeline', { sharing: 'UNCONDITIONAL', owners: ['grid'] }],
    ['Visit.visitedAt', { sharing: 'CONDITIONAL' }],
    ['Visit.followUpNeeded', { sharing: 'CONDITIONAL' }],
    ['Visit.notes', { sharing: 'NONE' }],
    // GridEvent's fields, on each implementation as on the interface.
    ['Visit.at', { sharing: 'UNCONDITIONAL', owners: ['grid'] }],
    ['Visit.cell', { sharing: 'UNCONDITIONAL', owners: ['grid'] }],
    ['Visit.areaCode', { sharing: 'UNCONDITIONAL', owners: ['grid'] }],
    ['Incident.at', { sharing: 'UNCONDITIONAL', owners: ['grid'] }],
    ['Incident.cell', { sharing: 'UNCONDITIONAL', owners: ['grid'] }],
    ['Incident.areaCode', { sharing: 'UNCONDITIONAL', owners: ['grid'] }],
    ['Incident.description', { sharing: 'CONDITIONAL' }],
    ['Query.benefitSummary', { sharing: 'UNCONDITIONAL', owners: ['civil-affairs'] }],
    ['Query.petitionStats', { sharing: 'UNCONDITIONAL', owners: ['petitions'] }],
    ['Mutation.registerResident', { sharing: 'NONE', roles: ['officer'], owners: ['civil-affairs'] }],
    ['Mutation.recordVisit', { sharing: 'NONE', roles: ['grid_worker', 'officer'], owners: ['grid'] }],
    ['PageInfo.endCursor', { sharing: 'UNCONDITIONAL' }],
    ['Resident.employment', { sharing: 'CONDITIONAL', owners: ['social-security'] }],
    ['Resident.pensions', { sharing: 'CONDITIONAL', owners: ['social-security'] }],
    ['Resident.socialSecurityRecords', { sharing: 'CONDITIONAL', owners: ['social-security'] }],
    ['Employment.status', { sharing: 'CONDITIONAL', owners: ['social-security'] }],
    ['Employment.since', { sharing: 'CONDITIONAL' }],
    ['Employment.employerName', { sharing: 'NONE', owners: ['social-security'] }],
    ['PensionPayment.month', { sharing: 'CONDITIONAL' }],
    ['PensionPayment.scheme', { sharing: 'CONDITIONAL' }],
    ['PensionPayment.amount', { sharing: 'CONDITIONAL' }],
    // SocialSecurityRecord's fields, on each implementation as on the interface.
    ['SocialSecurityRecord.at', { sharing: 'CONDITIONAL', owners: ['social-security'] }],
    ['Employment.at', { sharing: 'CONDITIONAL' }],
    ['PensionPayment.areaCode', { sharing: 'CONDITIONAL' }],
    ['Query.socialSecuritySummary', { sharing: 'UNCONDITIONAL', owners: ['social-security'] }],
    ['SocialSecuritySummary.byStatus', { sharing: 'UNCONDITIONAL' }],
  ])('classifies %s as the sandbox catalog says', (coordinate, expected) => {
    const policy = catalog.get(coordinate);
    expect(policy).toMatchObject(expected);
    if ('owners' in expected) expect([...policy!.owners].sort()).toEqual(expected.owners);
  });

  it('lists what a field requires, as the planner will fetch it first', () => {
    expect(catalog.get('Petition.gridCell')?.requires).toEqual(['Petition.areaCode']);
  });

  it('treats a field without a classification as unclassified', () => {
    const stripped = supergraph.replace(
      'name: String @join__field(graph: CIVIL_AFFAIRS) @sharing(level: "CONDITIONAL", masker: "NAME")',
      'name: String @join__field(graph: CIVIL_AFFAIRS)',
    );
    expect(stripped).not.toBe(supergraph);
    const reading = readCatalog(stripped);
    expect(reading.unclassified).toEqual(['Resident.name']);
    expect(reading.catalog.has('Resident.name')).toBe(false);
  });

  it('classifies interface fields, and gives a field an interface object adds its owner and classification on every implementation', () => {
    const head = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject", "@composeDirective"])
      @link(url: "https://specs.govgraph.dev/sharing/v1.0", import: ["@sharing"]) @composeDirective(name: "@sharing")
      directive @sharing(level: String, masker: String, roles: [String!], reveals: [String!]) on FIELD_DEFINITION | OBJECT | INPUT_FIELD_DEFINITION`;
    const media = `${head}
      interface Media @key(fields: "id") { id: ID! @sharing(level: "UNCONDITIONAL") title: String @sharing(level: "CONDITIONAL") }
      type Book implements Media @key(fields: "id") { id: ID! @sharing(level: "UNCONDITIONAL") title: String @sharing(level: "CONDITIONAL") }
      type Query { media: [Media!]! @sharing(level: "UNCONDITIONAL") }`;
    const reviews = `${head}
      type Media @key(fields: "id") @interfaceObject { id: ID! @sharing(level: "UNCONDITIONAL") reviews: [String!] @sharing(level: "NONE") }`;
    const composed = composeServices([
      { name: 'media', url: 'http://127.0.0.1:1', typeDefs: parse(media) },
      { name: 'reviews', url: 'http://127.0.0.1:2', typeDefs: parse(reviews) },
    ]);
    expect(composed.errors).toBeUndefined();
    const reading = readCatalog(composed.supergraphSdl!);
    expect(reading.unclassified).toEqual([]);
    expect(reading.catalog.get('Media.title')).toMatchObject({ sharing: 'CONDITIONAL', owners: ['media'] });
    expect(reading.catalog.get('Media.reviews')).toMatchObject({ sharing: 'NONE', owners: ['reviews'] });
    expect(reading.catalog.get('Book.reviews')).toMatchObject({ sharing: 'NONE', owners: ['reviews'], resolvedTogether: ['Book.reviews'] });
  });
});
