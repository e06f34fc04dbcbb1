/**
 * Statistical area codes, as the gateway (token claims, jurisdictions) and
 * the subgraphs (records, filters) both read them: province 2, city 2,
 * county 2, township 3, village 3 digits. A prefix of 2 to 12 digits names
 * everything under it, e.g. 610921 for the whole county.
 */
export const AREA_CODE = /^\d{12}$/;
export const AREA_CODE_MESSAGE = 'areaCode must be a 12-digit area code';
export const AREA_PREFIX = /^\d{2,12}$/;
