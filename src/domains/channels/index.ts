export * from './channels.schemas.ts';
export * from './channels.ts';
export * from './attachments.ts';
export * from './find-channels-by-address.ts';
export * from './channel-secrets.ts';
