import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './schema';

/**
 * A typed client of the merchant API (`/v1/merchant`), its paths, parameters, bodies and answers
 * generated from the API's OpenAPI document (schema.ts, `npm run generate:api-types`).
 *
 *   const api = createMerchantClient({ baseUrl: 'https://disputes.example.com', apiKey: 'sk_live_…' });
 *   const { data, error } = await api.GET('/v1/merchant/disputes/{id}', { params: { path: { id } } });
 */
export type MerchantClient = Client<paths>;
export type { components, paths };
export type MerchantDispute = components['schemas']['MerchantDisputeResponse'];
export type MerchantDecision = components['schemas']['MerchantDecisionResponse'];
export type MerchantRefundRequest = components['schemas']['MerchantRefundRequestResponse'];
export type WebhookEndpoint = components['schemas']['WebhookEndpointResponse'];
export type WebhookDelivery = components['schemas']['WebhookDeliveryResponse'];

/** Every error answer (`error` of a call): a stable `code`, a message, and details that depend on the code. */
export type MerchantApiError = components['schemas']['ApiErrorResponse'] & Record<string, unknown>;

export function createMerchantClient(options: Omit<ClientOptions, 'headers'> & { apiKey: string; headers?: Record<string, string> }): MerchantClient {
  const { apiKey, headers, ...rest } = options;
  return createClient<paths>({ ...rest, headers: { ...headers, Authorization: `Bearer ${apiKey}` } });
}
