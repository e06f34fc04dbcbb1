import { CreateGrants1732262400000 } from './1732262400000-create-grants';
import { AddGrantProvenance1796688000000 } from './1796688000000-add-grant-provenance';

/** The grant table's migrations, in order. */
export const GRANT_MIGRATIONS = [CreateGrants1732262400000, AddGrantProvenance1796688000000];
