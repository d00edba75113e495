package ai.payable.pipelines.datanet;

import ai.payable.core.catalog.DataNetRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;

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
    Instant now = Instant.now();
    List<Row> rows = new ArrayList<>();
    for (DataNetPolicy p : policies) {
      rows.add(new DataNetRow(p.id(), p.domain(), p.licenses(), p.languages(), p.pii(), p.minWords(), p.maxChars(), p.nearDuplicateSimilarity(),
          thresholdsByKey(p), now).toRow());
    }
    lakehouse.upsert(Tables.DATANETS, rows, DataNetRow.KEY, Set.of(DataNetRow.REGISTERED_AT));
    return policies.stream().map(DataNetPolicy::id).toList();
  }

  /** Every registered DataNet's policy, by id. */
  public Map<String, DataNetPolicy> load() {
    Map<String, DataNetPolicy> out = new LinkedHashMap<>();
    for (Row row : lakehouse.read(Tables.DATANETS).orderBy(DataNetRow.KEY).collectAsList()) {
      DataNetRow r = DataNetRow.fromRow(row);
      out.put(r.datanetId(), new DataNetPolicy(r.datanetId(), r.domain(), r.licenses(), r.languages(), r.piiPolicy(), r.minWords(), r.maxChars(),
          r.nearDuplicateSimilarity(), thresholds(r.qualityThresholds())));
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
    Map<QualityRule, Double> out = new EnumMap<>(QualityRule.class);
    byKey.forEach((key, threshold) -> QualityRule.byKey(key).ifPresent(rule -> out.put(rule, threshold)));
    return out;
  }
}
