package ai.payable.pipelines.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.catalog.Tables;
import ai.payable.core.testing.SparkTestBase;
import ai.payable.pipelines.datanet.DataNetRegistry;
import ai.payable.pipelines.datanet.DataNetSpecs;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Contributors sign with their wallets, not with our code: submissions signed by ethers v6 (npm,
 * the README's example) must be accepted, and our record ids must equal ethers' EIP-712 digests.
 */
class EthersSignedSubmissionTest extends SparkTestBase {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void submissionsSignedWithEthersAreAccepted() throws Exception {
    Path repo = Path.of("..").toAbsolutePath().normalize();
    assertTrue(Files.isDirectory(repo.resolve("node_modules/ethers")),
        "ethers is not installed: run `npm ci` in " + repo + " (make test does)");
    String records =
        """
        [{"datanet":"dermatology","license":"CC-BY-4.0","kind":"qa",
          "prompt":"How often should sunscreen be applied during a long day outside in strong summer sun?",
          "completion":"Apply a broad spectrum sunscreen twenty minutes before going out and renew it every two hours, and after swimming or sweating heavily.",
          "text":"","createdAt":"2026-11-20T10:00:00Z"},
         {"datanet":"dermatology","license":"CC0-1.0","kind":"text","prompt":"","completion":"",
          "text":"Eczema flares often follow dry winter air; a fragrance-free moisturizer applied right after a lukewarm shower helps the skin barrier recover — ünïcødé included.",
          "createdAt":"2026-11-21T09:30:00.123Z"}]
        """;
    ProcessBuilder pb = new ProcessBuilder("node", "pipelines/src/test/js/sign-with-ethers.mjs").directory(repo.toFile());
    pb.environment().put("PRIVATE_KEY", "0x" + "11".repeat(32));
    pb.redirectError(ProcessBuilder.Redirect.INHERIT);
    File in = Files.writeString(scratch.resolve("records.json"), records).toFile();
    pb.redirectInput(in);
    Process node = pb.start();
    String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(node.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, node.exitValue(), out);

    List<String> lines = new ArrayList<>();
    Set<String> digests = new TreeSet<>();
    for (String l : out.strip().split("\n")) {
      JsonNode n = JSON.readTree(l);
      lines.add(n.get("line").asText());
      digests.add(n.get("digest").asText());
    }
    new DataNetRegistry(lakehouse).register(DataNetSpecs.parse(Submissions.DATANETS_YAML, "test.yaml"));
    Submissions.write(scratch.resolve("landing"), "ethers.jsonl", lines);
    IngestSummary s = new SubmissionIngestJob(lakehouse).run(scratch.resolve("landing").toUri());
    assertEquals(2, s.accepted(), s.render());
    Set<String> ids = new TreeSet<>(lakehouse.read(Tables.RECORDS).select("record_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(digests, ids);
  }
}
