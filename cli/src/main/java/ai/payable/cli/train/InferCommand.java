package ai.payable.cli.train;

import ai.payable.cli.LakehouseOption;
import ai.payable.cli.ModelCacheOption;
import ai.payable.core.config.Progress;
import ai.payable.training.infer.BatchInference;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable infer --model ID --adapters A,B --prompts FILE --out logs.jsonl}. */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Answers a file of prompts with one base model and any number of its LoRA adapters (loaded once, swapped per group of prompts) and writes an inference log that `payable ingest inferences` reads.",
      "",
      "Prompts are JSON lines: {\"prompt\": \"…\", \"adapter\": \"name or id\", \"requester\": \"0x…\", \"retrieved\": [{\"record_id\": \"0x…\", \"score\": 0.8}], \"fee_wei\": \"…\"}; all but prompt are optional."
    })
public final class InferCommand implements Callable<Integer> {

  @Mixin LakehouseOption lakehouse;

  @Option(names = "--model", required = true, paramLabel = "ID", description = "Base model (name or id), e.g. the student.")
  String model;

  @Option(names = "--adapters", split = ",", paramLabel = "A,B", description = "Adapters of that base to load (names or ids).")
  List<String> adapters = List.of();

  @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "Prompts (JSON lines).")
  Path prompts;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Inference log to write (JSON lines).")
  Path out;

  @Option(names = "--fee-wei", defaultValue = "1000000000000000", paramLabel = "N", description = "Fee of an answer whose prompt sets none (default: ${DEFAULT-VALUE}).")
  BigInteger feeWei;

  @Option(names = "--max-new-tokens", defaultValue = "64", paramLabel = "N", description = "Longest answer, in tokens (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "0", paramLabel = "T", description = "0 for greedy decoding, else sampling temperature (default: ${DEFAULT-VALUE}).")
  float temperature;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Sampling seed; also part of each inference id (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--start", paramLabel = "INSTANT", description = "Timestamp of the first answer, e.g. 2026-11-23T00:00:00Z (default: now).")
  Instant start;

  @Option(names = "--spacing-seconds", defaultValue = "60", paramLabel = "S", description = "Seconds between logged answers (default: ${DEFAULT-VALUE}).")
  long spacing;

  @Mixin ModelCacheOption cache;

  @Override
  public Integer call() throws Exception {
    if (feeWei.signum() < 0) {
      throw new IllegalArgumentException("--fee-wei must not be negative, got " + feeWei);
    }
    BatchInference.Summary s = new BatchInference(lakehouse.open(), cache.path(), Progress.toStderr()).run(model, adapters, prompts, out,
        new BatchInference.Settings(maxNewTokens, temperature, seed, feeWei, start == null ? Instant.now() : start, spacing));
    System.out.printf(Locale.ROOT, "%d answers in %.1f s (%.0f tokens/s) → %s%n", s.answers(), s.seconds(), s.tokens() / Math.max(s.seconds(), 1e-9), out);
    s.byAdapter().forEach((a, n) -> System.out.printf("  %-40s %d%n", a, n));
    return 0;
  }
}
