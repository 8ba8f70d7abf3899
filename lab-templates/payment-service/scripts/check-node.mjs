// The Restate TypeScript SDK 1.15+ needs Node.js 22 or newer; on older versions every
// invocation fails with an obscure TypeError. Say so plainly before starting anything.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(
    `This lab needs Node.js 22 or newer, but "${process.execPath}" is ${process.version}. ` +
      "Install Node.js 22+ (or put it first on PATH) and run the command again.",
  );
  process.exit(1);
}
