import { socketEndpoints } from '../../realtime/gateway.ts';
import { CHAT_SOCKET_PATH, openChatSockets } from './visitor-socket.ts';

/**
 * The web chat channel: an embeddable widget (GET /widget.js) talking to the visitor socket at
 * /api/v1/chat/socket. In: visitor messages through receiveMessage. Out: the same socket, or
 * email when the visitor is offline. Protocol and decisions: README.md beside this file.
 */
export { chatAdapter, createChatAdapter, type ChatAdapterOptions } from './chat-adapter.ts';
export { ChatChannelConfig, chatConfigOf } from './chat-config.ts';
export { userHashOf, userIdentityValue, anonymousIdentityValue } from './visitor-identity.ts';
export { CHAT_SOCKET_PATH, openChatSockets } from './visitor-socket.ts';
export { widgetRoutes, ensureDemoChatChannel } from './widget-routes.ts';

// The visitor socket shares the realtime gateway's upgrade listener (one per HTTP server).
if (!socketEndpoints.some((e) => e.path === CHAT_SOCKET_PATH)) socketEndpoints.push({ path: CHAT_SOCKET_PATH, open: (app) => openChatSockets(app) });
