/**
 * The size of a page of any list the platform serves, the departments' and
 * the steward's alike: `first` defaults to DEFAULT_PAGE_SIZE and may not
 * exceed MAX_PAGE_SIZE.
 */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
