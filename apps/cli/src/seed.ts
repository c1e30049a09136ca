import 'reflect-metadata';
import { MikroORM, RequestContext } from '@mikro-orm/core';
import { NestFactory } from '@nestjs/core';
import { CreateAgent } from '@app/auth';
import { GetCase, OpenCase, SendCaseEvent, type Actor, type OpenCaseCommand } from '@app/cases';
import { loadConfig } from '@app/config';
import { CreateMacro } from '@app/customers';
import { AgentEntity, MacroEntity, MerchantEntity } from '@app/db';
import { CreateApiKey, CreateMerchant } from '@app/merchants';
import { CliModule } from './cli.module';

export const DEMO_PASSWORD = 'demo-password-2026';
export const DEMO_AGENTS = [
  { email: 'admin@example.com', displayName: '系统管理员 Admin', role: 'admin' as const },
  { email: 'supervisor@example.com', displayName: '陈主管 Chen (supervisor)', role: 'supervisor' as const },
  { email: 'agent@example.com', displayName: '李娜 Li Na', role: 'agent' as const, locale: 'zh-CN' as const },
  { email: 'agent.en@example.com', displayName: 'Sam Taylor', role: 'agent' as const, locale: 'en' as const },
];

/**
 * The merchants the demo cases name. Each gets an API key: a dispute is forwarded only to a merchant
 * who can hear of it (the seed forwards disputes of m_2001, m_2002 and m_2003), and the merchant
 * API can be tried at once.
 */
export const DEMO_MERCHANTS = [
  { id: 'm_2001', name: '优选数码 Youxuan Digital' },
  { id: 'm_2002', name: 'SoundWave Audio' },
  { id: 'm_2003', name: '夜猫便利 Night Owl Mart' },
  { id: 'm_2004', name: '乐学教育 Lexue Education' },
];

/** Canned replies agents can try on the case page; placeholders are filled per case by the API. */
export const DEMO_MACROS = [
  {
    'zh-CN': { title: '已收到申请', body: '{customerName}，您好：我们已收到您的申请（案件号 {caseNumber}），将在 3 个工作日内答复。客服 {agentName}' },
    en: { title: 'Request received', body: 'Dear {customerName}, we have received your request (case {caseNumber}) and will reply within 3 working days. {agentName}' },
  },
  {
    'zh-CN': { title: '请补充材料', body: '{customerName}，您好：为处理交易 {transactionRef} 的争议，请上传订单截图或物流信息。' },
    en: {
      title: 'Please send more information',
      body: 'Dear {customerName}, to handle the dispute about {transactionRef}, please upload a screenshot of the order or the delivery details.',
    },
  },
  {
    'zh-CN': { title: '退款已发出', body: '{customerName}，您好：案件 {caseNumber} 的退款已发出，预计 1–3 个工作日到账。' },
    en: { title: 'Refund sent', body: 'Dear {customerName}, the refund for case {caseNumber} is on its way and should arrive within 1–3 working days.' },
  },
];

const disputes: Array<OpenCaseCommand & { steps: Array<{ type: string; [key: string]: unknown }> }> = [
  {
    kind: 'dispute',
    channel: 'app',
    priority: 'normal',
    subject: '商品未收到 Order never arrived',
    customer: { id: 'u_10086', name: '王小明', locale: 'zh-CN', phone: '+8613812345678', email: 'wang.xiaoming@example.com', pushEnabled: true },
    merchantId: 'm_2001',
    transactionRef: 'TX-20261120-0001',
    amount: { amountMinor: 12800, currency: 'CNY' },
    reason: 'not_received',
    steps: [],
  },
  {
    kind: 'dispute',
    channel: 'hotline',
    priority: 'high',
    subject: 'Headphones not as described',
    customer: { id: 'u_10087', name: 'Zhang Wei', locale: 'en', email: 'zhang.wei@example.com' },
    merchantId: 'm_2002',
    transactionRef: 'TX-20261118-0042',
    amount: { amountMinor: 59900, currency: 'CNY' },
    reason: 'not_as_described',
    steps: [{ type: 'FORWARD_TO_MERCHANT' }],
  },
  {
    kind: 'dispute',
    channel: 'wechat',
    priority: 'normal',
    subject: '重复扣款 Charged twice',
    customer: { id: 'u_10088', name: '刘芳' },
    merchantId: 'm_2001',
    transactionRef: 'TX-20261115-0777',
    amount: { amountMinor: 4500, currency: 'CNY' },
    reason: 'duplicate_charge',
    steps: [{ type: 'FORWARD_TO_MERCHANT' }, { type: 'MERCHANT_CONTEST', summary: 'Second charge is a separate order #8812.' }],
  },
  {
    kind: 'dispute',
    channel: 'email',
    priority: 'urgent',
    subject: 'Unauthorised payment at night',
    customer: { id: 'u_10089', name: 'Chen Jie' },
    merchantId: 'm_2003',
    transactionRef: 'TX-20261112-1212',
    amount: { amountMinor: 230000, currency: 'CNY' },
    reason: 'unauthorised',
    steps: [
      { type: 'FORWARD_TO_MERCHANT' },
      { type: 'MERCHANT_CONTEST', summary: 'Delivered to the account address, signature on file.' },
      { type: 'REQUEST_CUSTOMER_INFO', question: 'Please confirm whether you shared your payment password.' },
    ],
  },
  {
    // Above the agent's ¥500 limit: the seeding agent proposes it, and it waits in the supervisors' approvals queue.
    kind: 'dispute',
    channel: 'chat',
    priority: 'normal',
    subject: '耳机与描述不符 Headphones missing parts',
    customer: { id: 'u_10090', name: '孙丽', locale: 'zh-CN' },
    merchantId: 'm_2002',
    transactionRef: 'TX-20261119-0311',
    amount: { amountMinor: 89900, currency: 'CNY' },
    reason: 'not_as_described',
    steps: [
      { type: 'FORWARD_TO_MERCHANT' },
      { type: 'MERCHANT_CONTEST', summary: 'All parts were in the box when it left the warehouse.' },
      { type: 'PROPOSE_FULL_REFUND', reason: 'The courier photo shows the box opened; the merchant sent no packing record.' },
    ],
  },
];

/** `npm run db:seed`: demo agents and cases. Does nothing if the demo admin exists already. */
async function main(): Promise<void> {
  const config = loadConfig();
  // The demo password is published and the seed prints a live merchant key: never in production
  // (an unset NODE_ENV counts as production here too). The first admin comes from db:create-admin.
  if (config.productionSecurity) {
    console.error('db:seed: refused: the demo data is for NODE_ENV=development or test only; create the first admin with `npm run db:create-admin`');
    process.exit(1);
  }
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'] });
  const em = app.get(MikroORM).em;
  /** On its own check, so a database seeded before merchants were part of the demo gets them too. */
  const seedMerchants = async () => {
    const missing = [];
    for (const merchant of DEMO_MERCHANTS) if (!(await em.count(MerchantEntity, { id: merchant.id }))) missing.push(merchant);
    if (missing.length === 0) return;
    console.log(`db:seed: ${missing.length} merchants`);
    for (const merchant of missing) {
      await app.get(CreateMerchant).execute(merchant);
      // Keys are random and stored as a hash: this line is the only place a demo key is shown.
      const key = await app.get(CreateApiKey).execute({ merchantId: merchant.id, kind: 'secret', name: 'demo' });
      console.log(`db:seed: API key of ${merchant.id} (shown once): ${key.key}`);
    }
  };
  /** Also on its own check: a database seeded before macros existed gets them, one that has any keeps its own. */
  const seedMacros = async () => {
    const admin = await em.findOne(AgentEntity, { email: DEMO_AGENTS[0]!.email });
    if (!admin || (await em.count(MacroEntity, {}))) return;
    for (const translations of DEMO_MACROS) await app.get(CreateMacro).execute({ translations }, admin.id);
    console.log(`db:seed: ${DEMO_MACROS.length} canned replies`);
  };
  try {
    await RequestContext.create(em, async () => {
      await seedMerchants();
      if (await em.count(AgentEntity, { email: DEMO_AGENTS[0]!.email })) {
        console.log('db:seed: demo agents and cases are there already');
        await seedMacros();
        return;
      }
      const created = [];
      for (const agent of DEMO_AGENTS) created.push(await app.get(CreateAgent).execute({ ...agent, password: DEMO_PASSWORD }));
      const actor: Actor = { kind: 'agent', id: created[2]!.id, role: 'agent' };
      for (const { steps, ...command } of disputes) {
        const id = await app.get(OpenCase).execute(command, actor);
        for (const step of steps) {
          const current = await app.get(GetCase).execute(id, actor);
          await app.get(SendCaseEvent).execute({ caseId: id, event: step, expectedVersion: current.version }, actor);
        }
      }
      const others: OpenCaseCommand[] = [
        {
          kind: 'refund_request',
          channel: 'chat',
          priority: 'normal',
          subject: '申请退款 Refund for cancelled class',
          customer: { id: 'u_20001', name: '赵敏' },
          merchantId: 'm_2004',
          transactionRef: 'TX-20261122-0100',
          amount: { amountMinor: 39900, currency: 'CNY' },
          purchasedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
          reason: 'class cancelled',
        },
        {
          kind: 'payment_failure',
          channel: 'hotline',
          priority: 'high',
          subject: 'Payment failed but money was taken',
          customer: { id: 'u_20002', name: 'Li Lei' },
          transactionRef: 'TX-20261124-0003',
          amount: { amountMinor: 8800, currency: 'CNY' },
        },
        {
          kind: 'balance_discrepancy',
          channel: 'email',
          priority: 'normal',
          subject: '余额不对 Balance looks wrong',
          customer: { id: 'u_20003', name: '孙丽' },
          amount: { amountMinor: 2000, currency: 'CNY' },
        },
        { kind: 'account_security', channel: 'weibo', priority: 'urgent', subject: '账号被盗 Account stolen', customer: { id: 'u_20004', name: '周杰' } },
        { kind: 'inquiry', channel: 'chat', priority: 'low', subject: 'How do cross-border fees work?', customer: { id: 'u_20005', name: 'Emma Wu' } },
      ];
      for (const command of others) await app.get(OpenCase).execute(command, actor);
      await seedMacros();
      console.log(
        `db:seed: ${DEMO_AGENTS.length} agents (password "${DEMO_PASSWORD}": ${DEMO_AGENTS.map((a) => a.email).join(', ')}) and ${disputes.length + others.length} cases`,
      );
    });
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
