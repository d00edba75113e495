package ai.payable.attribution.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import ai.payable.core.catalog.GradientFeatureRow;
import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.training.registry.ModelRegistry;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;

/** The models that answered in an epoch: what the registry knows of each and what evidence can be computed for it. */
final class ModelPlans {

  /**
   * One answering model.
   *
   * @param model its registry row, empty for a model the registry does not know
   * @param evidence how executors load it, for a known model
   */
  record ModelPlan(String key, Optional<ModelRow> model, AnswerEvidence.Plan evidence) {

    /** Whether the model is an adapter with gradient features, so answers get gradient evidence. */
    boolean scoresGradients() {
      return evidence != null && !evidence.modules().isEmpty();
    }
  }

  private ModelPlans() {}

  /** Plans for {@code keys}. */
  static Map<String, ModelPlan> of(Lakehouse lakehouse, Collection<String> keys) {
    ModelRegistry registry = new ModelRegistry(lakehouse);
    Map<String, ModelPlan> plans = new TreeMap<>();
    for (String key : keys) {
      Optional<ModelRow> found = registry.find(key);
      if (found.isEmpty()) {
        plans.put(key, new ModelPlan(key, found, null));
        continue;
      }
      ModelRow model = found.get();
      boolean adapter = model.kind() == ModelKind.ADAPTER;
      String baseUri = adapter ? registry.require(model.parentId().orElseThrow()).artifactUri() : model.artifactUri();
      int dim = 0;
      long seed = 0;
      List<String> modules = List.of();
      if (adapter) {
        lakehouse.ensure(Tables.GRADIENT_FEATURES);
        List<Row> first = lakehouse.read(Tables.GRADIENT_FEATURES).where(col("model_id").equalTo(lit(model.modelId())))
            .limit(1).collectAsList();
        if (!first.isEmpty()) {
          GradientFeatureRow row = GradientFeatureRow.fromRow(first.get(0));
          dim = row.projectionDim();
          seed = row.projectionSeed();
          modules = row.modules();
        }
      }
      plans.put(key, new ModelPlan(key, found, new AnswerEvidence.Plan(baseUri, adapter ? model.artifactUri() : null, dim, seed, modules)));
    }
    return plans;
  }
}
