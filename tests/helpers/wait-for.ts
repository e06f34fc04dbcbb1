/** The tests poll with the same helper the cluster's orchestration uses (scripts/wait-for.ts). */
export { waitFor, type WaitOptions } from '../../scripts/wait-for';
