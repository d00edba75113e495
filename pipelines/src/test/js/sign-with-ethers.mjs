// Signs sample records exactly as the README tells contributors to, with ethers v6, and prints
// one JSONL submission per record plus its EIP-712 digest (to compare with our record_id).
// Usage: PRIVATE_KEY=0x… node sign-with-ethers.mjs < records.json
import { Wallet, TypedDataEncoder } from "ethers";
import { readFileSync } from "node:fs";

const domain = { name: "Payable AI DataNet", version: "1" };
const types = { Record: [
  { name: "datanet", type: "string" }, { name: "contributor", type: "address" },
  { name: "license", type: "string" }, { name: "kind", type: "string" },
  { name: "prompt", type: "string" }, { name: "completion", type: "string" },
  { name: "text", type: "string" }, { name: "createdAt", type: "string" } ] };

const wallet = new Wallet(process.env.PRIVATE_KEY);
const records = JSON.parse(readFileSync(0, "utf8"));
for (const r of records) {
  const record = { ...r, contributor: wallet.address };
  const signature = await wallet.signTypedData(domain, types, record);
  const digest = TypedDataEncoder.hash(domain, types, record);
  console.log(JSON.stringify({ line: JSON.stringify({ ...record, signature }), digest }));
}
