/**
 * The operations the benchmark sends, as a client would write them. Each is
 * answered in full for the caller that sends it (no denied field), so every
 * target does the same work.
 */
export const CELL_LIST = `query GridWorkerCellList($id: ID!) {
  gridCell(id: $id) {
    code name
    worker { name phone }
    residents {
      id careLevel name phone idNumber address
      benefits { type status }
    }
  }
}`;

export const CASE_FILE = `query PetitionCaseFile($id: ID!) {
  petition(id: $id) {
    trackingNumber category status riskLevel overdue receivedAt subject content
    history { at action department note }
    gridCell { name worker { name phone } }
    petitioner {
      name phone idNumber address
      gridCell { name worker { name phone } }
    }
  }
}`;

/** A page of a village's residents; `extra` adds fields after the civil-affairs ones. */
function residentList(operationName: string, extra: string): string {
  return `query ${operationName}($areaCode: String!, $first: Int!) {
  residents(filter: { areaCode: $areaCode }, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      id name gender birthDate idNumber phone address
      household { address }
      benefits { type status monthlyAmount startDate }${extra}
    }
  }
}`;
}

export const RESIDENT_SEARCH = residentList('ResidentSearch', '\n      gridCell { name }');

/** The same search without the grid's field: one subgraph, so it can also be sent directly. */
export const RESIDENT_PAGE = residentList('ResidentPage', '');

/** 居民家庭经济状况核对: a household's members with their benefits, employment and pensions, as civil affairs checks them. */
export const MEANS_CHECK = `query MeansCheck($id: ID!) {
  household(id: $id) {
    address
    members {
      id name idNumber
      benefits { type status monthlyAmount }
      employment { status since }
      pensions { month amount }
    }
  }
}`;

export const AGGREGATES = `query AreaFigures($areaCode: String!) {
  benefitSummary(areaCode: $areaCode) { areaCode activeCount monthlyTotal byType { type activeCount monthlyTotal } }
  petitionStats(areaCode: $areaCode) { total overdue byStatus { status count } byCategory { category count } }
}`;

export const RECORD_VISIT = `mutation RecordVisit($input: RecordVisitInput!) {
  recordVisit(input: $input) { id visitedAt followUpNeeded }
}`;
