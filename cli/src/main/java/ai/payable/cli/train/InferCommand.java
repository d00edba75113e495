package ai.payable.cli.train;

import ai.payable.cli.GatewayKeyOptions;
import ai.payable.cli.LakehouseOption;
import ai.payable.cli.ModelCacheOption;
import ai.payable.cli.ModelStoreOption;
import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.config.Progress;
import ai.payable.training.infer.BatchInference;
import ai.payable.training.infer.Generator;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code payable infer --model ID --adapters A,B --prompts FILE --out logs.jsonl}, or {@code --prompt "…"} to chat. */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Answers questions with one base model and any number of its LoRA adapters. Each question is put to the model through its own chat template; "
          + "answers are decoded in batches with a KV cache.",
      "",
      "Try a model: payable infer --model smollm2-135m-instruct --prompt \"What is crop rotation?\" (answers go to stdout).",
      "",
      "Serve a day of prompts: --prompts FILE --out logs.jsonl writes an inference log that `payable ingest inferences` reads. Prompts are JSON lines: "
          + "{\"prompt\": \"…\", \"adapter\": \"name or id\", \"requester\": \"0x…\", \"retrieve\": 3, \"fee_wei\": \"…\"}; all but prompt are "
          + "optional (retrieve: records to retrieve for this line instead of --retrieve; retrieved: [{\"record_id\": \"0x…\", \"score\": 0.8}] "
          + "logs records an outside retriever put into the prompt). Every line is checked before the first is answered; a batch mixes adapters, each "
          + "prompt with its own, in one forward pass per step.",
      "",
      "Every log line is signed with the gateway's key (--gateway-keystore or --gateway-key-env; EIP-712): ingestion pays only lines a gateway "
          + "registered with `payable gateway register` signed."
    })
public final class InferCommand implements Callable<Integer> {

  @Mixin LakehouseOption lakehouse;

  @Option(names = "--model", required = true, paramLabel = "ID", description = "Base model (name or id): an imported base, a teacher or a student.")
  String model;

  @Option(names = "--adapters", split = ",", paramLabel = "A,B", description = "Adapters of that base to load (names or ids); with --prompt, at most one.")
  List<String> adapters = List.of();

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @ArgGroup(exclusive = false)
    Batch batch;

    @Option(names = "--prompt", required = true, paramLabel = "TEXT", description = "A question to answer on stdout (repeatable).")
    List<String> questions;
  }

  static final class Batch {
    @Option(names = "--prompts", required = true, paramLabel = "FILE", description = "Prompts (JSON lines).")
    Path prompts;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Inference log to write (JSON lines).")
    Path out;
  }

  @Option(names = "--fee-wei", defaultValue = "1000000000000000", paramLabel = "N", description = "Fee of an answer whose prompt sets none (default: ${DEFAULT-VALUE}).")
  BigInteger feeWei;

  @Option(names = "--max-new-tokens", defaultValue = "96", paramLabel = "N", description = "Longest answer, in tokens (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--temperature", defaultValue = "0", paramLabel = "T", description = "0 for greedy decoding, else sampling temperature (default: ${DEFAULT-VALUE}).")
  float temperature;

  @Option(names = "--top-p", defaultValue = "1", paramLabel = "P", description = "Nucleus sampling: draw from the likeliest tokens that make up P (default: ${DEFAULT-VALUE}, off).")
  float topP;

  @Option(names = "--batch-size", defaultValue = "8", paramLabel = "N", description = "Prompts decoded together (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Sampling seed; also part of each inference id (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--start", paramLabel = "INSTANT", description = "Timestamp of the first answer, e.g. 2026-11-23T00:00:00Z (default: now).")
  Instant start;

  @Option(names = "--spacing-seconds", defaultValue = "60", paramLabel = "S", description = "Seconds between logged answers (default: ${DEFAULT-VALUE}).")
  long spacing;

  @Option(names = "--retrieve", defaultValue = "0", paramLabel = "K",
      description = "Put the K records that best match each question (BM25 over its adapter's DataNets, from `payable index build`) into its prompt, "
          + "as many as fit the context less --max-new-tokens, and log the ones the model saw (default: ${DEFAULT-VALUE}, off).")
  int retrieve;

  @Mixin ModelStoreOption models;

  @Mixin ModelCacheOption cache;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  GatewayKeyOptions gatewayKey;

  @Override
  public Integer call() throws Exception {
    if (feeWei.signum() < 0) {
      throw new IllegalArgumentException("--fee-wei must not be negative, got " + feeWei);
    }
    BatchInference.Settings settings = new BatchInference.Settings(maxNewTokens, temperature, topP, batchSize, seed, feeWei,
        start == null ? Instant.now() : start, spacing, retrieve);
    if (input.batch != null && gatewayKey == null) {
      throw new IllegalArgumentException("a log needs the gateway's signature: pass --gateway-keystore FILE or --gateway-key-env VAR (the key of a "
          + "gateway registered with `payable gateway register`)");
    }
    var open = lakehouse.open();
    BatchInference inference = new BatchInference(open, cache.path(), ArtifactStore.at(models.location(), open.spark().sparkContext().hadoopConfiguration()),
        gatewayKey == null ? null : gatewayKey.load(), Progress.toStderr());
    if (input.questions != null) {
      if (adapters.size() > 1) {
        throw new IllegalArgumentException("--prompt answers with one model: give at most one adapter, not " + adapters);
      }
      if (retrieve > 0) {
        throw new IllegalArgumentException("--retrieve works with --prompts FILE --out LOG, where the log records what was retrieved");
      }
      List<Generator.Output> answers = inference.ask(model, adapters.stream().findFirst(), input.questions, settings);
      for (int i = 0; i < answers.size(); i++) {
        if (answers.size() > 1) {
          System.out.println("Q: " + input.questions.get(i));
        }
        System.out.println(answers.get(i).text());
        if (answers.get(i).finish() == Generator.Finish.LENGTH) {
          System.err.println("  (cut at --max-new-tokens " + maxNewTokens + ")");
        }
      }
      return 0;
    }
    BatchInference.Summary s = inference.run(model, adapters, input.batch.prompts, input.batch.out, settings);
    System.out.printf(Locale.ROOT, "%d answers in %.1f s (%.1f tokens/s) → %s%n", s.answers(), s.seconds(), s.tokens() / Math.max(s.seconds(), 1e-9),
        input.batch.out);
    s.byAdapter().forEach((a, n) -> System.out.printf("  %-40s %d%n", a, n));
    if (s.blankLines() > 0) {
      System.out.println("  " + s.blankLines() + " blank line(s) of " + input.batch.prompts + " skipped");
    }
    return 0;
  }
}
