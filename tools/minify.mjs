#!/usr/bin/env node
// Trunk post_build hook (Trunk.toml): shrink the release bundle's glue, then fix the
// subresource-integrity hashes in index.html. Debug builds (`trunk serve`) are left
// alone.
//
// 1. Import names. wasm-bindgen names every JS function the wasm imports
//    `__wbg_<name>_<16 hex digits>`, and both the wasm's import section and the JS
//    glue's import object spell each name out: about 150 of them, whose hex digits do
//    not compress. Each hashed name is replaced, on both sides, by a short one
//    (`$0`, `$1`, …): an internal ABI between two files built together.
// 2. terser minifies the JS glue (trunk's own minifier rejects it and ships it as is).
// 3. The stylesheets (static/*.css, one concern per source file) are served as one
//    file, concatenated in the page's order: one request, and one gzip stream instead
//    of four (1.5 KB less). Its name carries its own content hash, as trunk's do.
// 4. The modulepreload/preload links carry the SHA-384 of the files trunk wrote; they
//    are rewritten to the new files' hashes, or the browser would refuse them.
//
// Why: the page's bundle budget is counted in gzip bytes. terser comes from
// .tools/node_modules (installed by `./x setup`).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const staging = process.env.TRUNK_STAGING_DIR;
const fail = (msg) => {
  console.error(`minify: ${msg}`);
  process.exit(1);
};
if (!staging) fail('TRUNK_STAGING_DIR is not set (run me as a trunk hook)');
let terser;
try {
  terser = createRequire(path.join(root, '.tools', 'package.json'))('terser');
} catch {
  fail('terser is not installed in .tools (run ./x setup)');
}

// ---- wasm import section (id 2): read and rewrite import field names
const uleb = (buf, at) => {
  let value = 0;
  let shift = 0;
  let pos = at;
  for (;;) {
    const byte = buf[pos++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (byte < 0x80) return [value, pos];
  }
};
const ulebBytes = (n) => {
  const out = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    out.push(byte);
  } while (n > 0);
  return Buffer.from(out);
};
const name = (buf, at) => {
  const [len, start] = uleb(buf, at);
  return [buf.subarray(start, start + len).toString('utf8'), start + len];
};

/** The wasm with hashed import names renamed by `rename(old) -> new | undefined`. */
function renameImports(wasm, rename) {
  let pos = 8;
  const parts = [wasm.subarray(0, 8)];
  while (pos < wasm.length) {
    const id = wasm[pos];
    const [size, body] = uleb(wasm, pos + 1);
    const end = body + size;
    if (id !== 2) {
      parts.push(wasm.subarray(pos, end));
      pos = end;
      continue;
    }
    const [count, first] = uleb(wasm, body);
    const out = [ulebBytes(count)];
    let at = first;
    for (let i = 0; i < count; i++) {
      const [module, afterModule] = name(wasm, at);
      const [field, afterField] = name(wasm, afterModule);
      // The import's kind and its description: copied as they are.
      let descEnd;
      const kind = wasm[afterField];
      if (kind === 0x00) [, descEnd] = uleb(wasm, afterField + 1); // function: type index
      else if (kind === 0x01) {
        // table: reftype, limits
        const flags = wasm[afterField + 2];
        let p = uleb(wasm, afterField + 3)[1];
        if (flags & 1) p = uleb(wasm, p)[1];
        descEnd = p;
      } else if (kind === 0x02) {
        // memory: limits
        const flags = wasm[afterField + 1];
        let p = uleb(wasm, afterField + 2)[1];
        if (flags & 1) p = uleb(wasm, p)[1];
        descEnd = p;
      } else if (kind === 0x03) descEnd = afterField + 3; // global: valtype, mut
      else fail(`unknown import kind ${kind} for ${module}.${field}`);
      const renamed = rename(field) ?? field;
      const moduleBytes = Buffer.from(module, 'utf8');
      const fieldBytes = Buffer.from(renamed, 'utf8');
      out.push(ulebBytes(moduleBytes.length), moduleBytes, ulebBytes(fieldBytes.length), fieldBytes);
      out.push(wasm.subarray(afterField, descEnd));
      at = descEnd;
    }
    if (at !== end) fail('import section did not parse to its end');
    const section = Buffer.concat(out);
    parts.push(Buffer.from([2]), ulebBytes(section.length), section);
    pos = end;
  }
  return Buffer.concat(parts);
}

const files = readdirSync(staging);
const jsName = files.find((f) => f.endsWith('.js'));
const wasmName = files.find((f) => f.endsWith('_bg.wasm'));
if (!jsName || !wasmName) fail(`no JS glue and wasm in ${staging}`);
const original = new Map([jsName, wasmName].map((f) => [f, readFileSync(path.join(staging, f))]));

let js = original.get(jsName).toString('utf8');
const short = new Map();
const wasm = renameImports(original.get(wasmName), (field) => {
  if (!/^__wbg_\w+_[0-9a-f]{16}$/.test(field)) return undefined;
  if (!short.has(field)) short.set(field, `$${short.size.toString(36)}`);
  return short.get(field);
});
for (const [from, to] of short) {
  const n = js.split(from).length - 1;
  if (n !== 1) fail(`${from} appears ${n} times in the JS glue (expected once, as an import key)`);
  js = js.replace(from, to);
}
const out = await terser.minify(js, {
  module: true,
  compress: { passes: 2 },
  mangle: true,
  format: { comments: false },
});
if (!out.code) fail(`terser produced nothing for ${jsName}`);
const written = new Map([
  [jsName, Buffer.from(out.code, 'utf8')],
  [wasmName, wasm],
]);

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const htmlPath = path.join(staging, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
for (const [file, bytes] of written) {
  writeFileSync(path.join(staging, file), bytes);
  html = html.split(sri(original.get(file))).join(sri(bytes));
  console.error(`minify: ${file} ${original.get(file).length} -> ${bytes.length} bytes`);
}

// ---- one stylesheet
const links = [...html.matchAll(/<link\b[^>]*\brel="?stylesheet"?[^>]*>/g)].map((m) => m[0]);
const hrefOf = (link) => {
  const m = /\bhref="?\/?([^" >]+\.css)"?/.exec(link);
  if (!m) fail(`a stylesheet link without a .css href: ${link}`);
  return m[1];
};
if (links.length > 1) {
  const sheets = links.map(hrefOf);
  const css = Buffer.from(sheets.map((f) => readFileSync(path.join(staging, f), 'utf8')).join('\n'), 'utf8');
  const merged = `style-${createHash('sha256').update(css).digest('hex').slice(0, 16)}.css`;
  for (const f of sheets) rmSync(path.join(staging, f));
  writeFileSync(path.join(staging, merged), css);
  html = html.replace(links[0], `<link href=/${merged} integrity=${sri(css)} rel=stylesheet>`);
  for (const link of links.slice(1)) html = html.replace(link, '');
  console.error(`minify: ${sheets.length} stylesheets -> ${merged} (${css.length} bytes)`);
}
writeFileSync(htmlPath, html);
console.error(`minify: ${short.size} import names shortened`);
