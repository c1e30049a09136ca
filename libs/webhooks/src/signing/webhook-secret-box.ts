import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A key that seals webhook signing secrets: 32 bytes for AES-256-GCM, named by a short digest. */
export interface SecretKey {
  id: string;
  key: Buffer;
}

const FORMAT = 'enc1';
/** The full 16-byte GCM tag, and only that: a shortened tag is refused. */
const TAG_BYTES = 16;
const LEGACY_PLAINTEXT = 'whsec_';

export function secretKeyOf(key: Buffer): SecretKey {
  if (key.length !== 32) throw new Error(`a webhook secret key must be 32 bytes, got ${key.length}`);
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/**
 * Signing secrets must be readable to sign, so they cannot be hashed like API keys; they are
 * sealed with AES-256-GCM instead, so a copy of the database (a backup, a replica, a dump) does
 * not let anyone forge webhooks to merchants. Stored as `enc1.<key id>.<iv>.<tag>.<ciphertext>`
 * (base64url), bound to its endpoint (the endpoint id is authenticated data: a sealed secret
 * copied onto another endpoint's row does not open there). The first key seals; every listed key opens, so keys rotate by putting the new
 * one first and keeping the old one until `db:migrate` has re-sealed everything.
 * Secrets stored before sealing existed (`whsec_…` in the clear) are still opened as they are.
 */
export class WebhookSecretBox {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: readonly SecretKey[]) {
    if (keys.length === 0) throw new Error('WebhookSecretBox needs at least one key');
    this.byId = new Map(keys.map((key) => [key.id, key.key]));
  }

  seal(secret: string, endpointId: string): string {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(endpointId, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return [FORMAT, id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(stored: string, endpointId: string): string {
    if (stored.startsWith(LEGACY_PLAINTEXT)) return stored;
    const [format, id, iv, tag, ciphertext] = stored.split('.');
    if (format !== FORMAT || !id || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed webhook secret');
    const key = this.byId.get(id);
    if (!key) throw new Error(`webhook secret sealed with key ${id}, which is not in WEBHOOK_SECRET_KEYS`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(endpointId, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Whether a stored value should be sealed again: in the clear, or sealed with an older key. */
  needsResealing(stored: string): boolean {
    return !stored.startsWith(`${FORMAT}.${this.keys[0]!.id}.`);
  }
}
