// Runs before the services harness (npm run services:*), in plain JavaScript so that any Node can run it: the
// harness is TypeScript that Node runs by stripping the types, which needs Node >= 22.18 (or 23.6). On an older
// Node it would fail with "Unknown file extension .ts"; say instead how to get a Node that runs it.
// https://nodejs.org/api/typescript.html#type-stripping
const [major, minor] = process.versions.node.split('.').map(Number);
const strips = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
if (!strips) {
  process.stderr.write(
    `The services harness needs Node 24 (or >= 22.18), which runs TypeScript directly; this is Node ${process.versions.node}.\n` +
      'Get it for this shell with:  source .ci/use-node.sh   (installs Node 24 from npm into .tools/node24 once)\n',
  );
  process.exit(1);
}
