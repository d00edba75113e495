package ai.payable.core.catalog;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One row of {@link Tables#DATANETS}: a DataNet and its acceptance policy. {@link #fromRow} and
 * {@link #toRow} are the only places that name the table's columns.
 *
 * @param qualityThresholds Gopher rule thresholds by the rule's policy key
 */
public record DataNetRow(String datanetId, String domain, List<String> licenses, List<String> languages, PiiPolicy piiPolicy, int minWords,
    int maxChars, double nearDuplicateSimilarity, Map<String, Double> qualityThresholds, Instant registeredAt) {

  /** Column of the DataNet's id, the key registration merges on. */
  public static final String KEY = "datanet_id";

  /** Column of the first registration's time, kept when a DataNet is registered again. */
  public static final String REGISTERED_AT = "registered_at";

  /** The row as read from the table. */
  public static DataNetRow fromRow(Row r) {
    return new DataNetRow(r.getAs(KEY), r.getAs("domain"), List.copyOf(r.<String>getList(r.fieldIndex("licenses"))),
        List.copyOf(r.<String>getList(r.fieldIndex("languages"))), PiiPolicy.of(r.getAs("pii_policy")), r.<Integer>getAs("min_words"),
        r.<Integer>getAs("max_chars"), r.<Double>getAs("near_duplicate_similarity"), Map.copyOf(r.getJavaMap(r.fieldIndex("quality_thresholds"))),
        r.<Timestamp>getAs(REGISTERED_AT).toInstant());
  }

  /** The row in the table's schema, columns in its order. */
  public Row toRow() {
    return RowFactory.create(datanetId, domain, CollectionConverters.asScala(licenses).toSeq(), CollectionConverters.asScala(languages).toSeq(),
        piiPolicy.value(), minWords, maxChars, nearDuplicateSimilarity, CollectionConverters.asScala(qualityThresholds), Timestamp.from(registeredAt));
  }
}
