package ai.payable.pipelines.datanet;

import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.pipelines.datanet.DataNetPolicy.PiiPolicy;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** The {@code datanets} table: registering declarations and loading the policies back. */
public final class DataNetRegistry {

  private final Lakehouse lakehouse;

  public DataNetRegistry(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /**
   * Inserts new DataNets and updates the policy of existing ones (by id) in one Delta MERGE, so
   * registering the same file twice changes nothing. Returns the ids registered.
   */
  public List<String> register(List<DataNetPolicy> policies) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> rows = new ArrayList<>();
    for (DataNetPolicy p : policies) {
      rows.add(
          RowFactory.create(
              p.id(), p.domain(), p.licenses().toArray(String[]::new),
              p.languages().toArray(String[]::new), p.pii().name().toLowerCase(java.util.Locale.ROOT),
              p.minWords(), p.maxChars(), p.nearDuplicateSimilarity(), thresholdsByKey(p), now));
    }
    Dataset<Row> updates =
        lakehouse.spark().createDataFrame(rows, Tables.DATANETS.schema());
    Map<String, String> set = new LinkedHashMap<>();
    for (String column : Tables.DATANETS.schema().fieldNames()) {
      if (!column.equals("registered_at") && !column.equals("datanet_id")) {
        set.put(column, "u." + column);
      }
    }
    lakehouse
        .ensure(Tables.DATANETS)
        .as("d")
        .merge(updates.as("u"), "d.datanet_id = u.datanet_id")
        .whenMatched()
        .updateExpr(set)
        .whenNotMatched()
        .insertAll()
        .execute();
    return policies.stream().map(DataNetPolicy::id).toList();
  }

  /** Every registered DataNet's policy, by id. */
  public Map<String, DataNetPolicy> load() {
    Map<String, DataNetPolicy> out = new LinkedHashMap<>();
    for (Row r : lakehouse.read(Tables.DATANETS).orderBy("datanet_id").collectAsList()) {
      DataNetPolicy p =
          new DataNetPolicy(
              r.getAs("datanet_id"),
              r.getAs("domain"),
              List.copyOf(r.<String>getList(r.fieldIndex("licenses"))),
              List.copyOf(r.<String>getList(r.fieldIndex("languages"))),
              PiiPolicy.valueOf(r.<String>getAs("pii_policy").toUpperCase(java.util.Locale.ROOT)),
              r.<Integer>getAs("min_words"),
              r.<Integer>getAs("max_chars"),
              r.<Double>getAs("near_duplicate_similarity"),
              thresholds(r.getJavaMap(r.fieldIndex("quality_thresholds"))));
      out.put(p.id(), p);
    }
    return out;
  }

  private static Map<String, Double> thresholdsByKey(DataNetPolicy p) {
    Map<String, Double> byKey = new LinkedHashMap<>();
    p.quality().forEach((rule, threshold) -> byKey.put(rule.key(), threshold));
    return byKey;
  }

  // A rule added after the DataNet was registered takes its default until the DataNet is registered again.
  private static Map<QualityRule, Double> thresholds(Map<String, Double> byKey) {
    Map<QualityRule, Double> out = new java.util.EnumMap<>(QualityRule.class);
    byKey.forEach((key, threshold) -> QualityRule.byKey(key).ifPresent(rule -> out.put(rule, threshold)));
    return out;
  }
}
