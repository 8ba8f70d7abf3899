// When the extension's code started running: imported first by extension.ts, so its module body
// runs before every other module of the bundle.
export const bundleStart = performance.now();
