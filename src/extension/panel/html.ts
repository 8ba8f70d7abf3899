// The panel's HTML: a strict CSP (nonce'd script, styles and images only from the extension),
// no inline code, nothing remote.
export interface PanelHtmlInput {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `style-src ${cspSource}`, `img-src ${cspSource} data:`, `font-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join("; ");
}

export function panelHtml({ cspSource, nonce, scriptUri, styleUri }: PanelHtmlInput): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link href="${styleUri}" rel="stylesheet"><title>Idempotency Lab</title></head>
<body><div id="app" data-testid="app"></div><script nonce="${nonce}" src="${scriptUri}"></script></body></html>`;
}
