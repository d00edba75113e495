package ai.payable.training.registry;

import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.TableDef;
import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.stage.MissingInputException;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Row;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The model registry: {@code models}, {@code training_examples} and {@code gradient_features}.
 * A model's rows are replaced as a whole on re-registration, and its {@code models} row is written
 * last: it is the commit marker, so a crashed run leaves lineage rows that the next run of the
 * same model id replaces, never a model without its lineage.
 */
public final class ModelRegistry {

  private final Lakehouse lakehouse;

  public ModelRegistry(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
  }

  /** The model with id {@code idOrName}, else the newest model with that name. */
  public Optional<ModelRow> find(String idOrName) {
    lakehouse.ensure(Tables.MODELS);
    List<Row> rows = lakehouse.read(Tables.MODELS).where(col("model_id").equalTo(lit(idOrName)).or(col("name").equalTo(lit(idOrName))))
        .orderBy(col("model_id").equalTo(lit(idOrName)).desc(), col("created_at").desc()).limit(1).collectAsList();
    return rows.stream().findFirst().map(ModelRow::fromRow);
  }

  /** As {@link #find}; without such a model, a {@link MissingInputException} whose remedy is to train it. */
  public ModelRow require(String idOrName) {
    return find(idOrName).orElseThrow(() -> new MissingInputException("no model '" + idOrName + "' in " + lakehouse.path(Tables.MODELS),
        MissingInputException.Remedy.TRAIN_MODEL));
  }

  /**
   * Registers a model with its lineage.
   *
   * @param examples {@code training_examples} rows of this model
   * @param features {@code gradient_features} rows of this model (empty unless an adapter)
   */
  public void register(ModelRow model, List<Row> examples, List<Row> features) {
    replace(Tables.TRAINING_EXAMPLES, model.modelId(), examples);
    replace(Tables.GRADIENT_FEATURES, model.modelId(), features);
    replace(Tables.MODELS, model.modelId(), List.of(model.toRow()));
  }

  private void replace(TableDef table, String modelId, List<Row> rows) {
    lakehouse.replace(table, "model_id", modelId, rows);
  }
}
