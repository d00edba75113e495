// Compiles the contracts offline with solc-js (npm `solc`, pinned) into one artifact per contract,
// NAME.json: ABI, bytecode, compiler and settings, in the Truffle artifact shape that web3j's codegen
// (TruffleJsonFunctionWrapperGenerator) reads to generate the Java binding at build time.
// Usage: node rewards/contracts/compile.mjs OUT_DIR
// `make contracts` writes rewards/src/main/resources/ai/payable/rewards/contracts/, which the Java
// side loads; a test recompiles and checks those files are current.
import solc from "solc";
import { readFileSync, writeFileSync, mkdirSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const out = process.argv[2];
const settings = {
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 10000 },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
};
const sources = {};
for (const f of readdirSync(here).filter(f => f.endsWith(".sol"))) {
  sources[f] = { content: readFileSync(join(here, f), "utf8") };
}
const findImports = path => {
  try {
    return { contents: readFileSync(require.resolve(path), "utf8") };
  } catch (e) {
    return { error: `import not found: ${path}` };
  }
};
const result = JSON.parse(solc.compile(JSON.stringify({ language: "Solidity", sources, settings }), { import: findImports }));
// 2394: solc's notice on every tstore, here in OpenZeppelin's TransientSlot behind
// ReentrancyGuardTransient, the use the notice itself calls safe (cleared at the end of the call).
const reported = (result.errors ?? []).filter(e => e.errorCode !== "2394");
const errors = reported.filter(e => e.severity === "error");
for (const e of reported) console.error(e.formattedMessage);
if (errors.length) process.exit(1);
mkdirSync(out, { recursive: true });
for (const file of Object.keys(sources)) {
  for (const [name, c] of Object.entries(result.contracts[file])) {
    const artifact = {
      contractName: name,
      compiler: { name: "solc", version: solc.version() },
      settings: { evmVersion: settings.evmVersion, optimizer: settings.optimizer },
      abi: c.abi,
      bytecode: "0x" + c.evm.bytecode.object,
    };
    writeFileSync(join(out, `${name}.json`), JSON.stringify(artifact, null, 1) + "\n");
    console.log(`${name}: ${c.evm.bytecode.object.length / 2} bytes`);
  }
}
