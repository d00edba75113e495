package ai.payable.pipelines.dedup;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How many records hold each shingle, over the accepted records and the batch together. Only
 * shingles held by two or more records are kept (every other shingle of a known record is held by
 * exactly one), which keeps the table to the vocabulary records share: boilerplate, common phrases
 * and copied passages.
 */
public final class ShingleFrequencies implements Serializable {

  private static final long serialVersionUID = 1L;

  private final long records;
  private final long[] shingles;
  private final int[] holders;

  /**
   * @param records the number of records counted
   * @param shingles shingles held by two or more records, sorted ascending
   * @param holders the number of records holding each of {@code shingles}
   */
  public ShingleFrequencies(long records, long[] shingles, int[] holders) {
    if (shingles.length != holders.length) {
      throw new IllegalArgumentException(shingles.length + " shingles but " + holders.length + " counts");
    }
    for (int i = 1; i < shingles.length; i++) {
      if (shingles[i - 1] >= shingles[i]) {
        throw new IllegalArgumentException("shingles must be sorted and distinct; index " + i + " is not");
      }
    }
    this.records = records;
    this.shingles = shingles;
    this.holders = holders;
  }

  /** The number of records counted. */
  public long records() {
    return records;
  }

  /** The number of records holding {@code shingle}, which must come from a counted record. */
  public int holders(long shingle) {
    int i = Arrays.binarySearch(shingles, shingle);
    return i >= 0 ? holders[i] : 1;
  }

  /**
   * The {@code k} rarest of a record's shingles that some other record also holds, rarest first
   * (ties by hash, so two records sharing a rare passage pick the same ones). A shingle no one else
   * holds links the record to nothing; a very common one links it to everything.
   */
  public long[] anchors(long[] recordShingles, int k) {
    return Arrays.stream(recordShingles)
        .filter(s -> holders(s) >= 2)
        .boxed()
        .sorted((a, b) -> holders(a) != holders(b) ? Integer.compare(holders(a), holders(b)) : Long.compare(a, b))
        .limit(k)
        .mapToLong(Long::longValue)
        .toArray();
  }

  /**
   * The rarity-weighted containment of the smaller record in the larger: the weight of the shingles
   * both hold over the smaller total weight. A shingle weighs {@code ln((N+1)/(m+1))}, where
   * {@code m} counts the <em>other</em> records holding it: a passage only these two share weighs
   * most, one the whole DataNet shares (a template's boilerplate) next to nothing. So a light edit
   * keeps a copy close to its original, while two records of one template, which share everything
   * but their specifics, stay far apart. {@link StrictMath} keeps the score identical on every JVM.
   *
   * @param a one record's shingles, sorted and distinct
   * @param b the other's
   * @return a score in [0, 1]
   */
  public double similarity(long[] a, long[] b) {
    double shared = 0;
    double weightA = 0;
    double weightB = 0;
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (j == b.length || (i < a.length && a[i] < b[j])) {
        weightA += weight(holders(a[i++]) - 1);
      } else if (i == a.length || b[j] < a[i]) {
        weightB += weight(holders(b[j++]) - 1);
      } else {
        double w = weight(holders(a[i]) - 2);
        shared += w;
        weightA += w;
        weightB += w;
        i++;
        j++;
      }
    }
    double smaller = Math.min(weightA, weightB);
    return smaller <= 0 ? 0 : shared / smaller;
  }

  private double weight(long others) {
    return StrictMath.log((records + 1.0) / (Math.max(others, 0) + 1.0));
  }
}
