package ai.payable.rewards.merkle;

import ai.payable.core.crypto.Hex;
import ai.payable.core.crypto.Keccak;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OpenZeppelin's {@code StandardMerkleTree} for leaf encoding {@code ["address","uint256"]}, built
 * so that its {@code standard-v1} dump loads in {@code @openzeppelin/merkle-tree} and its proofs
 * verify with {@code MerkleProof.verify} on-chain:
 *
 * <ul>
 *   <li>leaf = keccak256(bytes.concat(keccak256(abi.encode(account, cumulative)))), the double
 *       hash that keeps a leaf from being mistaken for an internal node;
 *   <li>leaves sorted by hash, placed at the end of a flat array in reverse order;
 *   <li>node i = keccak256(sorted(left, right)) with children 2i+1 and 2i+2; the root is node 0.
 * </ul>
 */
public final class RewardsMerkleTree {

  /** The leaf encoding, as the dump names it. */
  public static final List<String> LEAF_ENCODING = List.of("address", "uint256");

  private final List<CumulativeBalance> values;
  private final byte[][] tree;
  private final int[] treeIndex;
  private final Map<String, Integer> valueIndexByAccount;

  private RewardsMerkleTree(List<CumulativeBalance> values, byte[][] tree, int[] treeIndex) {
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
   * of the dump's values).
   *
   * @throws IllegalArgumentException when empty or when an account appears twice
   */
  public static RewardsMerkleTree of(List<CumulativeBalance> balances) {
    if (balances.isEmpty()) {
      throw new IllegalArgumentException("a distribution needs at least one account");
    }
    int n = balances.size();
    byte[][] leaves = new byte[n][];
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      if (!seen.add(balances.get(i).account().value())) {
        throw new IllegalArgumentException("account " + balances.get(i).account() + " appears twice");
      }
      leaves[i] = leafHash(balances.get(i));
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
    return new RewardsMerkleTree(List.copyOf(balances), tree, treeIndex);
  }

  /** The standard leaf hash of one balance. */
  public static byte[] leafHash(CumulativeBalance b) {
    byte[] encoded = new byte[64];
    byte[] account = b.account().bytes();
    System.arraycopy(account, 0, encoded, 32 - account.length, account.length);
    byte[] amount = b.cumulativeWei().toByteArray();
    int len = Math.min(amount.length, 32);
    System.arraycopy(amount, amount.length - len, encoded, 64 - len, len);
    return Keccak.hash(Keccak.hash(encoded));
  }

  /** keccak256 of the two hashes in ascending byte order, as OpenZeppelin's {@code Hashes.commutativeKeccak256}. */
  public static byte[] nodeHash(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b) <= 0 ? Keccak.hash(a, b) : Keccak.hash(b, a);
  }

  /** The root, {@code 0x}-hex. */
  public String root() {
    return Hex.encode(tree[0]);
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
  public int indexOf(ai.payable.core.identity.Address account) {
    return valueIndexByAccount.getOrDefault(account.value(), -1);
  }

  /** Whether {@code proof} proves {@code balance} under {@code root}, as {@code MerkleProof.verify}. */
  public static boolean verify(String root, CumulativeBalance balance, List<String> proof) {
    byte[] node = leafHash(balance);
    for (String sibling : proof) {
      node = nodeHash(node, Hex.decode(sibling));
    }
    return Hex.encode(node).equalsIgnoreCase(root);
  }
}
