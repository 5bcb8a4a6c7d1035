export * from './channels.schemas.ts';
export * from './channels.ts';
