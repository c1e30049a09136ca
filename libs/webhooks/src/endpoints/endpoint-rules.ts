import { isIP } from 'node:net';
import type { AppConfig } from '@app/config';
import { DomainError, DomainErrorCode } from '@app/domain';
import { ForbiddenTargetError, assertPublicTarget } from '../ssrf/address-policy';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES, isWebhookEventType } from '../webhook-events';

/** What an endpoint may be registered or updated with: the same rules on create and on update. */

function refused(message: string, details: Record<string, unknown> = {}): DomainError {
  return new DomainError(DomainErrorCode.WebhookTargetRefused, message, { fields: [{ path: 'url', message }], ...details });
}

/** Known event types (or `*`), at least one; duplicates dropped. */
export function checkedEvents(events: readonly string[]): string[] {
  const unknown = events.filter((event) => event !== ALL_EVENTS && !isWebhookEventType(event));
  if (events.length === 0 || unknown.length) {
    throw new DomainError(DomainErrorCode.ValidationFailed, 'Unknown webhook event types.', {
      fields: [{ path: 'events', message: `each one of ${WEBHOOK_EVENT_TYPES.join(', ')} or "*"` }],
      unknown,
    });
  }
  return [...new Set(events)];
}

/** An absolute https URL (http outside production), without credentials, on a public host (the SSRF guard). */
export async function checkedTargetUrl(raw: string, config: AppConfig): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('The URL is not a valid absolute URL.');
  }
  const schemes = config.productionSecurity ? ['https:'] : ['https:', 'http:'];
  if (!schemes.includes(url.protocol)) throw refused(`The URL must use ${schemes.join(' or ')}.`);
  if (url.username || url.password) throw refused('The URL must not contain credentials.');
  try {
    await assertPublicTarget(url, config.webhooks.allowPrivateTargets);
  } catch (error) {
    if (error instanceof ForbiddenTargetError) {
      // A literal IP is the caller's own; what a hostname resolves to may be an internal DNS
      // answer, which the caller must not learn from us.
      if (isIP(url.hostname.replace(/^\[|\]$/g, ''))) throw refused(error.message, { addressClass: error.addressClass });
      throw refused(`The host ${url.hostname} resolves to an address webhooks may not target; use a public host.`);
    }
    throw refused(`The host ${url.hostname} does not resolve.`);
  }
  return url;
}
