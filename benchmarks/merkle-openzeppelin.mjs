// Baseline of the merkle benchmark: @openzeppelin/merkle-tree builds the tree and every proof of
// the same balances. Prints {"accounts", "root", "seconds"} as JSON.
// Usage: node benchmarks/merkle-openzeppelin.mjs balances.csv
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { readFileSync } from "node:fs";

const rows = readFileSync(process.argv[2], "utf8").trim().split("\n").slice(1).map(l => l.split(","));
const start = process.hrtime.bigint();
const tree = StandardMerkleTree.of(rows, ["address", "uint256"]);
let proofNodes = 0;
for (let i = 0; i < rows.length; i++) {
  proofNodes += tree.getProof(i).length;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ accounts: rows.length, root: tree.root, proofNodes, seconds }));
