// Injected into the CommonJS bundles in place of import.meta.url.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const __import_meta_url = require("node:url").pathToFileURL(__filename).href;
