package ai.payable.training.registry;

import ai.djl.ndarray.NDManager;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.checkpoint.ModelFiles;
import ai.payable.training.model.LlamaModel;
import ai.payable.training.span.SpanIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * A registered model made ready to use by a later stage: its folders fetched into a local cache
 * (or read in place when local), the network loaded (a base, or a base with an adapter), its chat
 * format, and the span index of the records that trained it. The one way the stages after
 * training open what training registered.
 *
 * @param spans the span index training wrote into the model's folder; empty for an imported base,
 *     which no DataNet trained
 */
public record LoadedModel(LlamaModel model, ChatFormat format, SpanIndex spans) implements AutoCloseable {

  /**
   * Loads a model from its registry folders.
   *
   * @param baseUri the base's folder ({@code artifact_uri} of the model, or of an adapter's parent)
   * @param adapterUri the adapter's folder, or null for the base alone
   * @param cache where remote folders are copied
   * @param manager owns the network's arrays
   */
  public static LoadedModel open(String baseUri, String adapterUri, Path cache, Configuration hadoop, NDManager manager) throws IOException {
    Path base = ArtifactStore.materialize(baseUri, cache, hadoop);
    Path adapter = adapterUri == null ? null : ArtifactStore.materialize(adapterUri, cache, hadoop);
    LlamaModel model = ModelFiles.load(manager, base, adapter);
    Path spanFolder = (adapter != null ? adapter : base).resolve(SpanIndex.FOLDER);
    SpanIndex spans = Files.isDirectory(spanFolder) ? SpanIndex.open(spanFolder) : SpanIndex.empty();
    return new LoadedModel(model, ChatFormat.open(base, model.config().vocabSize()), spans);
  }

  /** Closes the tokenizer; the network's arrays belong to the manager given to {@link #open}. */
  @Override
  public void close() {
    format.close();
  }
}
