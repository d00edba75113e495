// What a contributor does with our published files: load tree.json with OpenZeppelin's library
// (which validates every node), rebuild the root from the values, and verify each proof of
// proofs.json. Prints {"root", "rebuiltRoot", "verified", "failed"} as JSON.
// Usage: node verify-with-openzeppelin.mjs DIR
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
const tree = StandardMerkleTree.load(JSON.parse(readFileSync(join(dir, "tree.json"), "utf8")));
const { root, claims } = JSON.parse(readFileSync(join(dir, "proofs.json"), "utf8"));
const rebuilt = StandardMerkleTree.of(Array.from(tree.entries(), ([, v]) => v), ["address", "uint256"]);
let verified = 0;
let failed = 0;
for (const [account, { cumulative, proof }] of Object.entries(claims)) {
  const ok = StandardMerkleTree.verify(root, ["address", "uint256"], [account, cumulative], proof)
    && tree.getProof([account, cumulative]).join() === proof.join();
  ok ? verified++ : failed++;
}
console.log(JSON.stringify({ root: tree.root, proofsRoot: root, rebuiltRoot: rebuilt.root, verified, failed }));
