package ai.payable.rewards.merkle;

import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.identity.Address;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenZeppelin's {@code StandardMerkleTree} for leaf encoding {@code
 * ["address","uint256","address","address","uint256"]}, built so that its {@code standard-v1} dump
 * loads in {@code @openzeppelin/merkle-tree} and its proofs verify with {@code MerkleProof.verify}
 * on-chain:
 *
 * <ul>
 *   <li>leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulative, token,
 *       distributor, chainId)))), the double hash that keeps a leaf from being mistaken for an
 *       internal node; the last three fields are the tree's {@link ClaimDomain};
 *   <li>leaves sorted by hash, placed at the end of a flat array in reverse order;
 *   <li>node i = keccak256(sorted(left, right)) with children 2i+1 and 2i+2; the root is node 0.
 * </ul>
 */
public final class RewardsMerkleTree {

  /** The leaf encoding, as the dump names it: account, cumulative amount, token, distributor, chain id. */
  public static final List<String> LEAF_ENCODING = List.of("address", "uint256", "address", "address", "uint256");

  private final ClaimDomain domain;
  private final List<CumulativeBalance> values;
  private final byte[][] tree;
  private final int[] treeIndex;
  private final Map<String, Integer> valueIndexByAccount;

  private RewardsMerkleTree(ClaimDomain domain, List<CumulativeBalance> values, byte[][] tree, int[] treeIndex) {
    this.domain = domain;
    this.values = values;
    this.tree = tree;
    this.treeIndex = treeIndex;
    this.valueIndexByAccount = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      valueIndexByAccount.put(values.get(i).account().value(), i);
    }
  }

  /**
   * Builds the tree of {@code balances} (one per account, in the order given, which is the order
   * of the dump's values), claimable in {@code domain} only.
   *
   * @throws IllegalArgumentException when empty or when an account appears twice
   */
  public static RewardsMerkleTree of(ClaimDomain domain, List<CumulativeBalance> balances) {
    if (balances.isEmpty()) {
      throw new IllegalArgumentException("a distribution needs at least one account");
    }
    int n = balances.size();
    byte[][] leaves = new byte[n][];
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      if (!seen.add(balances.get(i).account().value())) {
        throw new IllegalArgumentException("account " + balances.get(i).account() + " appears twice");
      }
      leaves[i] = leafHash(domain, balances.get(i));
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparing(i -> leaves[i], Arrays::compareUnsigned));
    byte[][] tree = new byte[2 * n - 1][];
    int[] treeIndex = new int[n];
    for (int leaf = 0; leaf < n; leaf++) {
      int at = tree.length - 1 - leaf;
      tree[at] = leaves[order[leaf]];
      treeIndex[order[leaf]] = at;
    }
    for (int i = tree.length - 1 - n; i >= 0; i--) {
      tree[i] = nodeHash(tree[2 * i + 1], tree[2 * i + 2]);
    }
    return new RewardsMerkleTree(domain, List.copyOf(balances), tree, treeIndex);
  }

  /** The standard leaf hash of one balance in {@code domain}. */
  public static byte[] leafHash(ClaimDomain domain, CumulativeBalance b) {
    byte[] encoded = new byte[5 * 32];
    putWord(encoded, 0, b.account().bytes());
    putWord(encoded, 1, b.cumulativeWei().toByteArray());
    putWord(encoded, 2, domain.token().bytes());
    putWord(encoded, 3, domain.distributor().bytes());
    putWord(encoded, 4, BigInteger.valueOf(domain.chainId()).toByteArray());
    return Keccak.hash(Keccak.hash(encoded));
  }

  /** Right-aligns a big-endian unsigned value in ABI word {@code word} (a sign byte of a BigInteger is dropped). */
  private static void putWord(byte[] encoded, int word, byte[] value) {
    int len = Math.min(value.length, 32);
    System.arraycopy(value, value.length - len, encoded, 32 * (word + 1) - len, len);
  }

  /** keccak256 of the two hashes in ascending byte order, as OpenZeppelin's {@code Hashes.commutativeKeccak256}. */
  public static byte[] nodeHash(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b) <= 0 ? Keccak.hash(a, b) : Keccak.hash(b, a);
  }

  /** The root, {@code 0x}-hex. */
  public String root() {
    return Hex.encode(tree[0]);
  }

  /** Where the tree's leaves can be claimed. */
  public ClaimDomain domain() {
    return domain;
  }

  /** The balances, in dump order. */
  public List<CumulativeBalance> values() {
    return values;
  }

  /** Position of value {@code i} in the flat tree. */
  public int treeIndex(int valueIndex) {
    return treeIndex[valueIndex];
  }

  /** All nodes of the flat tree, {@code 0x}-hex. */
  public List<String> nodes() {
    List<String> out = new ArrayList<>(tree.length);
    for (byte[] node : tree) {
      out.add(Hex.encode(node));
    }
    return out;
  }

  /** The proof of value {@code valueIndex}: sibling hashes from the leaf up. */
  public List<String> proof(int valueIndex) {
    List<String> proof = new ArrayList<>();
    int i = treeIndex[valueIndex];
    while (i > 0) {
      int sibling = i % 2 == 1 ? i + 1 : i - 1;
      proof.add(Hex.encode(tree[sibling]));
      i = (i - 1) / 2;
    }
    return proof;
  }

  /** Index of {@code account}'s value, or -1. */
  public int indexOf(Address account) {
    return valueIndexByAccount.getOrDefault(account.value(), -1);
  }

  /** Whether {@code proof} proves {@code balance} in {@code domain} under {@code root}, as {@code MerkleProof.verify}. */
  public static boolean verify(String root, ClaimDomain domain, CumulativeBalance balance, List<String> proof) {
    byte[] node = leafHash(domain, balance);
    for (String sibling : proof) {
      node = nodeHash(node, Hex.decode(sibling));
    }
    return Hex.encode(node).equalsIgnoreCase(root);
  }
}
