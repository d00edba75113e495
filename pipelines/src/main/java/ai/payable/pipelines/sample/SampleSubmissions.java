package ai.payable.pipelines.sample;

import ai.payable.core.crypto.Keccak;
import ai.payable.core.submission.SubmissionSigner;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.web3j.crypto.ECKeyPair;

/**
 * Generates a deterministic landing zone of signed submissions for the sample DataNets: one file
 * per contributor, with a share of the problems real landing zones see (copies of other people's
 * records, near copies, forged signatures, unknown DataNets, personal data, broken JSON), so the
 * quarantine has something to show.
 *
 * <p>The contributor keys are derived from a public seed: they are demo keys, never real ones.
 */
public final class SampleSubmissions {

  /** The DataNet declarations the samples are written for. */
  public static final String DATANETS_YAML =
      """
      # Sample DataNets for the demo and tests. Unset keys take the documented defaults.
      datanets:
        - id: dermatology
          domain: medicine
          licenses: [CC-BY-4.0, CC0-1.0]
          languages: [en]
          pii: reject
          min_words: 20
          max_chars: 20000
          near_duplicate_jaccard: 0.8
        - id: contracts
          domain: law
          licenses: [CC-BY-4.0]
          pii: redact
        - id: agronomy
          domain: agriculture
          licenses: [CC-BY-4.0, CC0-1.0]
          pii: reject
      """;

  private SampleSubmissions() {}

  /** What was generated. */
  public record Generated(int files, long lines, long problemLines, List<String> contributors) {}

  /** The demo key of contributor {@code index}. */
  public static ECKeyPair demoKey(int index) {
    byte[] seed = Keccak.hash("payable-ai demo contributor " + index);
    return ECKeyPair.create(new BigInteger(1, seed));
  }

  /**
   * Writes {@code datanets.yaml}, {@code landing/contributor-NN.jsonl} files and, an hour later,
   * {@code landing/contributor-NN-late.jsonl} uploads with the problem lines under {@code out}.
   *
   * @param records valid records to generate in total (problem lines come on top)
   * @param contributors number of contributors, each with their own file
   * @param problemShare share of extra problem lines, e.g. 0.1
   * @param day the UTC day the records are created on (ISO date)
   */
  public static Generated write(Path out, int records, int contributors, double problemShare, String day, long seed) throws IOException {
    Files.createDirectories(out.resolve("landing"));
    Files.writeString(out.resolve("datanets.yaml"), DATANETS_YAML, StandardCharsets.UTF_8);
    List<SubmissionSigner> signers = new ArrayList<>();
    for (int i = 0; i < contributors; i++) {
      signers.add(new SubmissionSigner(demoKey(i)));
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<String> datanets = SampleText.datanets();
    List<List<String>> perContributor = new ArrayList<>();
    List<List<String>> lateUploads = new ArrayList<>();
    List<String[]> published = new ArrayList<>();
    signers.forEach(s -> {
      perContributor.add(new ArrayList<>());
      lateUploads.add(new ArrayList<>());
    });
    Instant start = Instant.parse(day + "T00:00:00Z");
    long problems = 0;
    for (int i = 0; i < records; i++) {
      int who = i % contributors;
      String datanet = datanets.get(who % datanets.size());
      String prompt = SampleText.question(datanet, random) + " (case " + i + ")";
      String completion = SampleText.answer(datanet, random);
      String createdAt = start.plusSeconds(i % 86_400).toString();
      String license = datanet.equals("contracts") ? "CC-BY-4.0" : "CC0-1.0";
      perContributor.get(who).add(signers.get(who).signLine(datanet, license, "qa", prompt, completion, "", createdAt));
      published.add(new String[] {datanet, license, prompt, completion, createdAt});
      if (random.nextDouble() < problemShare) {
        int copier = (who + 1 + random.nextInt(contributors - 1)) % contributors;
        lateUploads.get(copier).add(problemLine(signers, copier, published.get(random.nextInt(published.size())), random));
        problems++;
      }
    }
    long lines = 0;
    FileTime landed = FileTime.from(start);
    for (int c = 0; c < contributors; c++) {
      lines += writeLines(out.resolve("landing").resolve(String.format("contributor-%02d.jsonl", c)), perContributor.get(c), landed);
    }
    // Copies and other problem lines land later, as a copier's upload would: the originals win.
    FileTime later = FileTime.from(start.plusSeconds(3600));
    for (int c = 0; c < contributors; c++) {
      lines += writeLines(out.resolve("landing").resolve(String.format("contributor-%02d-late.jsonl", c)), lateUploads.get(c), later);
    }
    return new Generated(2 * contributors, lines, problems, signers.stream().map(s -> s.address().value()).toList());
  }

  private static long writeLines(Path file, List<String> lines, FileTime landed) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (String line : lines) {
        w.write(line);
        w.write('\n');
      }
    }
    Files.setLastModifiedTime(file, landed);
    return lines.size();
  }

  private static String problemLine(List<SubmissionSigner> signers, int copier, String[] original, SplittableRandom random) {
    SubmissionSigner s = signers.get(copier);
    String datanet = original[0];
    String license = original[1];
    String prompt = original[2];
    String completion = original[3];
    String createdAt = original[4];
    return switch (random.nextInt(6)) {
      case 0 -> s.signLine(datanet, license, "qa", prompt, completion, "", createdAt); // exact copy
      case 1 -> s.signLine(datanet, license, "qa", prompt, completion + " Thanks.", "", createdAt); // near copy
      case 2 -> s.signLine(datanet, license, "qa", prompt, completion, "", createdAt)
          .replace(s.address().checksummed(), signers.get((copier + 1) % signers.size()).address().checksummed()); // forged
      case 3 -> s.signLine("astrology", license, "qa", prompt, completion, "", createdAt);
      case 4 -> s.signLine(datanet, license, "qa", prompt + " Reach me at someone" + random.nextInt(1000) + "@mail.example.com.", completion, "", createdAt);
      default -> s.signLine(datanet, license, "qa", prompt, completion, "", createdAt).substring(0, 60);
    };
  }
}
