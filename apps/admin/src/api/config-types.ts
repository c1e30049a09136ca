// Types of the configuration pages (SLA policies, business calendars, merchants, webhooks): aliases
// of the types generated from the API's OpenAPI document (./generated/schema.ts).
import type { components } from './generated/schema';

type Schemas = components['schemas'];

export type WorkingSpan = Schemas['WorkingSpanDto'];
export type YearSchedule = Schemas['YearScheduleDto'];
export type BusinessCalendar = Schemas['BusinessCalendarDto'];

export type SlaTarget = Schemas['SlaTargetDto'];
export type SlaPolicyRow = Schemas['SlaPolicyDto'];
export type SlaChangePreviewItem = Schemas['SlaChangePreviewItemDto'];
export type SlaChangePreview = Schemas['SlaChangePreviewDto'];

export type MerchantRow = Schemas['MerchantDto'];
export type ApiKeyRow = Schemas['ApiKeyDto'];
/** The answer to creating a key: the only time the whole key is shown. */
export type CreatedApiKey = Schemas['CreatedApiKeyDto'];

/** A merchant's endpoint as the admin routes show it (the merchant API's own view, without the secret). */
export type WebhookEndpointRow = Schemas['WebhookEndpointResponse'];
export type WebhookDeliveryRow = Schemas['WebhookDeliveryResponse'];
