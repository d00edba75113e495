package ai.payable.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.testing.SparkTestBase;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.WalletUtils;

/** {@code payable train} and {@code payable infer} as a researcher runs them. */
class TrainCommandTest extends SparkTestBase {

  @Test
  void trainsAnAdapterAndAnswersWithIt() throws Exception {
    String lh = lakehouse.root().toString();
    String sample = scratch.resolve("sample").toString();
    assertEquals(0, Cli.run("sample", "submissions", "--out", sample, "--records", "90", "--contributors", "3", "--problem-share", "0").code());
    assertEquals(0, Cli.run("datanet", "register", "--lakehouse", lh, "--file", sample + "/datanets.yaml").code());
    assertEquals(0, Cli.run("ingest", "submissions", "--lakehouse", lh, "--landing", sample + "/landing").code());
    Path base = Files.writeString(scratch.resolve("base.yaml"), """
        name: tiny-base
        kind: teacher
        datanets: [dermatology, contracts, agronomy]
        model: {hidden_size: 16, layers: 1, heads: 2, intermediate_size: 32, context: 64}
        epochs: 1
        """);
    Path adapter = Files.writeString(scratch.resolve("adapter.yaml"), """
        name: tiny-contracts
        kind: adapter
        base: tiny-base
        datanets: [contracts]
        lora: {rank: 2, alpha: 4, targets: [q_proj]}
        epochs: 1
        features: {projection_dim: 4}
        """);
    String models = scratch.resolve("models").toString();
    Cli.Run trained = Cli.run("train", "--lakehouse", lh, "--spec", base.toString(), "--models", models);
    assertEquals(0, trained.code(), trained.err());
    assertTrue(trained.out().startsWith("model tiny-base-") && trained.out().contains("held out (perplexity"), trained.out());
    assertTrue(trained.err().contains("step ") && trained.err().contains("tokens/s") && trained.err().contains("ETA"), trained.err());
    Cli.Run adapted = Cli.run("train", "--lakehouse", lh, "--spec", adapter.toString(), "--models", models);
    assertEquals(0, adapted.code(), adapted.err());
    assertTrue(adapted.out().contains("(adapter of tiny-base-"), adapted.out());

    Cli.Run lineage = Cli.run("sql", "--lakehouse", lh, "--format", "csv",
        "SELECT m.name, count(*) AS n FROM models m JOIN gradient_features g USING (model_id) GROUP BY m.name");
    assertTrue(lineage.out().matches("name,n\\ntiny-contracts,\\d+\\n"), lineage.out());

    // The training audit, as the model_training DAG runs it after train: by spec, a row per training record.
    Cli.Run audit = Cli.run("model", "audit", "--lakehouse", lh, "--spec", adapter.toString(), "--top", "2");
    assertEquals(0, audit.code(), audit.err());
    assertTrue(audit.out().startsWith("model tiny-contracts-") && audit.out().contains("training records audited (1 LoRA module × 16 dimensions)"), audit.out());
    assertTrue(audit.out().contains("RANK") && audit.out().contains("landing/contributor-") && audit.out().contains(".jsonl:"),
        "the top records with their landing lines: " + audit.out());
    Cli.Run audited = Cli.run("sql", "--lakehouse", lh, "--format", "csv",
        "SELECT count(*) = (SELECT count(*) FROM gradient_features) AS every_record, count(DISTINCT rank) = count(*) AS ranked FROM training_audit");
    assertEquals("every_record,ranked\ntrue,true\n", audited.out());
    Cli.Run teacher = Cli.run("model", "audit", "--lakehouse", lh, "--spec", base.toString());
    assertEquals(0, teacher.code(), teacher.err());
    assertTrue(teacher.out().startsWith("nothing to audit: ") && teacher.out().contains("trains a teacher"), teacher.out());
    Cli.Run neither = Cli.run("model", "audit", "--lakehouse", lh);
    assertEquals(1, neither.code());
    assertTrue(neither.err().contains("either as MODEL or with --spec FILE"), neither.err());

    // Nothing held out and a handful of steps: no held-out figures are invented, and the run says why the adapter is doubtful.
    Path unevaluated = Files.writeString(scratch.resolve("unevaluated.yaml"), """
        name: tiny-unevaluated
        kind: adapter
        base: tiny-base
        datanets: [contracts]
        lora: {rank: 2, alpha: 4, targets: [q_proj]}
        epochs: 1
        batch_size: 16
        heldout_fraction: 0
        features: {projection_dim: 4}
        """);
    Cli.Run quick = Cli.run("train", "--lakehouse", lh, "--spec", unevaluated.toString(), "--models", models);
    assertEquals(0, quick.code(), quick.err());
    assertTrue(quick.out().contains("0 held out") && quick.out().contains("(nothing held out to evaluate on)") && !quick.out().contains("perplexity"),
        quick.out());
    assertTrue(quick.out().contains("warning: no record was held out") && quick.out().contains("optimizer steps (fewer than 10)"), quick.out());
    assertTrue(!adapted.out().contains("no record was held out"), adapted.out());

    Path prompts = Files.writeString(scratch.resolve("prompts.jsonl"), "{\"prompt\": \"What is a lease?\", \"adapter\": \"tiny-contracts\"}\n");
    Path logs = scratch.resolve("logs/day.jsonl");
    Cli.Run unsigned = Cli.run("infer", "--lakehouse", lh, "--model", "tiny-base", "--adapters", "tiny-contracts", "--prompts", prompts.toString(),
        "--out", logs.toString());
    assertEquals(1, unsigned.code());
    assertTrue(unsigned.err().contains("a log needs the gateway's signature: pass --gateway-keystore FILE"), unsigned.err());
    // The gateway's key, in a keystore, registered so its logs are paid.
    ECKeyPair gatewayKey = ECKeyPair.create(BigInteger.valueOf(0x6a7e_c11L).shiftLeft(170).add(BigInteger.ONE));
    Path keys = Files.createDirectories(scratch.resolve("keys"));
    Path gatewayKeystore = keys.resolve(WalletUtils.generateWalletFile(Cli.KEYSTORE_PASSWORD, gatewayKey, keys.toFile(), false));
    Cli.Run registered = Cli.run("gateway", "register", "--lakehouse", lh, "--id", "test-gateway", "--address", "0x" + Keys.getAddress(gatewayKey));
    assertEquals(0, registered.code(), registered.err());
    assertTrue(Cli.run("gateway", "list", "--lakehouse", lh).out().startsWith("test-gateway"));
    Cli.Run infer = Cli.run("infer", "--lakehouse", lh, "--model", "tiny-base", "--adapters", "tiny-contracts", "--prompts", prompts.toString(),
        "--out", logs.toString(), "--max-new-tokens", "8", "--start", "2026-11-23T00:00:00Z", "--gateway-keystore", gatewayKeystore.toString());
    assertEquals(0, infer.code(), infer.err());
    assertTrue(infer.out().startsWith("1 answers in"), infer.out());
    List<String> lines = Files.readAllLines(logs);
    assertEquals(1, lines.size());
    assertTrue(lines.get(0).contains("\"ts\":\"2026-11-23T00:00:00Z\"") && lines.get(0).contains("\"adapter_id\":\"tiny-contracts-"), lines.get(0));

    Cli.Run ingested = Cli.run("ingest", "inferences", "--lakehouse", lh, "--landing", logs.getParent().toString());
    assertTrue(ingested.out().contains("accepted 1 + quarantined 0"), ingested.out() + ingested.err());
    Cli.Run noTreasury = Cli.run("attribute", "--lakehouse", lh, "--epoch", "2026-11-23");
    assertEquals(1, noTreasury.code());
    assertTrue(noTreasury.err().contains("pass --treasury 0x… or set PAYABLE_TREASURY"), noTreasury.err());
    Cli.Run attributed = Cli.run("attribute", "--lakehouse", lh, "--epoch", "2026-11-23", "--treasury", "0x000000000000000000000000000000000000dead");
    assertEquals(0, attributed.code(), attributed.err());
    assertTrue(attributed.out().startsWith("epoch 2026-11-23: 1 answers") && attributed.out().contains("fees 1,000,000,000,000,000 wei → rewards 1,000,000,000,000,000 wei"),
        attributed.out());
    Cli.Run inTokens = Cli.run("attribute", "--lakehouse", lh, "--epoch", "2026-11-23", "--treasury", "0x000000000000000000000000000000000000dead",
        "--token-units", "PAYT:18");
    assertTrue(inTokens.out().contains("fees 0.001 PAYT (1000000000000000 wei) → rewards 0.001 PAYT (1000000000000000 wei)"), inTokens.out());

    Cli.Run badSpec = Cli.run("train", "--lakehouse", lh, "--spec", Files.writeString(scratch.resolve("bad.yaml"), "name: x\nkind: adapter\n").toString());
    assertEquals(1, badSpec.code());
    assertTrue(badSpec.err().startsWith("error: " + scratch.resolve("bad.yaml") + ": datanets = []"), badSpec.err());
    Cli.Run unknownModel = Cli.run("infer", "--lakehouse", lh, "--model", "nope", "--prompts", prompts.toString(), "--out", logs.toString(),
        "--gateway-keystore", gatewayKeystore.toString());
    assertEquals(1, unknownModel.code());
    assertTrue(unknownModel.err().contains("no model 'nope'") && unknownModel.err().contains("payable train --spec"), unknownModel.err());
  }
}
