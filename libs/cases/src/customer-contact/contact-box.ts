import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { ContactField } from '@app/domain';

const FORMAT = 'pii1';
const TAG_BYTES = 16;

/**
 * Seals customers' contact details with AES-256-GCM, like the webhook signing secrets: stored as
 * `pii1.<key id>.<iv>.<tag>.<ciphertext>`, bound to the case and the field (authenticated data),
 * so a sealed phone number copied to another case or into the email column does not open. The
 * first key seals, every key opens: rotate by putting a new key first (PII_KEYS).
 */
export class ContactBox {
  private readonly keys: Array<{ id: string; key: Buffer }>;

  constructor(keys: readonly Buffer[]) {
    if (keys.length === 0) throw new Error('ContactBox needs at least one key');
    this.keys = keys.map((key) => {
      if (key.length !== 32) throw new Error(`a contact key must be 32 bytes, got ${key.length}`);
      return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
    });
  }

  seal(value: string, caseId: string, field: ContactField): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(`${caseId}.${field}`, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return [FORMAT, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(stored: string, caseId: string, field: ContactField): string {
    const [format, id, iv, tag, ciphertext] = stored.split('.');
    if (format !== FORMAT || !id || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed contact value');
    const key = this.keys.find((candidate) => candidate.id === id)?.key;
    if (!key) throw new Error(`contact value sealed with key ${id}, which is not in PII_KEYS`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(`${caseId}.${field}`, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
