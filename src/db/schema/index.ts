export * from './workspaces.ts';
export * from './customers.ts';
export * from './billing.ts';
export * from './conversations.ts';
export * from './platform.ts';
export * from './channels.ts';
export * from './understanding.ts';
export * from './insights.ts';
