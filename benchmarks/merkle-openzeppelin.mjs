// Baseline of the merkle benchmark: @openzeppelin/merkle-tree builds the tree and every proof of
// the same balances. Prints {"accounts", "root", "seconds"} as JSON.
// Leaves carry the claim domain after account and amount, as the distributor's do.
// Usage: node benchmarks/merkle-openzeppelin.mjs balances.csv CHAIN_ID DISTRIBUTOR TOKEN
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { readFileSync } from "node:fs";

const [chainId, distributor, token] = process.argv.slice(3);
const rows = readFileSync(process.argv[2], "utf8").trim().split("\n").slice(1).map(l => [...l.split(","), token, distributor, chainId]);
const start = process.hrtime.bigint();
const tree = StandardMerkleTree.of(rows, ["address", "uint256", "address", "address", "uint256"]);
let proofNodes = 0;
for (let i = 0; i < rows.length; i++) {
  proofNodes += tree.getProof(i).length;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ accounts: rows.length, root: tree.root, proofNodes, seconds }));
