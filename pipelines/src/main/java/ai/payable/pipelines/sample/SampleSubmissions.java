package ai.payable.pipelines.sample;

import ai.payable.core.catalog.RecordKind;
import ai.payable.core.crypto.Keccak;
import ai.payable.core.submission.RecordContent;
import ai.payable.core.submission.RecordTypedData;
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
 * quarantine has something to show. Every record carries facts of its own ({@link SampleFacts}), so
 * each has one rightful owner; {@code questions.jsonl}, written beside the landing zone and never
 * into it, asks about those facts and names the owner of each, for the demo and for measuring
 * retrieval and attribution.
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
          near_duplicate_similarity: 0.75
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

  /** The file of questions about the records' facts, beside {@code landing/}. */
  public static final String QUESTIONS = "questions.jsonl";

  /**
   * What was generated.
   *
   * @param questions lines of {@link #QUESTIONS}: one per valid record
   */
  public record Generated(int files, long lines, long problemLines, List<String> contributors, long questions) {}

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
    SampleFacts.Draws draws = new SampleFacts.Draws(random);
    List<String> datanets = SampleFacts.DATANETS;
    List<List<String>> perContributor = new ArrayList<>();
    List<List<String>> lateUploads = new ArrayList<>();
    List<String[]> published = new ArrayList<>();
    List<String> questions = new ArrayList<>();
    int[] lineOf = new int[contributors];
    signers.forEach(s -> {
      perContributor.add(new ArrayList<>());
      lateUploads.add(new ArrayList<>());
    });
    Instant start = Instant.parse(day + "T00:00:00Z");
    long problems = 0;
    for (int i = 0; i < records; i++) {
      int who = i % contributors;
      String datanet = datanets.get(who % datanets.size());
      SampleFacts.Fact fact = draws.next(datanet, i);
      String createdAt = start.plusSeconds(i % 86_400).toString();
      String license = datanet.equals("contracts") ? "CC-BY-4.0" : "CC0-1.0";
      SubmissionSigner signer = signers.get(who);
      perContributor.get(who).add(signer.signLine(datanet, license, fact.kind().value(), fact.prompt(), fact.completion(), fact.text(), createdAt));
      lineOf[who]++;
      published.add(new String[] {datanet, license, fact.kind().value(), fact.prompt(), fact.completion(), fact.text(), createdAt, String.valueOf(who)});
      String recordId = RecordTypedData.recordId(new RecordContent(datanet, signer.address().value(), license, fact.kind().value(), fact.prompt(),
          fact.completion(), fact.text(), createdAt));
      questions.add(new SampleQuestion(fact.datanet(), fact.question(), fact.unnamedQuestion(), fact.expected(), fact.entity(), signer.address().checksummed(), recordId,
          String.format("landing/contributor-%02d.jsonl:%d", who, lineOf[who])).toJson());
      if (random.nextDouble() < problemShare) {
        // Someone else's record: a copier never copies their own.
        String[] original = published.get(random.nextInt(published.size()));
        int copier = (Integer.parseInt(original[7]) + 1 + random.nextInt(contributors - 1)) % contributors;
        lateUploads.get(copier).add(problemLine(signers, copier, original, random));
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
    Files.write(out.resolve(QUESTIONS), questions, StandardCharsets.UTF_8);
    return new Generated(2 * contributors, lines, problems, signers.stream().map(s -> s.address().value()).toList(), questions.size());
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
    String kind = original[2];
    String prompt = original[3];
    String completion = original[4];
    String text = original[5];
    String createdAt = original[6];
    boolean qa = kind.equals(RecordKind.QA.value());
    return switch (random.nextInt(6)) {
      case 0 -> s.signLine(datanet, license, kind, prompt, completion, text, createdAt); // exact copy
      case 1 -> s.signLine(datanet, license, kind, prompt, qa ? completion + " Thanks." : "", qa ? "" : text + " Thanks.", createdAt); // near copy
      case 2 -> s.signLine(datanet, license, kind, prompt, completion, text, createdAt)
          .replace(s.address().checksummed(), signers.get((copier + 1) % signers.size()).address().checksummed()); // forged
      case 3 -> s.signLine("astrology", license, kind, prompt, completion, text, createdAt);
      case 4 -> {
        String email = " Reach me at someone" + random.nextInt(1000) + "@mail.example.com.";
        // At the end, as a signature would be: where a DataNet redacts personal data, what is left is a
        // near copy of the original (a few new shingles at the tail) that deduplication catches.
        yield s.signLine(datanet, license, kind, prompt, qa ? completion + email : completion, qa ? text : text + email, createdAt);
      }
      default -> s.signLine(datanet, license, kind, prompt, completion, text, createdAt).substring(0, 60);
    };
  }
}
