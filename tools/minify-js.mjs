#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml): in release builds, minify the wasm-bindgen JS
// glue with terser and update its subresource-integrity hash in index.html.
//
// Why: trunk's own JS minifier rejects the glue (it warns and ships it as is), and
// the page's bundle budget is counted in gzip bytes: terser takes the glue from 7.8
// to 6.0 KB. The hook runs after trunk has written the final index.html to the
// staging directory, so it rewrites the `integrity` attribute that names the old
// file's SHA-384 (modulepreload link) to the new one; the browser would otherwise
// refuse the script. Debug builds (`trunk serve`) are left alone.
//
// terser comes from .tools/node_modules (installed by `./x setup`).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('minify-js: TRUNK_STAGING_DIR is not set (run me as a trunk hook)');
  process.exit(1);
}
let terser;
try {
  terser = createRequire(path.join(root, '.tools', 'package.json'))('terser');
} catch {
  console.error('minify-js: terser is not installed in .tools (run ./x setup)');
  process.exit(1);
}

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const htmlPath = path.join(staging, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
for (const name of readdirSync(staging).filter((f) => f.endsWith('.js'))) {
  const file = path.join(staging, name);
  const before = readFileSync(file);
  const out = await terser.minify(before.toString('utf8'), {
    module: true,
    compress: { passes: 2 },
    mangle: true,
    format: { comments: false },
  });
  if (!out.code) throw new Error(`minify-js: terser produced nothing for ${name}`);
  writeFileSync(file, out.code);
  const [oldHash, newHash] = [sri(before), sri(out.code)];
  if (html.includes(oldHash)) html = html.split(oldHash).join(newHash);
  console.error(`minify-js: ${name} ${before.length} -> ${out.code.length} bytes`);
}
writeFileSync(htmlPath, html);
