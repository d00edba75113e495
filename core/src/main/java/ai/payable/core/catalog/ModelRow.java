package ai.payable.core.catalog;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One row of {@link Tables#MODELS}: a registered base, adapter or student. {@link #fromRow} and
 * {@link #toRow} are the only places that name the table's columns.
 *
 * @param recordsVersion the Delta version of {@code records} the training read
 * @param config the model's {@code config.json} (for adapters, their base's shape)
 * @param metrics train and held-out losses, perplexity, tokens/s, ...
 * @param artifactUri the folder of the model's files
 */
public record ModelRow(String modelId, ModelKind kind, String name, Optional<String> parentId, Optional<String> owner, List<String> datanets,
    String spec, long recordsVersion, String tokenizer, String config, Map<String, Double> metrics, String artifactUri, Timestamp createdAt) {

  /** The row as read from the table. */
  public static ModelRow fromRow(Row r) {
    return new ModelRow(r.getAs("model_id"), ModelKind.of(r.getAs("kind")), r.getAs("name"), Optional.ofNullable(r.getAs("parent_id")),
        Optional.ofNullable(r.getAs("owner")), r.getList(r.fieldIndex("datanets")), r.getAs("spec"), r.<Long>getAs("records_version"),
        r.getAs("tokenizer"), r.getAs("config"), r.getJavaMap(r.fieldIndex("metrics")), r.getAs("artifact_uri"), r.getAs("created_at"));
  }

  /** The row in the table's schema, columns in its order. */
  public Row toRow() {
    return RowFactory.create(modelId, kind.value(), name, parentId.orElse(null), owner.orElse(null),
        CollectionConverters.asScala(datanets).toSeq(), spec, recordsVersion, tokenizer, config,
        CollectionConverters.asScala(metrics), artifactUri, createdAt);
  }
}
