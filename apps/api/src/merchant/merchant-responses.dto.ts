import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MERCHANT_DISPUTE_STATUSES, type MerchantDisputeStatus } from '@app/merchants';

/**
 * The merchant API's answers, as OpenAPI schemas: the generated client (clients/merchant-api) types
 * its responses from these. They describe the views the use cases return (MerchantDisputeView,
 * WebhookEndpointView, …); the client's integration test reads real answers through them.
 */

class InfoRequest {
  @ApiProperty() question!: string;
}

export class MerchantDisputeResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['dispute'] }) object!: 'dispute';
  @ApiProperty({ enum: MERCHANT_DISPUTE_STATUSES }) status!: MerchantDisputeStatus;
  @ApiProperty({ description: 'Minor units (fen).' }) amount!: number;
  @ApiProperty() currency!: string;
  @ApiProperty() reason!: string;
  @ApiProperty({ type: String, nullable: true }) transaction_ref!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'When your current response window closes.' }) evidence_due_by!: string | null;
  @ApiProperty() has_evidence!: boolean;
  @ApiProperty() submission_count!: number;
  @ApiProperty({ type: InfoRequest, nullable: true, description: 'The question, when support asked you for more information.' }) info_request!: InfoRequest | null;
  @ApiProperty({ enum: ['accept', 'submit_evidence'], isArray: true }) allowed_actions!: Array<'accept' | 'submit_evidence'>;
  @ApiProperty() created!: string;
  @ApiProperty() updated!: string;
}

export class MerchantDisputePageResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [MerchantDisputeResponse] }) data!: MerchantDisputeResponse[];
  @ApiProperty() has_more!: boolean;
  @ApiProperty({ type: String, nullable: true }) next_cursor!: string | null;
}

export class MerchantDecisionEntry {
  @ApiProperty() outcome!: string;
  @ApiProperty() amount!: number;
  @ApiProperty() decided_by!: string;
  @ApiProperty() stage!: string;
  @ApiProperty() reason!: string;
}

export class MerchantDecisionResponse {
  @ApiProperty() dispute_id!: string;
  @ApiProperty({ enum: MERCHANT_DISPUTE_STATUSES }) status!: MerchantDisputeStatus;
  @ApiProperty({ enum: ['full_refund', 'partial_refund', 'rejected'], nullable: true }) outcome!: 'full_refund' | 'partial_refund' | 'rejected' | null;
  @ApiProperty({ enum: ['agent', 'merchant', 'deadline'], nullable: true }) decided_by!: 'agent' | 'merchant' | 'deadline' | null;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty() amount_refunded!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: [MerchantDecisionEntry] }) decisions!: MerchantDecisionEntry[];
}

class Uploader {
  @ApiProperty() kind!: string;
  @ApiProperty() id!: string;
}

export class EvidenceFileResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['merchant', 'customer'] }) party!: 'merchant' | 'customer';
  @ApiProperty() category!: string;
  @ApiProperty() filename!: string;
  @ApiProperty() content_type!: string;
  @ApiProperty() size!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty({ type: Uploader }) uploaded_by!: Uploader;
  @ApiProperty() created!: string;
}

export class EvidenceSubmissionResponse {
  @ApiProperty({ type: Number, nullable: true }) number!: number | null;
  @ApiProperty({ enum: ['draft', 'submitted'] }) status!: 'draft' | 'submitted';
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) fields!: Record<string, string>;
  @ApiProperty({ type: [EvidenceFileResponse] }) files!: EvidenceFileResponse[];
  @ApiProperty({ type: String, nullable: true }) summary!: string | null;
  @ApiProperty({ type: String, nullable: true }) submitted_as!: string | null;
  @ApiProperty({ type: String, nullable: true }) submitted!: string | null;
}

export class EvidenceResponse {
  @ApiProperty() dispute_id!: string;
  @ApiProperty({ type: EvidenceSubmissionResponse, nullable: true, description: 'What is staged and not yet submitted.' }) draft!: EvidenceSubmissionResponse | null;
  @ApiProperty({ type: [EvidenceSubmissionResponse] }) submissions!: EvidenceSubmissionResponse[];
}

export class MerchantMessageResponse {
  @ApiProperty() id!: string;
  @ApiProperty() dispute_id!: string;
  @ApiProperty({ enum: ['inbound', 'outbound'] }) direction!: 'inbound' | 'outbound';
  @ApiProperty({ enum: ['merchant', 'support'] }) from!: 'merchant' | 'support';
  @ApiProperty() body!: string;
  @ApiProperty({ enum: ['zh-CN', 'en'] }) locale!: 'zh-CN' | 'en';
  @ApiProperty() created_at!: string;
}

export class MerchantMessageListResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [MerchantMessageResponse] }) data!: MerchantMessageResponse[];
}

export class WebhookEndpointResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['webhook_endpoint'] }) object!: 'webhook_endpoint';
  @ApiProperty() url!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: [String] }) events!: string[];
  @ApiProperty({ enum: ['enabled', 'disabled', 'deleted'] }) status!: 'enabled' | 'disabled' | 'deleted';
  @ApiProperty({ type: String, nullable: true }) disabled_reason!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'While a rotation’s grace period runs: until when the replaced secret still signs too.' })
  previous_secret_expires_at!: string | null;
  @ApiProperty() created!: string;
}

export class WebhookEndpointWithSecretResponse extends WebhookEndpointResponse {
  @ApiProperty({ description: 'The signing secret (whsec_…), shown this once.' }) secret!: string;
}

export class WebhookEndpointListResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [WebhookEndpointResponse] }) data!: WebhookEndpointResponse[];
}

export class WebhookAttemptResponse {
  @ApiProperty() generation!: number;
  @ApiProperty() attempt!: number;
  @ApiProperty() at!: string;
  @ApiProperty({ type: Number, nullable: true }) status_code!: number | null;
  @ApiProperty({ type: String, nullable: true }) error!: string | null;
  @ApiProperty() duration_ms!: number;
}

export class WebhookDeliveryResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['webhook_delivery'] }) object!: 'webhook_delivery';
  @ApiProperty() endpoint_id!: string;
  @ApiProperty({ description: 'The webhook-id header: the same for every attempt and replay of this event.' }) event_id!: string;
  @ApiProperty() event_type!: string;
  @ApiProperty({ type: String, nullable: true }) dispute_id!: string | null;
  @ApiProperty({ enum: ['pending', 'succeeded', 'failed'] }) status!: 'pending' | 'succeeded' | 'failed';
  @ApiProperty({ type: [WebhookAttemptResponse] }) attempts!: WebhookAttemptResponse[];
  @ApiProperty({ type: String, nullable: true }) next_attempt_at!: string | null;
  @ApiProperty() created!: string;
}

export class WebhookDeliveryListResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [WebhookDeliveryResponse] }) data!: WebhookDeliveryResponse[];
}

export class ApiErrorResponse {
  @ApiProperty({ description: 'Stable machine-readable code, e.g. VALIDATION_FAILED, NOT_FOUND.' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ description: 'The request id (X-Request-Id), to quote to support.' }) requestId?: string;
}
