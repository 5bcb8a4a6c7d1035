export * from './business-calendar.ts';
export * from './sla-timers.ts';
export * from './sla-policies.ts';
export * from './insights.schemas.ts';
export * from './refresh-facts.ts';
export * from './insights-worker.ts';
export * from './get-now.ts';
export * from './get-metric.ts';
