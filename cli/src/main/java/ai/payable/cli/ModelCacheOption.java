package ai.payable.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --cache} option of every command that loads models: where copies of remote models go. */
public final class ModelCacheOption {

  @Option(names = "--cache", defaultValue = "${env:PAYABLE_MODEL_CACHE:-build/model-cache}", paramLabel = "DIR",
      description = "Local copies of remote models (default: $PAYABLE_MODEL_CACHE or ${DEFAULT-VALUE}).")
  Path cache;

  /** The cache directory. */
  public Path path() {
    return cache;
  }
}
