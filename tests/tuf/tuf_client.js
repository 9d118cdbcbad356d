// The real TUF client for the tests: tuf-js's Updater, exactly as an application uses it.
//
//   node tuf_client.js <metadataDir> <metadataBaseUrl> <targetBaseUrl> <targetDir> [target…]
//
// <metadataDir> must hold root.json, the root the client trusts; tuf-js keeps there what it
// trusted on each run (newer roots, timestamp, snapshot, targets), which is how it refuses a
// rollback on a later run. It refreshes, then downloads each named target (a path relative to
// the tree, e.g. dist/channel-rust-stable.toml) into <targetDir>, verified against targets.json.
// Prints one JSON line: {"ok": true, "root_version": N, "timestamp_version": N,
// "targets": {"<path>": {"length": n, "sha256": "…", "file": "<downloaded to>"}}}
// or {"ok": false, "stage": "refresh"|"lookup"|"download", "target": …, "error": "…"}; exits 0
// only when ok.
'use strict';

const path = require('path');
const { Updater } = require('tuf-js');

async function main() {
  const [metadataDir, metadataBaseUrl, targetBaseUrl, targetDir, ...targets] =
    process.argv.slice(2);
  const updater = new Updater({
    metadataDir,
    metadataBaseUrl,
    targetBaseUrl,
    targetDir,
    // A refused answer is the verdict: no retries that would only slow the test down.
    config: { fetchRetry: 0, fetchTimeout: 30000 },
  });
  const result = { ok: false, stage: 'refresh' };
  try {
    await updater.refresh();
    const trusted = updater.trustedSet;
    result.root_version = trusted.root.signed.version;
    result.timestamp_version = trusted.timestamp.signed.version;
    result.targets = {};
    for (const target of targets) {
      result.stage = 'lookup';
      result.target = target;
      const info = await updater.getTargetInfo(target);
      if (!info) {
        throw new Error(`${target} is not a target`);
      }
      result.stage = 'download';
      const file = path.join(targetDir, encodeURIComponent(target));
      await updater.downloadTarget(info, file);
      result.targets[target] = { length: info.length, sha256: info.hashes.sha256, file };
    }
    delete result.stage;
    delete result.target;
    result.ok = true;
  } catch (error) {
    result.error = `${error.name}: ${error.message}`;
  }
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exitCode = result.ok ? 0 : 1;
}

main();
