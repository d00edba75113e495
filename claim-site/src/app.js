// Claim page: shows a contributor what they earned, why, and lets them claim it from the
// RewardsDistributor through their browser wallet.
//
// Data (relative URLs, written next to index.html by the Java side):
//   site.json                            distribution root, chain, contract, token
//   proofs/<prefix>.json                 cumulative amount + Merkle proof per account
//   accounts/<prefix>/<address>.json     why-you-were-paid lineage (optional)
//
// Tests rely on document.body.dataset.state (see STATES) and on the element ids in index.html.

import { BrowserProvider, Contract, Interface, formatUnits, getAddress, isAddress } from "ethers";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

const SITE_FORMAT = "payable-claim-site-v1";
const LEAF_ENCODING = ["address", "uint256", "address", "address", "uint256"];
const DISTRIBUTOR_ABI = [
  "function root() view returns (bytes32)",
  "function epoch() view returns (uint64)",
  "function claimed(address) view returns (uint256)",
  "function paused() view returns (bool)",
  "function claim(address account, uint256 cumulative, bytes32[] proof) returns (uint256)",
  "event Claimed(address indexed account, uint256 amount, uint256 cumulative)",
  "error InvalidProof()",
  "error NothingToClaim(uint256 cumulative, uint256 alreadyClaimed)",
  "error EnforcedPause()",
];
const TOKEN_ABI = ["function balanceOf(address) view returns (uint256)"];
const STATES = new Set([
  "idle", "no-wallet", "wrong-network", "no-reward", "root-mismatch", "paused", "ready",
  "confirm", "pending", "claimed", "nothing-to-claim", "rejected", "error",
]);
const METHOD_WORDS = {
  span: "your words appear in the answer",
  gradient: "the model learned from your record",
  retrieval: "your record was looked up to write the answer",
  fallback: "no single record stood out, so every record the model trained on shares",
};
const ROLE_WORDS = { data: "for your data", model_builder: "as the builder of the model that answered", protocol: "protocol share" };
const DAY_MS = 86_400_000;

const distributorInterface = new Interface(DISTRIBUTOR_ABI);

const $ = (id) => document.getElementById(id);
const ui = {
  distribution: $("distribution"),
  status: $("status"),
  connect: $("connect"),
  switchNetwork: $("switch-network"),
  accountLine: $("account-line"),
  account: $("account"),
  amountsSection: $("amounts-section"),
  amountsFor: $("amounts-for"),
  cumulative: $("cumulative"),
  claimed: $("claimed"),
  claimable: $("claimable"),
  balanceLine: $("balance-line"),
  balance: $("balance"),
  proofCheck: $("proof-check"),
  claim: $("claim"),
  lookupForm: $("lookup-form"),
  lookupAddress: $("lookup-address"),
  lookup: $("lookup"),
  historySection: $("history-section"),
  history: $("history"),
  whySection: $("why-section"),
  why: $("why"),
  footer: $("footer-note"),
};

// ---- page state -------------------------------------------------------------------------

let site = null;          // validated site.json
let account = null;       // connected wallet account (checksummed), or null
let provider = null;      // ethers BrowserProvider for the current chain, or null
let current = null;       // { mode: "wallet"|"lookup", address, entry, chain, claimable }
let run = 0;              // bumped by every new flow; stale flows stop touching the page
let busy = false;         // a claim is in flight
let recheckAfterClaim = false;
let listening = false;
const shards = new Map(); // prefix -> Promise<shard or null>

window.__payableStates = [];

function setState(state, message) {
  if (!STATES.has(state)) throw new Error(`unknown state ${state}`);
  document.body.dataset.state = state;
  ui.status.textContent = message;
  window.__payableStates.push(state);
  keepFocus();
}

/** When the focused button was just hidden or disabled, move keyboard focus to the next useful control. */
let lastFocused = null;
document.addEventListener("focusin", (e) => { lastFocused = e.target; });

function keepFocus() {
  const buttons = [ui.connect, ui.switchNetwork, ui.claim];
  if (!buttons.includes(lastFocused) || !(lastFocused.hidden || lastFocused.disabled)) return;
  const active = document.activeElement;
  if (active && active !== document.body && active !== lastFocused) return;
  const next = [ui.claim, ui.switchNetwork, ui.connect].find((b) => !b.hidden && !b.disabled);
  if (next) next.focus();
}

function tokenAmount(wei) {
  return `${formatUnits(wei, site.token.decimals)} ${site.token.symbol}`;
}

function showAmount(el, wei, missing = "—") {
  if (wei == null) {
    el.textContent = missing;
    delete el.dataset.wei;
  } else {
    el.textContent = tokenAmount(wei);
    el.dataset.wei = wei.toString();
  }
}

function dayToDate(day) {
  return new Date(Number(day) * DAY_MS).toISOString().slice(0, 10);
}

function dateToDay(date) {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function hexChainId(id) {
  return `0x${Number(id).toString(16)}`;
}

// ---- data files -------------------------------------------------------------------------

async function fetchJson(url) {
  const res = await fetch(url, { cache: "no-store" });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`could not load ${url} (HTTP ${res.status})`);
  try {
    return await res.json();
  } catch {
    throw new Error(`${url} is not valid JSON`);
  }
}

function isHex32(v) {
  return typeof v === "string" && /^0x[0-9a-fA-F]{64}$/.test(v);
}

async function loadSite() {
  const s = await fetchJson("site.json");
  if (s == null) throw new Error("site.json is missing next to this page");
  const problems = [];
  if (s.format !== SITE_FORMAT) problems.push(`format is "${s.format}", expected "${SITE_FORMAT}"`);
  if (typeof s.epoch !== "string" || Number.isNaN(dateToDay(s.epoch))) problems.push("epoch is not a date");
  if (!isHex32(s.root)) problems.push("root is not 32 bytes of hex");
  const d = s.domain || {};
  if (!Number.isSafeInteger(d.chainId) || d.chainId <= 0) problems.push("domain.chainId is not a chain id");
  if (!isAddress(d.distributor)) problems.push("domain.distributor is not an address");
  if (!isAddress(d.token)) problems.push("domain.token is not an address");
  const t = s.token || {};
  if (typeof t.symbol !== "string" || !t.symbol) problems.push("token.symbol is missing");
  if (!Number.isInteger(t.decimals) || t.decimals < 0 || t.decimals > 77) problems.push("token.decimals is not a number of decimals");
  const p = s.shards && s.shards.prefixLength;
  if (!Number.isInteger(p) || p < 0 || p > 40) problems.push("shards.prefixLength is not between 0 and 40");
  if (problems.length) throw new Error(`site.json: ${problems.join("; ")}`);
  return {
    ...s,
    root: s.root.toLowerCase(),
    domain: { chainId: d.chainId, distributor: getAddress(d.distributor.toLowerCase()), token: getAddress(d.token.toLowerCase()) },
  };
}

function prefixOf(address) {
  return address.toLowerCase().slice(2, 2 + site.shards.prefixLength);
}

function loadShard(prefix) {
  if (!shards.has(prefix)) {
    const p = fetchJson(`proofs/${prefix}.json`);
    p.catch(() => shards.delete(prefix)); // retry a failed load next time
    shards.set(prefix, p);
  }
  return shards.get(prefix);
}

/** The account's entry in its proof shard, or null when it has no reward. */
async function loadEntry(address) {
  const shard = await loadShard(prefixOf(address));
  if (shard == null || shard.claims == null) return null;
  const want = address.toLowerCase();
  const key = Object.keys(shard.claims).find((k) => k.toLowerCase() === want);
  if (key === undefined) return null;
  const raw = shard.claims[key];
  let cumulative;
  try {
    cumulative = BigInt(raw.cumulative);
  } catch {
    throw new Error(`proofs/${prefixOf(address)}.json: the amount for ${address} is not a number`);
  }
  if (!Array.isArray(raw.proof) || !raw.proof.every(isHex32)) {
    throw new Error(`proofs/${prefixOf(address)}.json: the proof for ${address} is malformed`);
  }
  return { account: getAddress(address.toLowerCase()), cumulative, proof: raw.proof.map((h) => h.toLowerCase()) };
}

/** The why-you-were-paid file; null when missing or unreadable (the page then shows nothing for it). */
async function loadLineage(address) {
  const a = address.toLowerCase();
  try {
    const l = await fetchJson(`accounts/${prefixOf(a)}/${a}.json`);
    return l && Array.isArray(l.epochs) ? l : null;
  } catch (e) {
    console.warn("lineage not shown:", e);
    return null;
  }
}

function proofMatchesSiteRoot(entry) {
  try {
    const values = [entry.account, entry.cumulative, site.domain.token, site.domain.distributor, BigInt(site.domain.chainId)];
    return StandardMerkleTree.verify(site.root, LEAF_ENCODING, values, entry.proof);
  } catch (e) {
    console.warn("proof check failed:", e);
    return false;
  }
}

// ---- chain ------------------------------------------------------------------------------

function newProvider() {
  return new BrowserProvider(window.ethereum, "any", { pollingInterval: 1000 });
}

async function walletChainId() {
  return Number.parseInt(await window.ethereum.request({ method: "eth_chainId" }), 16);
}

async function readChain(prov, address) {
  const code = await prov.getCode(site.domain.distributor);
  if (!code || code === "0x") {
    throw new Error(`there is no rewards contract at ${site.domain.distributor} on network ${site.domain.chainId}`);
  }
  const distributor = new Contract(site.domain.distributor, DISTRIBUTOR_ABI, prov);
  const token = new Contract(site.domain.token, TOKEN_ABI, prov);
  const [root, epoch, paused, claimed, balance] = await Promise.all([
    distributor.root(), distributor.epoch(), distributor.paused(), distributor.claimed(address),
    token.balanceOf(address).catch(() => null),
  ]);
  return { root: root.toLowerCase(), epoch, paused, claimed, balance };
}

function rootMismatchMessage(chain) {
  const siteDay = dateToDay(site.epoch);
  const chainDay = Number(chain.epoch);
  const base = `This page is for the distribution of ${site.epoch}, but the rewards contract currently pays out `;
  let why;
  if (chainDay === 0 && /^0x0+$/.test(chain.root)) {
    why = "no distribution yet. This one has not been accepted by governance yet.";
  } else if (chainDay < siteDay) {
    why = `the distribution of ${dayToDate(chainDay)}. This one has not been accepted by governance yet; come back later.`;
  } else if (chainDay > siteDay) {
    why = `a newer distribution (${dayToDate(chainDay)}). Open the newest claim page to claim.`;
  } else {
    why = "a different distribution for the same day. Open the newest claim page to claim.";
  }
  return `${base}${why} Claiming is disabled on this page.`;
}

function isRejection(e) {
  return !!e && (e.code === 4001 || e.code === "ACTION_REJECTED" ||
    (e.info && e.info.error && e.info.error.code === 4001) || (e.error && e.error.code === 4001));
}

/** { name, args } of a contract revert, or null. */
function decodeRevert(e) {
  if (e && e.revert && e.revert.name) return { name: e.revert.name, args: e.revert.args };
  const seen = new Set();
  const queue = [e];
  while (queue.length) {
    const x = queue.shift();
    if (x == null || seen.has(x)) continue;
    seen.add(x);
    if (typeof x === "string") {
      if (/^0x[0-9a-fA-F]{8}/.test(x)) {
        try {
          const parsed = distributorInterface.parseError(x);
          if (parsed) return { name: parsed.name, args: parsed.args };
        } catch { /* not one of ours */ }
        if (x.startsWith("0x08c379a0")) {
          try {
            const [reason] = distributorInterface.getAbiCoder().decode(["string"], `0x${x.slice(10)}`);
            return { name: "Error", args: [reason] };
          } catch { /* ignore */ }
        }
      }
      continue;
    }
    if (typeof x === "object") {
      queue.push(x.data, x.error, x.info, x.info && x.info.error);
    }
  }
  return null;
}

function revertInWords(rev) {
  switch (rev.name) {
    case "InvalidProof":
      return "The rewards contract refused the claim (InvalidProof): the proof does not match the distribution on chain. Nothing was paid.";
    case "NothingToClaim":
      return `The rewards contract refused the claim (NothingToClaim): everything earned (${tokenAmount(rev.args[0])}) has already been claimed (${tokenAmount(rev.args[1])}).`;
    case "EnforcedPause":
      return "The rewards contract refused the claim (EnforcedPause): claims are paused by governance right now. Try again later.";
    case "Error":
      return `The rewards contract refused the claim: ${rev.args[0]}.`;
    default:
      return `The rewards contract refused the claim (${rev.name}).`;
  }
}

function errorInWords(e) {
  const rev = decodeRevert(e);
  if (rev) return revertInWords(rev);
  const msg = (e && (e.shortMessage || e.message)) || String(e);
  return `Something went wrong: ${msg}`;
}

// ---- rendering --------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) {
    if (c == null) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

function safeAmount(v) {
  try {
    return tokenAmount(BigInt(v));
  } catch {
    return "an unknown amount";
  }
}

function percent(share) {
  const n = Number(share);
  if (!Number.isFinite(n)) return "?";
  return new Intl.NumberFormat("en", { style: "percent", maximumFractionDigits: 1 }).format(n);
}

function renderLineage(lineage) {
  ui.history.replaceChildren();
  ui.why.replaceChildren();
  const epochs = lineage ? lineage.epochs.filter((e) => e && typeof e.epoch === "string") : [];
  ui.historySection.hidden = epochs.length === 0;
  ui.whySection.hidden = epochs.length === 0;
  for (const ep of epochs) {
    const roles = Object.entries(ep.byRole || {})
      .filter(([, v]) => { try { return BigInt(v) > 0n; } catch { return false; } })
      .map(([role, v]) => `${ROLE_WORDS[role] || role}: ${safeAmount(v)}`);
    ui.history.append(el("li", {}, `Earned on ${ep.epoch}: ${safeAmount(ep.earned)}`,
      roles.length ? el("span", { class: "roles" }, roles.join(" · ")) : null));

    const block = el("section", { class: "why-epoch", "aria-label": `Why you were paid on ${ep.epoch}` },
      el("h3", {}, ep.epoch));
    const answers = Array.isArray(ep.answers) ? ep.answers : [];
    const records = ep.records && typeof ep.records === "object" ? ep.records : {};
    if (answers.length) {
      block.append(el("h4", {}, "Answers that used your records"));
      for (const a of answers) {
        const credits = el("ul", { class: "credits" });
        for (const c of Array.isArray(a.credits) ? a.credits : []) {
          const method = String(c.method || "unknown");
          const words = METHOD_WORDS[method];
          credits.append(el("li", {},
            "Record ", el("code", {}, String(c.recordId || "?")),
            `: matched by ${method}${words ? ` (${words})` : ""}, ${percent(c.share)} of the answer's data reward` +
            (c.amount != null ? `, earned ${safeAmount(c.amount)}` : "")));
        }
        block.append(el("div", { class: "answer" },
          el("p", { class: "question" }, `Question: ${a.question || "(not recorded)"}`),
          a.answer ? el("blockquote", {}, `Answer: ${a.answer}`) : null,
          a.fee != null ? el("p", { class: "fee" }, `The asker paid ${safeAmount(a.fee)} for this answer.`) : null,
          credits));
      }
    }
    const recordIds = Object.keys(records);
    if (recordIds.length) {
      block.append(el("h4", {}, "Your records used"));
      const list = el("ul", { class: "records" });
      for (const id of recordIds) {
        const r = records[id] || {};
        list.append(el("li", {},
          el("code", {}, id), ` · DataNet ${r.datanet || "?"} · `,
          el("span", { class: "first-words" }, `“${r.firstWords || ""}”`),
          " · from ", el("code", {}, String(r.landingFile || "?")),
          r.line != null ? `, line ${r.line}` : ""));
      }
      block.append(list);
    }
    if (!answers.length && !recordIds.length) block.append(el("p", { class: "muted" }, "No details for this day."));
    ui.why.append(block);
  }
}

function clearAmounts() {
  ui.amountsSection.hidden = true;
  ui.proofCheck.hidden = true;
  ui.claim.hidden = true;
  ui.claim.disabled = true;
  ui.balanceLine.hidden = true;
  for (const e of [ui.cumulative, ui.claimed, ui.claimable]) showAmount(e, null);
}

function showWalletControls() {
  const inWallet = current && current.mode === "wallet";
  ui.connect.hidden = !!account && !!inWallet;
  ui.accountLine.hidden = !account;
  ui.account.textContent = account || "";
}

function renderAmounts(address, entry, chain, mode) {
  ui.amountsSection.hidden = false;
  ui.amountsFor.textContent = mode === "wallet" ? "For your connected account." : `For ${address} (read-only look-up).`;
  showAmount(ui.cumulative, entry.cumulative);
  let claimable = null;
  if (chain) {
    claimable = entry.cumulative > chain.claimed ? entry.cumulative - chain.claimed : 0n;
    showAmount(ui.claimed, chain.claimed);
    showAmount(ui.claimable, claimable);
    ui.balanceLine.hidden = chain.balance == null;
    if (chain.balance != null) ui.balance.textContent = tokenAmount(chain.balance);
  } else {
    showAmount(ui.claimed, null, "Needs a wallet");
    showAmount(ui.claimable, null, "Needs a wallet");
    ui.balanceLine.hidden = true;
  }
  const rootOk = chain && chain.root === site.root;
  ui.proofCheck.hidden = !!chain && !rootOk;
  ui.proofCheck.textContent = rootOk
    ? "Proof checked in your browser against the on-chain root"
    : "Proof checked in your browser against this page's root (connect a wallet on the right network to compare it with the chain)";
  ui.claim.hidden = mode !== "wallet";
  ui.claim.disabled = true;
  ui.claim.textContent = "Claim rewards";
  return claimable;
}

/** Sets the state that follows from the chain reads; enables the claim button when claiming can work. */
function settle(claimable, chain, mode, address) {
  if (chain.root !== site.root) {
    setState("root-mismatch", rootMismatchMessage(chain) + (chain.paused ? " Claims are also paused by governance." : ""));
    return;
  }
  if (chain.paused) {
    setState("paused", "Claims are paused by governance right now, so claiming is disabled. Your reward stays safe; try again later.");
    return;
  }
  if (mode !== "wallet") {
    setState("idle", claimable > 0n
      ? `Read-only look-up for ${address}: ${tokenAmount(claimable)} can be claimed now by the wallet of this address.`
      : `Read-only look-up for ${address}: nothing to claim right now.`);
    return;
  }
  if (claimable > 0n) {
    ui.claim.disabled = false;
    ui.claim.textContent = `Claim ${tokenAmount(claimable)}`;
    setState("ready", `You can claim ${tokenAmount(claimable)} now.`);
  } else {
    setState("nothing-to-claim", `Nothing to claim right now: you have already claimed everything you earned up to ${site.epoch}.`);
  }
}

// ---- flows ------------------------------------------------------------------------------

function showNoWallet() {
  setState("no-wallet",
    "No browser wallet found. To claim, you need a browser wallet (for example MetaMask, Rabby or Coinbase Wallet, " +
    "as a browser extension or inside a wallet app). You can still look up any address below.");
}

async function connect() {
  if (!window.ethereum || typeof window.ethereum.request !== "function") {
    showNoWallet();
    ui.lookupAddress.focus();
    return;
  }
  const my = ++run;
  setState("idle", "Asking your wallet to connect…");
  try {
    const accounts = await window.ethereum.request({ method: "eth_requestAccounts" });
    if (my !== run) return;
    if (!Array.isArray(accounts) || accounts.length === 0) throw new Error("the wallet shared no account");
    account = getAddress(String(accounts[0]).toLowerCase());
    listen();
    await refreshWallet(my);
  } catch (e) {
    if (my !== run) return;
    if (isRejection(e)) setState("rejected", "You declined in your wallet; nothing was shared.");
    else setState("error", `Could not connect to your wallet: ${(e && (e.shortMessage || e.message)) || e}`);
  }
}

function listen() {
  const eth = window.ethereum;
  if (listening || typeof eth.on !== "function") return;
  listening = true;
  eth.on("chainChanged", () => {
    provider = null;
    if (!account || !current || current.mode !== "wallet") return;
    if (busy) { recheckAfterClaim = true; return; }
    refreshWallet(++run);
  });
  eth.on("accountsChanged", (accounts) => {
    if (busy) { recheckAfterClaim = true; return; }
    if (!Array.isArray(accounts) || accounts.length === 0) {
      account = null;
      ++run;
      current = null;
      clearAmounts();
      renderLineage(null);
      showWalletControls();
      setState("idle", "Your wallet disconnected. Connect again to see and claim your rewards.");
      return;
    }
    account = getAddress(String(accounts[0]).toLowerCase());
    if (current && current.mode === "wallet") refreshWallet(++run);
  });
}

/**
 * The address's proof entry, checked against this page's root, with its lineage shown; null after
 * saying why there is none (no reward, a proof that does not lead to the root), or when a newer
 * action has started meanwhile.
 */
async function loadChecked(address, my, whose) {
  const [entry, lineage] = await Promise.all([loadEntry(address), loadLineage(address)]);
  if (my !== run) return null;
  renderLineage(lineage);
  if (!entry) {
    clearAmounts();
    setState("no-reward", `This account has no reward in the distribution of ${site.epoch}.`);
    return null;
  }
  if (!proofMatchesSiteRoot(entry)) {
    clearAmounts();
    setState("error", `This page's proof for ${whose} does not match its own distribution root, so it cannot be trusted. ` +
      "Nothing was sent. Please tell the Payable AI team.");
    return null;
  }
  return entry;
}

/** Checks the network, loads the connected account's reward and the chain state, and settles the state. */
async function refreshWallet(my) {
  current = { mode: "wallet", address: account };
  showWalletControls();
  ui.switchNetwork.hidden = true;
  try {
    const chainId = await walletChainId();
    if (my !== run) return;
    if (chainId !== site.domain.chainId) {
      clearAmounts();
      renderLineage(null);
      ui.switchNetwork.hidden = false;
      setState("wrong-network",
        `Your wallet is on network ${chainId}, but these rewards are paid on network ${site.domain.chainId}. ` +
        `Press “Switch network” or choose network ${site.domain.chainId} in your wallet.`);
      return;
    }
    setState("idle", "Checking your rewards…");
    const entry = await loadChecked(account, my, "your account");
    if (!entry) return;
    provider = newProvider();
    const chain = await readChain(provider, account);
    if (my !== run) return;
    const claimable = renderAmounts(account, entry, chain, "wallet");
    current = { mode: "wallet", address: account, entry, chain, claimable };
    settle(claimable, chain, "wallet", account);
  } catch (e) {
    if (my !== run) return;
    setState("error", `Could not check your rewards: ${(e && (e.shortMessage || e.message)) || e}`);
  }
}

async function switchNetwork() {
  const my = ++run;
  try {
    await window.ethereum.request({ method: "wallet_switchEthereumChain", params: [{ chainId: hexChainId(site.domain.chainId) }] });
    if (my !== run) return; // chainChanged already re-checked
    await refreshWallet(my);
  } catch (e) {
    if (my !== run) return;
    const base = `These rewards are paid on network ${site.domain.chainId}. `;
    if (isRejection(e)) {
      setState("wrong-network", `${base}You declined the network switch in your wallet; choose network ${site.domain.chainId} to continue.`);
    } else if (e && e.code === 4902) {
      setState("wrong-network", `${base}Your wallet does not know this network yet. Add network ${site.domain.chainId} in your wallet, then press “Switch network” again.`);
    } else {
      setState("wrong-network", `${base}Your wallet could not switch (${(e && e.message) || e}). Choose network ${site.domain.chainId} in your wallet.`);
    }
    ui.switchNetwork.hidden = false;
  }
}

async function claim() {
  if (busy || !current || current.mode !== "wallet" || !current.entry || !account) return;
  busy = true;
  const my = ++run;
  const { entry } = current;
  ui.claim.disabled = true;
  try {
    if ((await walletChainId()) !== site.domain.chainId) {
      busy = false;
      await refreshWallet(my);
      return;
    }
    const prov = provider || newProvider();
    const distributor = new Contract(site.domain.distributor, DISTRIBUTOR_ABI, prov);
    // Dry run first: a claim that would fail is explained without asking the wallet.
    await distributor.claim.staticCall(account, entry.cumulative, entry.proof, { from: account });
    setState("confirm", "Confirm in your wallet…");
    const signer = await prov.getSigner(account);
    const tx = await distributor.claim.populateTransaction(account, entry.cumulative, entry.proof);
    const hash = await signer.sendUncheckedTransaction({ ...tx, from: account });
    window.__payableLastTx = hash;
    setState("pending", `Sent: transaction ${hash} waiting to be mined…`);
    const receipt = await prov.waitForTransaction(hash, 1);
    if (!receipt || receipt.status !== 1) {
      throw new Error(`the transaction ${hash} failed on chain${receipt ? ` (block ${receipt.blockNumber})` : ""}`);
    }
    let paid = null;
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== site.domain.distributor.toLowerCase()) continue;
      try {
        const parsed = distributorInterface.parseLog(log);
        if (parsed && parsed.name === "Claimed") paid = parsed.args.amount;
      } catch { /* another event */ }
    }
    if (paid == null) paid = current.claimable || 0n;
    // Refresh the amounts; keep the "claimed" state so the outcome stays on screen.
    let tail = "";
    try {
      const chain = await readChain(prov, account);
      const claimable = renderAmounts(account, entry, chain, "wallet");
      current = { mode: "wallet", address: account, entry, chain, claimable };
      if (claimable > 0n && !chain.paused && chain.root === site.root) {
        ui.claim.disabled = false;
        ui.claim.textContent = `Claim ${tokenAmount(claimable)}`;
        tail = ` You can claim ${tokenAmount(claimable)} more.`;
      } else {
        tail = " Nothing to claim right now.";
      }
    } catch (e) {
      console.warn("refresh after claim failed:", e);
    }
    setState("claimed", `Claimed ${tokenAmount(paid)} (block ${receipt.blockNumber}).${tail}`);
  } catch (e) {
    if (isRejection(e)) {
      setState("rejected", "You declined in your wallet; nothing was sent.");
    } else {
      setState("error", errorInWords(e));
    }
    ui.claim.disabled = !(current && current.claimable > 0n && current.chain && !current.chain.paused && current.chain.root === site.root);
  } finally {
    busy = false;
    if (recheckAfterClaim) {
      recheckAfterClaim = false;
      provider = null;
      if (account) refreshWallet(++run);
    }
  }
}

async function lookup(event) {
  event.preventDefault();
  const raw = ui.lookupAddress.value.trim();
  ui.lookupAddress.removeAttribute("aria-invalid");
  if (!isAddress(raw)) {
    ui.lookupAddress.setAttribute("aria-invalid", "true");
    ui.lookupAddress.focus();
    setState("error", isAddress(raw.toLowerCase())
      ? "That address has a typo: its capital letters do not match its checksum. Please copy it again."
      : "That is not a valid address. An address is 0x followed by 40 characters (digits and the letters a to f).");
    return;
  }
  const address = getAddress(raw.toLowerCase());
  if (account && address === account) {
    await refreshWallet(++run);
    return;
  }
  const my = ++run;
  current = { mode: "lookup", address };
  showWalletControls();
  ui.switchNetwork.hidden = true;
  setState("idle", `Looking up ${address}…`);
  try {
    const entry = await loadChecked(address, my, "that address");
    if (!entry) return;
    // Read the chain only when a wallet is present and already on the right network (asks nothing of the user).
    let chain = null;
    if (window.ethereum && typeof window.ethereum.request === "function") {
      try {
        if ((await walletChainId()) === site.domain.chainId) chain = await readChain(newProvider(), address);
      } catch (e) {
        console.warn("read-only chain check skipped:", e);
      }
    }
    if (my !== run) return;
    const claimable = renderAmounts(address, entry, chain, "lookup");
    current = { mode: "lookup", address, entry, chain, claimable };
    if (chain) {
      settle(claimable, chain, "lookup", address);
    } else {
      setState("idle", `Read-only look-up for ${address}: earned ${tokenAmount(entry.cumulative)} in total up to ${site.epoch}. ` +
        "Connect the wallet of this address to see what is claimable and to claim.");
    }
  } catch (e) {
    if (my !== run) return;
    setState("error", `Could not look up that address: ${(e && (e.shortMessage || e.message)) || e}`);
  }
}

// ---- start ------------------------------------------------------------------------------

async function start() {
  ui.connect.disabled = true;
  ui.lookup.disabled = true;
  try {
    site = await loadSite();
  } catch (e) {
    ui.distribution.textContent = "Distribution data not available";
    setState("error", `Could not load this page's distribution data: ${e.message || e}`);
    return;
  }
  ui.distribution.textContent = `Distribution of ${site.epoch} · paid in ${site.token.symbol} on network ${site.domain.chainId}`;
  ui.footer.textContent = `Rewards contract ${site.domain.distributor} on network ${site.domain.chainId}. ` +
    `Distribution root ${site.root}.` + (site.generatedAt ? ` Page data generated ${site.generatedAt}.` : "");
  ui.connect.disabled = false;
  ui.lookup.disabled = false;
  ui.connect.addEventListener("click", connect);
  ui.switchNetwork.addEventListener("click", switchNetwork);
  ui.claim.addEventListener("click", claim);
  ui.lookupForm.addEventListener("submit", lookup);
  if (window.ethereum) {
    setState("idle", "Connect your wallet to see and claim your rewards, or look up an address below.");
  } else {
    showNoWallet();
    // Some wallets inject themselves a moment after the page loads.
    window.addEventListener("ethereum#initialized", () => {
      if (document.body.dataset.state === "no-wallet") {
        setState("idle", "Wallet found. Connect your wallet to see and claim your rewards.");
      }
    }, { once: true });
  }
}

start();
