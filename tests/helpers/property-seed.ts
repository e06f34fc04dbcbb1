import fc from 'fast-check';

/**
 * Every fast-check property in the suite starts from one fixed seed, so two
 * runs of the same code generate the same cases: a failure is repeatable,
 * and a green run cannot turn red on its own. PROPERTY_SEED=<n> explores
 * other cases; fast-check prints the seed and path of any counterexample.
 * Loaded by jest (setupFiles) before each test file.
 */
export const PROPERTY_SEED = Number(process.env.PROPERTY_SEED ?? 20_261_205);

fc.configureGlobal({ seed: PROPERTY_SEED });
