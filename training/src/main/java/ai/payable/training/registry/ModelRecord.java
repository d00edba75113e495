package ai.payable.training.registry;

import ai.payable.core.catalog.ModelKind;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * A row of the {@code models} table.
 *
 * @param recordsVersion the Delta version of {@code records} the training read
 * @param config the model's {@code config.json} (for adapters, their base's shape)
 * @param metrics train and held-out losses, perplexity, tokens/s, ...
 * @param artifactUri the folder of the model's files
 */
public record ModelRecord(String modelId, ModelKind kind, String name, Optional<String> parentId, Optional<String> owner, List<String> datanets,
    String spec, long recordsVersion, String tokenizer, String config, Map<String, Double> metrics, String artifactUri, Timestamp createdAt) {

  /** Reads a {@code models} row. */
  public static ModelRecord of(Row r) {
    return new ModelRecord(r.getAs("model_id"), ModelKind.of(r.getAs("kind")), r.getAs("name"), Optional.ofNullable(r.getAs("parent_id")),
        Optional.ofNullable(r.getAs("owner")), r.getList(r.fieldIndex("datanets")), r.getAs("spec"), r.<Long>getAs("records_version"),
        r.getAs("tokenizer"), r.getAs("config"), r.getJavaMap(r.fieldIndex("metrics")), r.getAs("artifact_uri"), r.getAs("created_at"));
  }

  /** The row to write. */
  public Row toRow() {
    return org.apache.spark.sql.RowFactory.create(modelId, kind.value(), name, parentId.orElse(null), owner.orElse(null),
        scala.jdk.javaapi.CollectionConverters.asScala(datanets).toSeq(), spec, recordsVersion, tokenizer, config,
        scala.jdk.javaapi.CollectionConverters.asScala(metrics), artifactUri, createdAt);
  }
}
