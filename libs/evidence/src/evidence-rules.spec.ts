import { evidenceTypeOf } from '@app/domain';
import { CUSTOMER_EVIDENCE_CATEGORIES } from './customer-evidence';
import { EVIDENCE_FILE_CATEGORIES, EVIDENCE_TEXT_FIELDS } from './evidence-rules';

describe('evidence item names and the typed evidence they count as', () => {
  it('every merchant field and file category, and every customer category, is an evidence type unless it is the uncategorised one', () => {
    const uncategorised = new Set(['uncategorized_text', 'uncategorized_file', 'other']);
    for (const name of [...EVIDENCE_TEXT_FIELDS, ...EVIDENCE_FILE_CATEGORIES, ...CUSTOMER_EVIDENCE_CATEGORIES]) {
      expect({ name, counts: evidenceTypeOf(name) !== null }).toEqual({ name, counts: !uncategorised.has(name) });
    }
  });
});
