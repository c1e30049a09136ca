import { Migration } from '@mikro-orm/migrations';

/**
 * Merchant API and intake API: merchants and their API keys, idempotent request records,
 * dispute evidence (text fields and files), webhook endpoints, deliveries and attempts, and one
 * open case per transaction and kind.
 */
export class Migration20261125100000Merchants extends Migration {
  override async up(): Promise<void> {
    // The id is the wallet's own merchant id, the one cases already store in merchant_id.
    this.addSql(`
      create table merchants (
        id text primary key check (id ~ '^[A-Za-z0-9_-]{1,64}$'),
        name text not null,
        active boolean not null default true,
        created_at timestamptz not null default now()
      );`);

    this.addSql(`
      create table merchant_api_keys (
        id uuid primary key,
        merchant_id text not null references merchants (id),
        kind text not null check (kind in ('secret', 'restricted')),
        name text null,
        prefix text not null,
        key_hash text not null unique,
        created_by uuid null references agents (id) on delete set null,
        created_at timestamptz not null default now(),
        last_used_at timestamptz null,
        revoked_at timestamptz null
      );`);
    this.addSql(`create index merchant_api_keys_merchant_idx on merchant_api_keys (merchant_id);`);

    // Intake of the same transaction twice must find the open case, also when two requests race.
    // Agents' POST /v1/cases hits the same index and answers 409 DUPLICATE_CASE.
    this.addSql(`create unique index cases_open_transaction_uidx on cases (kind, transaction_ref) where status = 'active' and transaction_ref is not null;`);
    this.addSql(`create index cases_merchant_created_idx on cases (merchant_id, created_at desc, id desc) where merchant_id is not null;`);

    this.addSql(`
      create table idempotency_keys (
        scope text not null,
        key text not null,
        request_hash text not null,
        status text not null check (status in ('in_progress', 'completed')),
        response_status integer null,
        response_content_type text null,
        response_body bytea null,
        locked_at timestamptz not null,
        created_at timestamptz not null default now(),
        expires_at timestamptz not null,
        primary key (scope, key)
      );`);
    this.addSql(`create index idempotency_keys_expires_idx on idempotency_keys (expires_at);`);

    this.addSql(`
      create table evidence_submissions (
        id uuid primary key,
        case_id uuid not null references cases (id) deferrable initially deferred,
        merchant_id text not null references merchants (id),
        status text not null check (status in ('draft', 'submitted')),
        number integer null,
        fields jsonb not null default '{}',
        summary text null,
        event_type text null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        submitted_at timestamptz null,
        check ((status = 'submitted') = (number is not null))
      );`);
    // One draft per case at a time; submitted evidence is numbered and never changes again.
    this.addSql(`create unique index evidence_submissions_draft_uidx on evidence_submissions (case_id) where status = 'draft';`);
    this.addSql(`create unique index evidence_submissions_number_uidx on evidence_submissions (case_id, number);`);

    this.addSql(`
      create table evidence_files (
        id uuid primary key,
        case_id uuid not null references cases (id) deferrable initially deferred,
        submission_id uuid not null references evidence_submissions (id),
        uploaded_by_kind text not null check (uploaded_by_kind in ('merchant', 'agent')),
        uploaded_by_id text not null,
        category text not null,
        storage_key text not null unique,
        original_name text not null,
        content_type text not null,
        size_bytes bigint not null check (size_bytes > 0),
        sha256 text not null,
        created_at timestamptz not null default now()
      );`);
    this.addSql(`create index evidence_files_case_idx on evidence_files (case_id);`);
    this.addSql(`create index evidence_files_submission_idx on evidence_files (submission_id);`);

    this.addSql(`
      create table webhook_endpoints (
        id uuid primary key,
        merchant_id text not null references merchants (id),
        url text not null,
        description text null,
        events jsonb not null,
        secret text not null,
        status text not null default 'enabled' check (status in ('enabled', 'disabled', 'deleted')),
        disabled_reason text null,
        failing_since timestamptz null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now()
      );`);
    this.addSql(`create index webhook_endpoints_merchant_idx on webhook_endpoints (merchant_id);`);

    this.addSql(`
      create table webhook_deliveries (
        id uuid primary key,
        endpoint_id uuid not null references webhook_endpoints (id),
        merchant_id text not null references merchants (id),
        outbox_id uuid not null references outbox (id) deferrable initially deferred,
        case_id uuid null references cases (id) deferrable initially deferred,
        event_id text not null,
        event_type text not null,
        body text not null,
        status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
        generation integer not null default 0,
        attempts integer not null default 0,
        next_attempt_at timestamptz null,
        last_status_code integer null,
        last_error text null,
        created_at timestamptz not null default now(),
        updated_at timestamptz not null default now(),
        succeeded_at timestamptz null,
        unique (outbox_id, endpoint_id)
      );`);
    this.addSql(`create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc, id desc);`);
    this.addSql(`create index webhook_deliveries_pending_idx on webhook_deliveries (next_attempt_at) where status = 'pending';`);

    this.addSql(`
      create table webhook_attempts (
        id bigserial primary key,
        delivery_id uuid not null references webhook_deliveries (id),
        generation integer not null,
        attempt integer not null,
        attempted_at timestamptz not null,
        duration_ms integer not null,
        status_code integer null,
        error text null,
        response_excerpt text null
      );`);
    this.addSql(`create index webhook_attempts_delivery_idx on webhook_attempts (delivery_id, id);`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `drop table if exists webhook_attempts, webhook_deliveries, webhook_endpoints, evidence_files, evidence_submissions, idempotency_keys, merchant_api_keys, merchants cascade;`,
    );
    this.addSql(`drop index if exists cases_open_transaction_uidx;`);
    this.addSql(`drop index if exists cases_merchant_created_idx;`);
  }
}
