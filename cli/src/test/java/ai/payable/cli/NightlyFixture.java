package ai.payable.cli;

import static org.apache.spark.sql.functions.col;

import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.inference.GatewaySigner;
import ai.payable.core.inference.InferenceLogLine;
import ai.payable.core.lakehouse.Lakehouse;
import ai.payable.core.money.Wei;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import ai.payable.pipelines.gateway.GatewayRegistry;
import ai.payable.pipelines.ingest.SubmissionIngestJob;
import ai.payable.pipelines.sample.SampleSubmissions;
import ai.payable.training.job.TrainingJob;
import ai.payable.training.spec.TrainingSpec;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.web3j.crypto.ECKeyPair;

/**
 * A lakehouse ready for nightly runs, for tests of the money path: sample DataNet records
 * ingested, a tiny base trained on them with a LoRA adapter for the contracts DataNet, and a
 * registered gateway whose signed answers the tests write into a landing zone.
 */
final class NightlyFixture {

  /** A day's signed log lines and the fees they carry. */
  record Day(List<String> lines, BigInteger fees) {}

  final String base;
  final String adapter;
  final GatewaySigner gateway;
  /** The contracts DataNet's question-and-answer records, which the adapter's answers reproduce. */
  final List<Row> records;

  private NightlyFixture(String base, String adapter, GatewaySigner gateway, List<Row> records) {
    this.base = base;
    this.adapter = adapter;
    this.gateway = gateway;
    this.records = records;
  }

  /**
   * Ingests sample records into {@code lakehouse}, trains the models into {@code work/models}
   * (cache {@code work/cache}), and registers the gateway.
   *
   * @param builder the adapter's owner, paid the model builder's share
   */
  static NightlyFixture create(Lakehouse lakehouse, Path work, String builder) throws Exception {
    Path sample = work.resolve("sample");
    SampleSubmissions.write(sample, 24, 3, 0, "2026-11-01", 11);
    new DataNetRegistry(lakehouse).register(DataNetSpecs.read(sample.resolve("datanets.yaml")));
    new SubmissionIngestJob(lakehouse).run(sample.resolve("landing").toUri());
    TrainingJob training = new TrainingJob(lakehouse, work.resolve("models").toString(), work.resolve("cache"), Progress.silent(), (s, n, l, t, sec) -> {});
    String base = training.run(TrainingSpec.parse("""
        name: fixture-base
        kind: teacher
        datanets: [dermatology, contracts, agronomy]
        model: {hidden_size: 16, layers: 1, heads: 2, intermediate_size: 32, context: 64}
        epochs: 1
        """, "fixture-base.yaml")).model().modelId();
    String adapter = training.run(TrainingSpec.parse("""
        name: fixture-contracts
        kind: adapter
        base: fixture-base
        owner: "%s"
        datanets: [contracts]
        lora: {rank: 2, alpha: 4, targets: [q_proj]}
        epochs: 1
        features: {projection_dim: 4}
        """.formatted(builder), "fixture-adapter.yaml")).model().modelId();
    GatewaySigner gateway = new GatewaySigner(ECKeyPair.create(BigInteger.valueOf(0xc4a5_11L).shiftLeft(160).add(BigInteger.ONE)));
    new GatewayRegistry(lakehouse).register("fixture-gateway", gateway.address(), "the tests' gateway");
    List<Row> records = lakehouse.read(Tables.RECORDS).where(col("datanet").equalTo("contracts").and(col("kind").equalTo("qa"))).orderBy("record_id")
        .collectAsList();
    return new NightlyFixture(base, adapter, gateway, records);
  }

  /**
   * {@code count} signed answers of the adapter on {@code day}, the {@code n}-th reproducing record
   * {@code first + n} (and retrieving it, every other answer), with fees that differ by answer.
   */
  Day answers(LocalDate day, int count, int first) {
    List<String> lines = new ArrayList<>();
    BigInteger fees = BigInteger.ZERO;
    for (int i = 0; i < count; i++) {
      Row r = records.get((first + i) % records.size());
      BigInteger fee = BigInteger.valueOf(1_000_000_000_000_007L).multiply(BigInteger.valueOf(1 + (first + i) % 3));
      fees = fees.add(fee);
      List<InferenceLogLine.Retrieved> retrieved = i % 2 == 0 ? List.of(new InferenceLogLine.Retrieved(r.getAs("record_id"), 0.9)) : List.of();
      lines.add(gateway.sign(new InferenceLogLine(day + "-" + i, day.atTime(9 + i % 12, 0).toInstant(ZoneOffset.UTC), base, adapter, r.getAs("prompt"),
          r.getAs("completion"), 20, 12, new Wei(fee), retrieved, null)).toJson());
    }
    return new Day(lines, fees);
  }

  /** Writes {@code day}'s lines as {@code landing/DAY/gateway.jsonl}. */
  static void land(Path landing, LocalDate day, Day lines) throws java.io.IOException {
    Files.write(Files.createDirectories(landing.resolve(day.toString())).resolve("gateway.jsonl"), lines.lines());
  }
}
