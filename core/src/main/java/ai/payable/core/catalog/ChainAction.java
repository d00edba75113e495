package ai.payable.core.catalog;

/** What a recorded transaction does ({@code chain_transactions.action}). */
public enum ChainAction implements ColumnValue {
  /** {@code submitRoot}: proposes an epoch's root. */
  PROPOSE_ROOT,
  /** {@code replacePendingRoot}: proposes an epoch's root in place of a pending one. */
  REPLACE_ROOT,
  /** An ERC-20 {@code transfer} or {@code transferFrom} sending the distributor what a root will owe beyond its balance. */
  TOP_UP;

  /** The constant a column value names. */
  public static ChainAction of(String value) {
    return ColumnValue.parse(ChainAction.class, "chain_transactions.action", value);
  }
}
