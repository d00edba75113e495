package ai.payable.cli;

import picocli.CommandLine.Option;

/** The {@code --models} option of every command that reads or writes the model store (models and retrieval indexes). */
public final class ModelStoreOption {

  @Option(names = "--models", defaultValue = "${env:PAYABLE_MODELS:-build/models}", paramLabel = "DIR|URI",
      description = "The model store, where models and retrieval indexes live: a directory or s3a://… (default: $PAYABLE_MODELS or ${DEFAULT-VALUE}).")
  String location;

  /** The store's location, as given. */
  public String location() {
    return location;
  }
}
