import { Migration } from '@mikro-orm/migrations';

/**
 * Customers in the loop: how a case reaches its customer (contact details sealed at rest, with
 * masked copies for views), every reveal of them (audited), and one delivery row per
 * (notify outbox row, channel) so each message goes out once per channel (to the customer, or to
 * an agent for an email about an SLA breach).
 */
export class Migration20261203140000CustomerNotifications extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table case_customer_contacts (
        case_id uuid primary key references cases (id) deferrable initially deferred,
        locale text not null default 'zh-CN' check (locale in ('zh-CN', 'en')),
        push_enabled boolean not null default false,
        phone_sealed text null,
        phone_masked text null,
        email_sealed text null,
        email_masked text null,
        wechat_open_id_sealed text null,
        wechat_open_id_masked text null,
        created_at timestamptz not null
      );`);
    this.addSql(`
      create table customer_contact_reveals (
        id uuid primary key,
        case_id uuid not null references cases (id) deferrable initially deferred,
        agent_id uuid not null references agents (id),
        fields jsonb not null,
        created_at timestamptz not null
      );`);
    this.addSql(`create index customer_contact_reveals_case_idx on customer_contact_reveals (case_id, created_at);`);
    this.addSql(`
      create table notification_deliveries (
        id uuid primary key,
        outbox_id uuid not null references outbox (id),
        case_id uuid null references cases (id) deferrable initially deferred,
        recipient_agent_id uuid null references agents (id),
        channel text not null check (channel in ('email', 'push', 'sms', 'wechat')),
        topic text not null,
        locale text not null,
        recipient_masked text null,
        title text not null,
        body text not null,
        status text not null default 'pending' check (status in ('pending', 'sent', 'delivered', 'failed')),
        attempts integer not null default 0,
        not_before timestamptz null,
        last_error text null,
        provider_ref text null,
        sent_at timestamptz null,
        created_at timestamptz not null,
        updated_at timestamptz not null
      );`);
    this.addSql(`create unique index notification_deliveries_outbox_channel_uidx on notification_deliveries (outbox_id, channel);`);
    this.addSql(`create index notification_deliveries_case_idx on notification_deliveries (case_id, created_at);`);
    this.addSql(`create index notification_deliveries_unfinished_idx on notification_deliveries (status) where status = 'pending';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists notification_deliveries;`);
    this.addSql(`drop table if exists customer_contact_reveals;`);
    this.addSql(`drop table if exists case_customer_contacts;`);
  }
}
