// What a contributor does with our published files: load tree.json with OpenZeppelin's library
// (which validates every node), rebuild the root from the values, and verify each proof of
// proofs.json with the leaf fields it names (account, cumulative, then the claim domain: token,
// distributor, chain id). Prints {"root", "proofsRoot", "rebuiltRoot", "verified", "failed"} as JSON.
// Usage: node verify-with-openzeppelin.mjs DIR
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const LEAF = ["address", "uint256", "address", "address", "uint256"];
const dir = process.argv[2];
const dump = JSON.parse(readFileSync(join(dir, "tree.json"), "utf8"));
if (JSON.stringify(dump.leafEncoding) !== JSON.stringify(LEAF)) throw new Error(`unexpected leaf encoding ${dump.leafEncoding}`);
const tree = StandardMerkleTree.load(dump);
const { root, domain, claims } = JSON.parse(readFileSync(join(dir, "proofs.json"), "utf8"));
const rebuilt = StandardMerkleTree.of(Array.from(tree.entries(), ([, v]) => v), LEAF);
let verified = 0;
let failed = 0;
for (const [account, { cumulative, proof }] of Object.entries(claims)) {
  const leaf = [account, cumulative, domain.token, domain.distributor, String(domain.chainId)];
  const ok = StandardMerkleTree.verify(root, LEAF, leaf, proof) && tree.getProof(leaf).join() === proof.join();
  ok ? verified++ : failed++;
}
console.log(JSON.stringify({ root: tree.root, proofsRoot: root, rebuiltRoot: rebuilt.root, verified, failed }));
