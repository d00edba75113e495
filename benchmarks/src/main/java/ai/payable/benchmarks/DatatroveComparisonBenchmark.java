package ai.payable.benchmarks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.udf;

import ai.payable.core.catalog.RecordKind;
import ai.payable.core.config.PayableConfig;
import ai.payable.core.lakehouse.SparkSessions;
import ai.payable.pipelines.datanet.DataNetPolicy;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.dedup.DuplicateDetector;
import ai.payable.pipelines.sample.CopyCorpus;
import ai.payable.pipelines.validate.ContentFingerprint;
import ai.payable.pipelines.validate.QualityMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Our quality rules and copy detection side by side with datatrove's (pinned in
 * {@code benchmarks/datatrove/requirements.txt}, run by {@code run_datatrove.py}) on one corpus of
 * template-built records with planted light-edited copies ({@link CopyCorpus}): time per side in
 * interleaved rounds on the same cores, and what each flags — records both flag, records only one
 * flags with examples, and recall of the planted copies.
 *
 * <p>Usage: {@code benchmarks/run datatrove [--records 200000] [--rounds 3] [--workers 2]}
 */
public final class DatatroveComparisonBenchmark {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DatatroveComparisonBenchmark() {}

  public static void main(String[] args) throws Exception {
    int records = Args.intArg(args, "--records", 200_000);
    int rounds = Args.intArg(args, "--rounds", 3);
    int workers = Args.intArg(args, "--workers", 2);
    Path work = Path.of(Args.stringArg(args, "--work", "build/bench/datatrove")).toAbsolutePath();
    Path python = Path.of(".venv-datatrove/bin/python");
    if (!Files.isExecutable(python)) {
      throw new IllegalStateException("datatrove is not installed: run `make .venv-datatrove/.installed` first");
    }
    Path corpusDir = work.resolve("corpus-" + records);
    List<CopyCorpus.Entry> corpus = CopyCorpus.generate((int) (records * 0.98 / 3), Math.max(1, (int) (records * 0.02 / 19)), new double[] {0.02, 0.05, 0.10, 0.20}, 2026);
    if (!Files.isDirectory(corpusDir)) {
      write(corpus, corpusDir);
    }
    long copies = corpus.stream().filter(e -> e.originalOf() != null).count();
    System.out.printf(Locale.ROOT, "corpus: %d records (%d planted copies) in %s%n", corpus.size(), copies, corpusDir);

    SparkSession spark = SparkSessions.getOrCreate(PayableConfig.from(work.resolve("lh").toString(), Map.of()));
    spark.sparkContext().setLogLevel("WARN");
    DataNetPolicy policy = DataNetSpecs.parse("datanets:\n  - id: d\n", "defaults").get(0);

    List<double[]> ours = new ArrayList<>();
    List<double[]> theirs = new ArrayList<>();
    Ours last = null;
    for (int round = 1; round <= rounds; round++) {
      last = ours(spark, corpusDir, policy);
      ours.add(new double[] {last.qualitySeconds, last.dedupSeconds});
      JsonNode t = datatrove(python, corpusDir, work.resolve("datatrove"), workers);
      theirs.add(new double[] {t.get("quality_s").asDouble(), t.get("dedup_s").asDouble()});
      System.out.printf(Locale.ROOT, "round %d: quality ours %.1f s, datatrove %.1f s (%.1f×); copies ours %.1f s, datatrove %.1f s (%.1f×)%n", round,
          ours.get(round - 1)[0], theirs.get(round - 1)[0], theirs.get(round - 1)[0] / ours.get(round - 1)[0],
          ours.get(round - 1)[1], theirs.get(round - 1)[1], theirs.get(round - 1)[1] / ours.get(round - 1)[1]);
    }
    double oq = median(ours, 0);
    double od = median(ours, 1);
    double tq = median(theirs, 0);
    double td = median(theirs, 1);
    System.out.printf(Locale.ROOT, "RESULT time median of %d rounds, %d workers each: quality ours %.1f s vs datatrove %.1f s (%.1f×); copies ours %.1f s vs datatrove %.1f s (%.1f×); both ours %.1f s vs datatrove %.1f s (%.1f×)%n",
        rounds, workers, oq, tq, tq / oq, od, td, td / od, oq + od, tq + td, (tq + td) / (oq + od));
    agreement(corpus, last, work.resolve("datatrove"));
  }

  /** What our side flagged and how long it took. */
  record Ours(double qualitySeconds, double dedupSeconds, Map<String, String> lowQuality, Map<String, String> copyOf) {}

  private static Ours ours(SparkSession spark, Path corpusDir, DataNetPolicy policy) {
    UserDefinedFunction failures =
        udf((UDF1<String, String[]>) text -> QualityMetrics.of(text).failures(policy).stream().map(f -> f.substring(0, f.indexOf(':'))).toArray(String[]::new),
            DataTypes.createArrayType(DataTypes.StringType, false));
    long start = System.nanoTime();
    Map<String, String> lowQuality = new HashMap<>();
    for (Row r : spark.read().json(corpusDir.toString()).select(col("id"), failures.apply(col("text")).as("failed")).where(size(col("failed")).gt(0))
        .collectAsList()) {
      lowQuality.put(r.getString(0), String.join(",", r.<String>getList(1)));
    }
    double quality = seconds(start);

    UserDefinedFunction hash = udf((UDF1<String, String>) text -> ContentFingerprint.contentHash(RecordKind.TEXT.value(), "", "", text), DataTypes.StringType);
    UserDefinedFunction shingles =
        udf((UDF1<String, long[]>) ContentFingerprint::shingles, DataTypes.createArrayType(DataTypes.LongType, false));
    start = System.nanoTime();
    Dataset<Row> batch =
        spark.read().json(corpusDir.toString())
            .select(col("arrival"), col("id").as("record_id"), col("metadata.datanet").as("datanet"), hash.apply(col("text")).as("content_hash"),
                shingles.apply(col("text")).as("shingles"))
            .localCheckpoint();
    Map<String, String> copyOf = new HashMap<>();
    for (Row r : DuplicateDetector.mark(spark, batch, batch.limit(0).select("record_id", "content_hash", "shingles"), Map.of())
        .where(col("dup_reason").isNotNull()).select("record_id", "duplicate_of").collectAsList()) {
      copyOf.put(r.getString(0), r.getString(1));
    }
    return new Ours(quality, seconds(start), lowQuality, copyOf);
  }

  private static JsonNode datatrove(Path python, Path corpusDir, Path out, int workers) throws Exception {
    Process p = new ProcessBuilder(python.toString(), "benchmarks/datatrove/run_datatrove.py", "--corpus", corpusDir.toString(), "--work", out.toString(),
        "--workers", String.valueOf(workers)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        last = line;
      }
    }
    if (p.waitFor() != 0 || last == null) {
      throw new IllegalStateException("run_datatrove.py failed (exit " + p.exitValue() + "); run it by hand to see why");
    }
    return JSON.readTree(last);
  }

  private static void agreement(List<CopyCorpus.Entry> corpus, Ours ours, Path dt) throws IOException {
    Map<String, CopyCorpus.Entry> byId = new HashMap<>();
    corpus.forEach(e -> byId.put(e.id(), e));
    Map<String, String> dtQuality = new HashMap<>();
    for (JsonNode d : readJsonl(dt.resolve("quality-removed"))) {
      dtQuality.put(d.get("id").asText(), d.path("metadata").path("filter_reason").asText("gopher_quality"));
    }
    for (JsonNode d : readJsonl(dt.resolve("repetition-removed"))) {
      dtQuality.put(d.get("id").asText(), d.path("metadata").path("filter_reason").asText("gopher_repetition"));
    }
    compare("quality", ours.lowQuality(), dtQuality, byId);

    Map<Long, String> keptByCluster = new HashMap<>();
    for (JsonNode d : readJsonl(dt.resolve("dedup-kept"))) {
      if (d.path("metadata").has("minhash_cluster_id")) {
        keptByCluster.put(d.path("metadata").get("minhash_cluster_id").asLong(), d.get("id").asText());
      }
    }
    Map<String, String> dtCopyOf = new HashMap<>();
    for (JsonNode d : readJsonl(dt.resolve("dedup-removed"))) {
      dtCopyOf.put(d.get("id").asText(), keptByCluster.getOrDefault(d.path("metadata").path("minhash_cluster_id").asLong(-1), "?"));
    }
    compare("copies", ours.copyOf(), dtCopyOf, byId);

    long planted = 0;
    long oursCaught = 0;
    long dtCaught = 0;
    for (CopyCorpus.Entry e : corpus) {
      if (e.originalOf() != null && (!e.kind().usesRate() || e.rate() <= 0.10)) {
        planted++;
        oursCaught += e.originalOf().equals(ours.copyOf().get(e.id())) ? 1 : 0;
        dtCaught += dtCopyOf.containsKey(e.id()) ? 1 : 0;
      }
    }
    List<Double> extras = new ArrayList<>();
    for (Map.Entry<String, String> e : dtCopyOf.entrySet()) {
      if (!ours.copyOf().containsKey(e.getKey()) && byId.containsKey(e.getValue()) && byId.get(e.getKey()).originalOf() == null) {
        extras.add(jaccard5(byId.get(e.getKey()).text(), byId.get(e.getValue()).text()));
      }
    }
    extras.sort(Double::compare);
    System.out.printf(Locale.ROOT, "RESULT planted copies with <= 10%% of words edited (and reordered, re-cased, pasted): ours %d/%d (%.1f%%), datatrove %d/%d (%.1f%%)%n",
        oursCaught, planted, 100.0 * oursCaught / planted, dtCaught, planted, 100.0 * dtCaught / planted);
    if (!extras.isEmpty()) {
      System.out.printf(Locale.ROOT, "RESULT distinct records only datatrove removed: %d, word 5-gram Jaccard with the record kept: median %.2f, max %.2f%n",
          extras.size(), extras.get(extras.size() / 2), extras.get(extras.size() - 1));
    }
  }

  private static void compare(String what, Map<String, String> ours, Map<String, String> theirs, Map<String, CopyCorpus.Entry> byId) {
    Set<String> both = new HashSet<>(ours.keySet());
    both.retainAll(theirs.keySet());
    Set<String> onlyOurs = new HashSet<>(ours.keySet());
    onlyOurs.removeAll(theirs.keySet());
    Set<String> onlyTheirs = new HashSet<>(theirs.keySet());
    onlyTheirs.removeAll(ours.keySet());
    System.out.printf(Locale.ROOT, "RESULT %s: both flag %d, only ours %d, only datatrove %d%n", what, both.size(), onlyOurs.size(), onlyTheirs.size());
    Map<String, Integer> ourReasons = new LinkedHashMap<>();
    onlyOurs.forEach(id -> Arrays.stream(ours.get(id).split(",")).forEach(r -> ourReasons.merge(isRecordId(r) ? "copy" : r, 1, Integer::sum)));
    Map<String, Integer> theirReasons = new LinkedHashMap<>();
    onlyTheirs.forEach(id -> theirReasons.merge(isRecordId(theirs.get(id)) ? "copy" : theirs.get(id), 1, Integer::sum));
    System.out.println("  only ours, by reason: " + ourReasons);
    System.out.println("  only datatrove, by reason: " + theirReasons);
    onlyOurs.stream().sorted().limit(2).forEach(id -> System.out.println("  e.g. only ours: " + id + " (" + ours.get(id) + "): " + excerpt(byId.get(id))));
    onlyTheirs.stream().sorted().limit(2).forEach(id -> System.out.println("  e.g. only datatrove: " + id + " (" + theirs.get(id) + "): " + excerpt(byId.get(id))));
  }

  private static boolean isRecordId(String value) {
    return value.startsWith("d-") || value.startsWith("c-") || value.equals("?");
  }

  private static String excerpt(CopyCorpus.Entry e) {
    String t = e.text().replace('\n', ' ');
    return (t.length() > 140 ? t.substring(0, 140) + "…" : t) + (e.originalOf() == null ? "" : " [planted " + e.kind() + " copy of " + e.originalOf() + "]");
  }

  private static double jaccard5(String a, String b) {
    Set<String> x = grams(a);
    Set<String> y = grams(b);
    Set<String> inter = new HashSet<>(x);
    inter.retainAll(y);
    return (double) inter.size() / (x.size() + y.size() - inter.size());
  }

  private static Set<String> grams(String text) {
    String[] w = ContentFingerprint.words(text);
    Set<String> out = new HashSet<>();
    for (int i = 0; i + 5 <= w.length; i++) {
      out.add(String.join(" ", Arrays.copyOfRange(w, i, i + 5)));
    }
    return out;
  }

  private static void write(List<CopyCorpus.Entry> corpus, Path dir) throws IOException {
    Files.createDirectories(dir);
    int half = corpus.size() / 2;
    for (int part = 0; part < 2; part++) {
      // Two files, in arrival order: both tools keep the earlier record of a pair.
      try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("part-" + part + ".jsonl"), StandardCharsets.UTF_8)) {
        for (CopyCorpus.Entry e : corpus.subList(part == 0 ? 0 : half, part == 0 ? half : corpus.size())) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("id", e.id());
          line.put("text", e.text());
          line.put("arrival", e.arrival());
          line.put("metadata", Map.of("datanet", e.datanet()));
          w.write(JSON.writeValueAsString(line));
          w.write('\n');
        }
      }
    }
  }

  private static List<JsonNode> readJsonl(Path dir) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(f)) {
          out.add(JSON.readTree(line));
        }
      }
    }
    return out;
  }

  private static double median(List<double[]> runs, int column) {
    double[] v = runs.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v[v.length / 2];
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
