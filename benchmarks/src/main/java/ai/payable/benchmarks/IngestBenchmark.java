package ai.payable.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

import ai.payable.core.catalog.RecordKind;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.PayableConfig;
import ai.payable.core.identity.SignerRecovery;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.lakehouse.SparkSessions;
import ai.payable.core.submission.SubmissionSigner;
import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.dedup.DuplicateDetector;
import ai.payable.pipelines.ingest.IngestSummary;
import ai.payable.pipelines.ingest.LandingRead;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.ingest.SubmissionStaging;
import ai.payable.pipelines.landing.LandingFile;
import ai.payable.pipelines.landing.LandingZone;
import ai.payable.pipelines.sample.SampleFacts;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.pipelines.validate.SubmissionValidator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Validated ingestion against a plain Spark JSON→Delta copy of the same files, and the
 * near-duplicate stage against exact-only dedup, both measured in the same run.
 *
 * <p>Usage: {@code benchmarks/run ingest --records 1000000}
 */
public final class IngestBenchmark {

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = intArg(args, "--records", 100_000);
    int files = intArg(args, "--files", 48);
    Path work = Path.of(stringArg(args, "--work", "build/bench/ingest")).toAbsolutePath();
    Path landing = work.resolve("landing-" + records);
    if (!Files.isDirectory(landing)) {
      long t = System.nanoTime();
      generate(landing, records, files);
      System.out.printf(Locale.ROOT, "generated %d signed lines in %d files in %.1f s%n", lines(landing), files, seconds(t));
    }
    SparkSession spark = SparkSessions.getOrCreate(PayableConfig.from(work.resolve("lh").toString(), Map.of()));
    spark.sparkContext().setLogLevel("WARN");
    System.out.println("signature recovery: " + (SignerRecovery.isNative() ? "libsecp256k1 (native)" : "web3j (pure Java)"));

    double plain1 = plainCopy(spark, landing, work.resolve("plain-1"));
    Lakehouse lh = freshLakehouse(spark, work.resolve("lh-validated"));
    long t = System.nanoTime();
    IngestSummary s = new SubmissionIngestJob(lh, ai.payable.core.config.Progress.toStderr()).run(landing.toUri());
    double validated = seconds(t);
    double plain2 = plainCopy(spark, landing, work.resolve("plain-2"));
    double plain = Math.min(plain1, plain2);
    System.out.print(s.render());

    double[] dedup = dedupStages(spark, work, landing);
    System.out.printf(Locale.ROOT, "%nRESULT records=%d lines=%d plain_copy_s=%.1f (runs %.1f, %.1f) validated_ingest_s=%.1f ratio=%.2f%n",
        records, s.lines(), plain, plain1, plain2, validated, validated / plain);
    System.out.printf(Locale.ROOT, "RESULT dedup exact_only_s=%.1f exact_and_near_s=%.1f ratio=%.2f%n", dedup[0], dedup[1], dedup[1] / dedup[0]);
    spark.stop();
  }

  /** The baseline: read the JSON lines with their schema and write them to Delta, nothing else. */
  private static double plainCopy(SparkSession spark, Path landing, Path out) throws IOException {
    deleteRecursively(out);
    StructType schema = new StructType();
    for (String f : List.of("datanet", "contributor", "license", "kind", "prompt", "completion", "text", "createdAt", "signature")) {
      schema = schema.add(f, "string");
    }
    long t = System.nanoTime();
    spark.read().schema(schema).json(landing.toString()).write().format("delta").save(out.toString());
    return seconds(t);
  }

  /** Times the dedup stage alone over the same staged lines: exact only, then exact and near. */
  private static double[] dedupStages(SparkSession spark, Path work, Path landing) throws IOException {
    Lakehouse lh = freshLakehouse(spark, work.resolve("lh-dedup"));
    Map<String, DataNetPolicy> policies = new DataNetRegistry(lh).load();
    List<LandingFile> files = LandingZone.list(landing.toUri(), spark.sparkContext().hadoopConfiguration());
    Dataset<Row> staged =
        LandingRead.stage(spark, files, SubmissionStaging.SCHEMA, SubmissionStaging.stager(new SubmissionValidator(policies)))
            .where(size(col("reasons")).equalTo(0))
            .localCheckpoint(true);
    Dataset<Row> existing = lh.read(Tables.RECORDS).select("record_id", "content_hash", "shingles");
    Map<String, Double> thresholds =
        policies.values().stream().collect(Collectors.toMap(DataNetPolicy::id, DataNetPolicy::nearDuplicateSimilarity));
    double[] out = new double[2];
    for (int i = 0; i < 2; i++) {
      long t = System.nanoTime();
      DuplicateDetector.mark(spark, staged, existing, thresholds, i == 1).write().format("noop").mode("overwrite").save();
      out[i] = seconds(t);
    }
    return out;
  }

  private static Lakehouse freshLakehouse(SparkSession spark, Path dir) throws IOException {
    deleteRecursively(dir);
    Lakehouse lh = new Lakehouse(spark, dir.toUri());
    new DataNetRegistry(lh).register(DataNetSpecs.parse(SampleSubmissions.DATANETS_YAML, "sample"));
    return lh;
  }

  /**
   * Signed lines over the sample DataNets, one contributor per file, signed in parallel; 1% are
   * exact copies and 1% near copies of an earlier line by the next contributor, so dedup has work.
   */
  static void generate(Path landing, int records, int files) throws IOException {
    Files.createDirectories(landing);
    int perFile = (records + files - 1) / files;
    IntStream.range(0, files).parallel().forEach(f -> {
      SubmissionSigner signer = new SubmissionSigner(SampleSubmissions.demoKey(f));
      SplittableRandom random = new SplittableRandom(f);
      List<String> datanets = SampleFacts.DATANETS;
      String datanet = datanets.get(f % datanets.size());
      String license = datanet.equals("contracts") ? "CC-BY-4.0" : "CC0-1.0";
      try (BufferedWriter w = Files.newBufferedWriter(landing.resolve(String.format("part-%04d.jsonl", f)), StandardCharsets.UTF_8)) {
        SampleFacts.Fact last = null;
        for (int i = 0; i < perFile && (long) f * perFile + i < records; i++) {
          SampleFacts.Fact fact;
          String thanks = "";
          double roll = random.nextDouble();
          if (last != null && roll < 0.01) {
            fact = last;
          } else if (last != null && roll < 0.02) {
            fact = last;
            thanks = " Thanks.";
          } else {
            fact = SampleFacts.of(datanet, f * perFile + i, random);
            last = fact;
          }
          boolean qa = fact.kind() == RecordKind.QA;
          w.write(signer.signLine(datanet, license, fact.kind().value(), fact.prompt(), qa ? fact.completion() + thanks : "", qa ? "" : fact.text() + thanks,
              "2026-11-20T10:00:00Z"));
          w.write('\n');
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static long lines(Path landing) throws IOException {
    try (var paths = Files.list(landing)) {
      return paths.mapToLong(p -> {
        try (var l = Files.lines(p)) {
          return l.count();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static int intArg(String[] args, String name, int fallback) {
    String v = stringArg(args, name, null);
    return v == null ? fallback : Integer.parseInt(v.replace("_", ""));
  }

  private static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}
