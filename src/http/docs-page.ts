/** The API docs page: Swagger UI served from our own node_modules (no CDN), reading our OpenAPI document. */
export const docsPage = (specUrl: string, assets: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Candor API</title>
<link rel="stylesheet" href="${assets}/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="${assets}/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: ${JSON.stringify(specUrl)}, dom_id: '#docs', deepLinking: true });</script>
</body></html>`;
