import type { MerchantApiKeyEntity, MerchantEntity } from '@app/db';

export interface MerchantView {
  id: string;
  name: string;
  active: boolean;
  createdAt: string;
}

export interface ApiKeyView {
  id: string;
  merchantId: string;
  kind: 'secret' | 'restricted';
  /** False for a test-mode key (`sk_test_`/`rk_test_`). */
  livemode: boolean;
  name: string | null;
  /** The first characters of the key, e.g. `sk_live_AbCd`, to recognise it. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export const toMerchantView = (merchant: MerchantEntity): MerchantView => ({
  id: merchant.id,
  name: merchant.name,
  active: merchant.active,
  createdAt: merchant.createdAt.toISOString(),
});

export const toApiKeyView = (key: MerchantApiKeyEntity): ApiKeyView => ({
  id: key.id,
  merchantId: key.merchantId,
  kind: key.kind,
  livemode: key.livemode,
  name: key.name,
  prefix: key.prefix,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
});
