import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const FORMAT = 'enc1';
/** The full 16-byte GCM tag, and only that: a shortened tag is refused. */
const TAG_BYTES = 16;

/**
 * Seals secrets the engine must be able to read back (TOTP seeds, …) with AES-256-GCM, so a copy
 * of the database alone reveals none of them. Stored as `enc1.<key id>.<iv>.<tag>.<ciphertext>`
 * (base64url) and bound to its owner through authenticated data: a sealed value copied onto
 * another row does not open there. The first key seals, every key opens, so keys rotate by putting
 * the new one first. (The webhook signing secrets use the same format in libs/webhooks, whose box
 * predates this one and also opens secrets stored in the clear.)
 */
export class SecretBox {
  private readonly keys: Array<{ id: string; key: Buffer }>;

  constructor(
    keys: readonly Buffer[],
    private readonly purpose: string,
    /** The variable the keys come from, named when a value's key is missing (e.g. `PII_KEYS`). */
    private readonly keysVariable = 'the configured keys',
  ) {
    if (keys.length === 0) throw new Error('SecretBox needs at least one key');
    this.keys = keys.map((key) => {
      if (key.length !== 32) throw new Error(`a sealing key must be 32 bytes, got ${key.length}`);
      return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
    });
  }

  seal(secret: string, ownerId: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(this.aad(ownerId));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [FORMAT, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(stored: string, ownerId: string): string {
    const [format, id, iv, tag, ciphertext] = stored.split('.');
    if (format !== FORMAT || !id || !iv || !tag || ciphertext === undefined) throw new Error(`not a sealed ${this.purpose}`);
    const key = this.keys.find((candidate) => candidate.id === id)?.key;
    if (!key) throw new Error(`${this.purpose} sealed with key ${id}, which is not configured: not in ${this.keysVariable}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(this.aad(ownerId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  private aad(ownerId: string): Buffer {
    return Buffer.from(`${this.purpose}:${ownerId}`, 'utf8');
  }
}
