package ai.payable.pipelines.sample;

import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import ai.payable.core.catalog.RecordKind;
import ai.payable.pipelines.validate.ContentFingerprint;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * A corpus for measuring copy detection: distinct records of the sample DataNets (one template per
 * DataNet, so distinct records share most of their wording, the hard case), followed by copies of
 * some of them with {@link LightEdits} of every kind at known rates. Deterministic for a seed.
 */
public final class CopyCorpus {

  /** The rows {@code DuplicateDetector} reads: arrival order, id, DataNet and fingerprints. */
  public static final StructType SCHEMA =
      new StructType()
          .add("arrival", LongType, false)
          .add("record_id", StringType, false)
          .add("datanet", StringType, false)
          .add("content_hash", StringType, false)
          .add("shingles", createArrayType(LongType, false), false);

  /**
   * One record of the corpus.
   *
   * @param originalOf for a copy, the id of the record it copies; null for a distinct record
   * @param kind for a copy, the edits made; null for a distinct record
   * @param rate for a copy, the share of words edited (0 where the kind takes no rate)
   */
  public record Entry(long arrival, String id, String datanet, String text, String originalOf, LightEdits.Kind kind, double rate) {}

  private CopyCorpus() {}

  /**
   * {@code distinctPerDataNet} distinct records per sample DataNet, then {@code copiesPerCase}
   * copies for every edit kind and rate (each of {@code rates} for word edits, once for the others).
   */
  public static List<Entry> generate(int distinctPerDataNet, int copiesPerCase, double[] rates, long seed) {
    List<Entry> out = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(seed);
    for (String datanet : SampleFacts.DATANETS) {
      for (int i = 0; i < distinctPerDataNet; i++) {
        SampleFacts.Fact f = SampleFacts.of(datanet, out.size(), random);
        // The document quality rules judge: a Q&A record's answer, or its text.
        String text = f.text().isEmpty() ? f.completion() : f.text();
        out.add(new Entry(out.size(), "d-" + out.size(), datanet, text, null, null, 0));
      }
    }
    int distinct = out.size();
    for (LightEdits.Kind kind : LightEdits.Kind.values()) {
      for (double rate : kind.usesRate() ? rates : new double[] {0}) {
        for (int c = 0; c < copiesPerCase; c++) {
          Entry original = out.get(random.nextInt(distinct));
          // The copier's own text around a pasted record: new, so the copy has one original only.
          SampleFacts.Fact host = SampleFacts.of(original.datanet(), 1_000_000 + out.size(), random);
          String hostText = host.text().isEmpty() ? host.completion() : host.text();
          String text = LightEdits.apply(kind, original.text(), rate, hostText, random);
          out.add(new Entry(out.size(), "c-" + out.size(), original.datanet(), text, original.id(), kind, rate));
        }
      }
    }
    return out;
  }

  /** The corpus as {@link #SCHEMA} rows, in arrival order. */
  public static Dataset<Row> toRows(SparkSession spark, List<Entry> entries) {
    List<Row> rows = new ArrayList<>();
    for (Entry e : entries) {
      rows.add(RowFactory.create(e.arrival(), e.id(), e.datanet(), ContentFingerprint.contentHash(RecordKind.TEXT.value(), "", "", e.text()),
          ContentFingerprint.shingles(e.text())));
    }
    return spark.createDataFrame(rows, SCHEMA);
  }
}
