/** Types of scripts/build.cjs, for the test that covers its staleness rule. */
export declare const INPUTS: readonly string[];
export declare const STAMP: string;
export declare function findNewestMtime(entry: string): number;
export declare function isBuildStale(root: string, inputs?: readonly string[]): boolean;
export declare function writeBuildStamp(root: string, startedAt: Date): void;
