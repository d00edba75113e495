package ai.payable.pipelines.ingest;

import ai.payable.core.submission.SubmissionSigner;
import ai.payable.pipelines.sample.SampleFacts;
import ai.payable.pipelines.sample.SampleSubmissions;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.web3j.crypto.ECKeyPair;

/** Test fixtures: contributors with fixed keys and signed sample lines. */
final class Submissions {

  /** The sample DataNets (dermatology rejects PII, contracts redacts it). */
  static final String DATANETS_YAML = SampleSubmissions.DATANETS_YAML;

  private Submissions() {}

  static SubmissionSigner contributor(int n) {
    return new SubmissionSigner(ECKeyPair.create(BigInteger.valueOf(1000 + n)));
  }

  /** {@code count} valid signed lines for {@code datanet} (Q&A and text records), seeded. */
  static List<String> valid(SubmissionSigner who, String datanet, int count, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SampleFacts.Fact f = SampleFacts.of(datanet, (int) (seed * 100 + i), random);
      lines.add(who.signLine(datanet, "CC-BY-4.0", f.kind().value(), f.prompt(), f.completion(), f.text(), "2026-11-20T10:00:00Z"));
    }
    return lines;
  }

  static Path write(Path dir, String name, List<String> lines) throws IOException {
    Files.createDirectories(dir);
    return Files.write(dir.resolve(name), (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
