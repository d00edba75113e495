#!/usr/bin/env node
// Builds the static claim page: node claim-site/build.mjs OUT_DIR
// Writes OUT_DIR/app.js (esbuild bundle of src/app.js with ethers and @openzeppelin/merkle-tree),
// OUT_DIR/index.html and OUT_DIR/style.css. The Java side writes site.json, proofs/ and accounts/ next to them.
import { copyFile, mkdir, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, "src");

function fail(message) {
  console.error(`claim-site build failed: ${message}`);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith("-")) {
  fail("usage: node claim-site/build.mjs OUT_DIR");
}
const out = resolve(args[0]);

let esbuild;
try {
  esbuild = await import("esbuild");
} catch (e) {
  fail(`cannot load esbuild (run "npm ci" in the repository root): ${e.message}`);
}

try {
  await mkdir(out, { recursive: true });
} catch (e) {
  fail(`cannot create ${out}: ${e.message}`);
}

try {
  await esbuild.build({
    entryPoints: [join(src, "app.js")],
    outfile: join(out, "app.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "silent",
    absWorkingDir: resolve(here, ".."),
  });
} catch (e) {
  const details = (e.errors || []).map((m) => {
    const at = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : "";
    return `  ${at}${m.text}`;
  });
  fail(`bundling src/app.js failed\n${details.length ? details.join("\n") : `  ${e.message}`}`);
}

for (const name of ["index.html", "style.css"]) {
  try {
    await copyFile(join(src, name), join(out, name));
  } catch (e) {
    fail(`cannot copy ${name}: ${e.message}`);
  }
}

const size = (await stat(join(out, "app.js"))).size;
console.log(`claim-site built in ${out} (app.js ${(size / 1024).toFixed(0)} KiB, esbuild ${esbuild.version})`);
