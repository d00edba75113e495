package ai.payable.training.registry;

import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.ModelKind;
import ai.payable.core.catalog.ModelRow;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.training.chat.ChatFormat;
import ai.payable.training.chat.ChatTemplate;
import ai.payable.training.checkpoint.Checkpoint;
import ai.payable.training.checkpoint.SafeTensors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * Registers a pretrained Llama-family checkpoint in Hugging Face layout as a base model: checks it
 * completely first (config, every tensor's name and shape, the tokenizer, the special tokens, the
 * chat template on a sample conversation), copies its files to the model store and writes its
 * {@code models} row (kind {@code base}). The model id is the name plus a digest of the files, so
 * importing the same files again replaces the same model and changed files get a new id.
 */
public final class ModelImport {

  /** Files of a model directory that are copied (weights, config, tokenizer, provenance). */
  private static final List<String> FILES = List.of(Checkpoint.CONFIG, Checkpoint.WEIGHTS_INDEX, ChatFormat.TOKENIZER, ChatFormat.TOKENIZER_CONFIG,
      ChatFormat.CHAT_TEMPLATE, ChatFormat.GENERATION_CONFIG, "special_tokens_map.json", "conversion.json", "LICENSE", "README.md");

  private final Lakehouse lakehouse;
  private final ArtifactStore store;
  private final Progress progress;

  /** @param models where model folders are published (a directory or URI) */
  public ModelImport(Lakehouse lakehouse, String models, Progress progress) {
    this.lakehouse = lakehouse;
    Configuration hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    this.store = ArtifactStore.at(models, hadoop);
    this.progress = progress;
  }

  /**
   * Imports the checkpoint in {@code from}.
   *
   * @param name the model's name (default: the folder's name, lower-cased)
   */
  public ModelRow run(Path from, Optional<String> name) throws IOException {
    progress.step("checking " + from);
    Checkpoint checkpoint = Checkpoint.open(from);
    checkpoint.validate();
    try (ChatFormat format = ChatFormat.open(from, checkpoint.config().vocabSize())) {
      // A template that cannot lay out a question and its answer would fail every later step.
      format.answer("What is the capital of France?", "Paris.");
      format.render(List.of(ChatTemplate.Message.user("Hello")), true);
    }
    String modelName = name.orElse(from.toAbsolutePath().normalize().getFileName().toString().toLowerCase(Locale.ROOT));
    if (!modelName.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
      throw new IllegalArgumentException("model name '" + modelName + "' must be lower-case letters, digits, dots, dashes or underscores; pass --name");
    }
    List<Path> files = files(from, checkpoint);
    progress.step("hashing " + files.size() + " files (" + checkpoint.weightBytes() / (1 << 20) + " MiB of weights)");
    String modelId = modelName + "-" + digest(files).substring(0, 8);

    progress.step("copying to the model store as " + modelId);
    String uri;
    if (store.isLocal()) {
      Path dir = store.localFolder(modelId);
      Files.createDirectories(dir);
      for (Path f : files) {
        Files.copy(f, dir.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
      uri = dir.toUri().toString();
    } else {
      Path staged = Files.createTempDirectory("import-" + modelId);
      for (Path f : files) {
        Files.createSymbolicLink(staged.resolve(f.getFileName()), f.toAbsolutePath());
      }
      uri = store.publishStaged(modelId, staged).toString();
    }

    progress.step("registering " + modelId);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("parameters", (double) parameters(checkpoint));
    metrics.put("layers", (double) checkpoint.config().layers());
    String spec = "# imported with payable model import\nsource: " + from.toAbsolutePath().normalize() + "\n";
    ModelRow record = new ModelRow(modelId, ModelKind.BASE, modelName, Optional.empty(), Optional.empty(), List.of(), spec, recordsVersion(),
        "huggingface", Files.readString(from.resolve(Checkpoint.CONFIG)), metrics, uri, Timestamp.from(Instant.now()));
    new ModelRegistry(lakehouse).register(record, List.of(), List.of());
    progress.step("");
    return record;
  }

  /** The {@code records} version current at import: a base reads no records, this only dates it against them. */
  private long recordsVersion() {
    return lakehouse.version(Tables.RECORDS);
  }

  private static List<Path> files(Path from, Checkpoint checkpoint) {
    List<Path> files = new ArrayList<>();
    for (String f : FILES) {
      if (Files.isRegularFile(from.resolve(f))) {
        files.add(from.resolve(f));
      }
    }
    checkpoint.tensors().keySet().stream().map(checkpoint::fileOf).distinct().forEach(files::add);
    return files;
  }

  private static long parameters(Checkpoint checkpoint) {
    long n = 0;
    for (SafeTensors.Entry e : checkpoint.tensors().values()) {
      n += e.size();
    }
    return n;
  }

  private static String digest(List<Path> files) throws IOException {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 20];
      for (Path f : files) {
        sha.update(f.getFileName().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), sha)) {
          while (in.read(buffer) >= 0) {
            // the digest reads as it goes
          }
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
