import type { ContactField } from '@app/domain';
import { SecretBox } from '@app/secrets';

/**
 * Seals customers' contact details (SecretBox: AES-256-GCM, `enc1.<key id>.<iv>.<tag>.<ciphertext>`)
 * bound to the case and the field, so a sealed phone number copied to another case or into the
 * email column does not open. The first key seals, every key opens: rotate by putting a new key
 * first (PII_KEYS).
 */
export class ContactBox {
  private readonly box: SecretBox;

  constructor(keys: readonly Buffer[]) {
    this.box = new SecretBox(keys, 'contact value', 'PII_KEYS');
  }

  seal(value: string, caseId: string, field: ContactField): string {
    return this.box.seal(value, `${caseId}.${field}`);
  }

  open(stored: string, caseId: string, field: ContactField): string {
    return this.box.open(stored, `${caseId}.${field}`);
  }
}
