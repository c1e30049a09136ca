export * from './sla-policy';
export * from './sla-clock';
export * from './sla-tags';
export * from './sla-policy.schema';
