import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { MERCHANT_DISPUTE_STATUSES, MERCHANT_REFUND_REQUEST_STATUSES, type MerchantDisputeStatus, type MerchantRefundRequestStatus } from '@app/merchants';
import { EVIDENCE_TYPES, type EvidenceType } from '@app/domain';

/**
 * The merchant API's answers, as OpenAPI schemas: the generated client (clients/merchant-api) types
 * its responses from these. They describe the views the use cases return (MerchantDisputeView,
 * WebhookEndpointView, …); the client's integration test reads real answers through them.
 */

/** What the dispute's reason asks of you, against what you have staged or submitted so far. */
export class EvidenceRequirementsResponse {
  @ApiProperty({ enum: EVIDENCE_TYPES, isArray: true }) required!: EvidenceType[];
  @ApiProperty({ enum: EVIDENCE_TYPES, isArray: true }) optional!: EvidenceType[];
  @ApiProperty({ enum: EVIDENCE_TYPES, isArray: true, description: 'Every type handed in, in catalogue order.' }) provided!: EvidenceType[];
  @ApiProperty({ enum: EVIDENCE_TYPES, isArray: true, description: 'Required types not yet handed in: contesting is refused while this is not empty.' })
  missing!: EvidenceType[];
}

class InfoRequest {
  @ApiProperty() question!: string;
}

export class MerchantDisputeResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['dispute'] }) object!: 'dispute';
  @ApiProperty({ description: 'False for a test-mode dispute (made with a test key).' }) livemode!: boolean;
  @ApiProperty({ enum: MERCHANT_DISPUTE_STATUSES }) status!: MerchantDisputeStatus;
  @ApiProperty({ description: 'Minor units (fen).' }) amount!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ description: 'The dispute reason as it is called now.' }) reason!: string;
  @ApiProperty({ type: EvidenceRequirementsResponse, nullable: true, description: 'Null when the reason sets no requirements of you.' })
  evidence_requirements!: EvidenceRequirementsResponse | null;
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
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Customer files only: when support shared it with you.' }) shared_with_merchant_at?: string | null;
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
  @ApiProperty({ description: 'False for a test-mode endpoint (made with a test key): it hears of test-mode events only.' }) livemode!: boolean;
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

class RefundRequestClaim {
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty() subject!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
}

class RefundRequestPolicy {
  @ApiProperty() refund_window_days!: number;
  @ApiProperty() partial_refunds_allowed!: boolean;
  @ApiProperty({ description: 'Minor units kept back from every refund.' }) non_refundable_fee!: number;
}

class RefundRequestDecision {
  @ApiProperty({ enum: ['full_refund', 'partial_refund', 'rejected'] }) outcome!: 'full_refund' | 'partial_refund' | 'rejected';
  @ApiProperty({ description: 'Minor units refunded by the decision.' }) amount!: number;
  @ApiProperty() reason!: string;
  @ApiProperty({ enum: ['merchant_response', 'support_review', 'deadline'] }) stage!: 'merchant_response' | 'support_review' | 'deadline';
}

class RefundRequestContest {
  @ApiProperty({ description: "The customer's reason for contesting." }) reason!: string;
  @ApiProperty({ description: 'Your rejection, as contested.' }) rejected_reason!: string;
}

export class MerchantRefundRequestResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['refund_request'] }) object!: 'refund_request';
  @ApiProperty({ description: 'False for a test-mode refund request (made with a test key).' }) livemode!: boolean;
  @ApiProperty({ enum: MERCHANT_REFUND_REQUEST_STATUSES }) status!: MerchantRefundRequestStatus;
  @ApiProperty({ description: 'What the customer paid, minor units (fen).' }) amount!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: RefundRequestClaim, description: "The customer's claim as they made it." }) claim!: RefundRequestClaim;
  @ApiProperty({ type: String, nullable: true }) transaction_ref!: string | null;
  @ApiProperty() purchased_at!: string;
  @ApiProperty() requested_at!: string;
  @ApiProperty({ type: RefundRequestPolicy, description: 'The policy the request is decided under.' }) policy!: RefundRequestPolicy;
  @ApiProperty({ description: 'What may still be approved under the policy now (0 outside the window).' }) refundable_amount!: number;
  @ApiProperty() amount_refunded!: number;
  @ApiProperty({ type: String, nullable: true, description: 'When your answer is due; null when none is.' }) respond_by!: string | null;
  @ApiProperty({ type: RefundRequestDecision, nullable: true, description: 'The latest decision, null while undecided.' }) decision!: RefundRequestDecision | null;
  @ApiProperty({ type: RefundRequestContest, nullable: true, description: 'The customer contested your rejection: support reviews it.' }) contest!: RefundRequestContest | null;
  @ApiProperty({ enum: ['approve', 'reject'], isArray: true }) allowed_actions!: Array<'approve' | 'reject'>;
  @ApiProperty() created!: string;
  @ApiProperty() updated!: string;
}

export class MerchantRefundRequestPageResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [MerchantRefundRequestResponse] }) data!: MerchantRefundRequestResponse[];
  @ApiProperty() has_more!: boolean;
  @ApiProperty({ type: String, nullable: true }) next_cursor!: string | null;
}

export class EvidenceFileListResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [EvidenceFileResponse] }) data!: EvidenceFileResponse[];
}

export class TestClockResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['test_clock'] }) object!: 'test_clock';
  @ApiProperty({ enum: [false], description: 'Test clocks exist only in test mode.' }) livemode!: false;
  @ApiProperty({ type: String, nullable: true }) name!: string | null;
  @ApiProperty({ description: 'The time of the clock: the "now" of every test case opened on it.' }) frozen_time!: string;
  @ApiProperty({ enum: ['ready', 'advancing'], description: 'advancing while an advance fires the deadlines it passed.' }) status!: 'ready' | 'advancing';
  @ApiProperty() created!: string;
}

export class TestClockListResponse {
  @ApiProperty({ enum: ['list'] }) object!: 'list';
  @ApiProperty({ type: [TestClockResponse] }) data!: TestClockResponse[];
}

/** A simulated refund request, as the test helper opened it. */
export class TestRefundRequestResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['refund_request'] }) object!: 'refund_request';
  @ApiProperty({ enum: [false] }) livemode!: false;
  @ApiProperty() state!: string;
  @ApiProperty({ description: 'Minor units (fen).' }) amount!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ type: String, nullable: true }) transaction_ref!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The test clock it lives on.' }) test_clock!: string | null;
  @ApiProperty() created!: string;
}

export class ApiErrorResponse {
  @ApiProperty({ description: 'Stable machine-readable code, e.g. VALIDATION_FAILED, NOT_FOUND.' }) code!: string;
  @ApiProperty() message!: string;
  @ApiPropertyOptional({ description: 'The request id (X-Request-Id), to quote to support.' }) requestId?: string;
}
