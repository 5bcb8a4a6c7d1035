/**
 * The API docs page: Swagger UI served from our own node_modules (no CDN), reading our OpenAPI
 * document. No inline script (the Content-Security-Policy allows none): start.js reads the
 * document's URL from the page. Swagger UI styles its elements inline, so this page allows inline styles.
 */
export const docsPage = (specUrl: string, assets: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Candor API</title>
<link rel="stylesheet" href="${assets}/swagger-ui.css"></head>
<body><div id="docs" data-spec="${specUrl.replace(/[&"<>]/g, '')}"></div>
<script src="${assets}/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/start.js"></script>
</body></html>`;

export const docsScript = `window.ui = SwaggerUIBundle({ url: document.getElementById('docs').dataset.spec, dom_id: '#docs', deepLinking: true });\n`;
