package ai.payable.training.span;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suffix array sorts like a naive sort; spans credit the records that contain them; an index
 * cut into many shards and read back from mapped files credits exactly as one shard in memory does.
 */
class SpanIndexTest {

  @TempDir Path dir;

  @Test
  void suffixArrayMatchesANaiveSort() {
    SplittableRandom r = new SplittableRandom(3);
    for (int round = 0; round < 50; round++) {
      byte[] tokens = new byte[r.nextInt(1, 300)];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = r.nextInt(10) == 0 ? SuffixArray.SEPARATOR : (byte) (r.nextInt(4) * 70);
      }
      List<Integer> naive = new ArrayList<>();
      for (int i = 0; i < tokens.length; i++) {
        naive.add(i);
      }
      naive.sort(Comparator.comparing(i -> i, (a, b) -> {
        for (int k = 0; ; k++) {
          if (a + k == tokens.length || b + k == tokens.length) {
            return Integer.compare(tokens.length - a - k == 0 ? 0 : 1, tokens.length - b - k == 0 ? 0 : 1);
          }
          if (tokens[a + k] != tokens[b + k]) {
            return Integer.compare(value(tokens[a + k]), value(tokens[b + k]));
          }
        }
      }));
      assertArrayEquals(naive.stream().mapToInt(Integer::intValue).toArray(), SuffixArray.sort(tokens), "round " + round);
    }
  }

  private static int value(byte b) {
    return b == SuffixArray.SEPARATOR ? -1 : b & 0xff;
  }

  @Test
  void spansCreditTheRecordsThatContainThem() throws Exception {
    List<String> ids = List.of("r-soil", "r-water", "r-both");
    List<String> texts = List.of("legumes restore soil nitrogen every season", "drip irrigation saves water in dry summers",
        "rotate legumes; drip irrigation helps too");
    SpanIndex index = SpanIndex.build(ids, texts);
    int[] answer = SpanIndex.bytes("farmers say legumes restore soil nitrogen and drip irrigation saves water");
    List<SpanIndex.Span> spans = index.spans(answer, 12);
    // Maximal matches may overlap: " drip irrigation " (also in r-both) starts one byte before
    // "drip irrigation saves water", which only r-water holds.
    assertEquals(List.of(new SpanIndex.Span(12, 30, 1), new SpanIndex.Span(45, 17, 1), new SpanIndex.Span(46, 27, 1)), spans);
    Map<String, Double> credit = index.credit(answer, 12);
    assertTrue(credit.get("r-soil") > 0 && credit.get("r-water") > 0, credit.toString());
    assertTrue(credit.get("r-both") < credit.get("r-water") && credit.get("r-water") < credit.get("r-soil"), credit.toString());
    assertTrue(index.credit(SpanIndex.bytes("nothing in common here at all"), 12).isEmpty());

    SpanIndex.write(dir.resolve("one"), ids, texts);
    assertEquals(credit, SpanIndex.open(dir.resolve("one")).credit(answer, 12));
  }

  @Test
  void shardsCreditAsOneIndexDoes() throws Exception {
    SplittableRandom r = new SplittableRandom(8);
    String[] words = {"soil", "water", "legumes", "nitrogen", "drip", "season", "rotate", "yield", "clay", "loam", "frost", "mulch"};
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (int k = 0; k < 400; k++) {
      StringBuilder t = new StringBuilder();
      for (int w = 0; w < 6 + r.nextInt(20); w++) {
        t.append(words[r.nextInt(words.length)]).append(' ');
      }
      ids.add(String.format("rec-%03d", k));
      texts.add(t.toString().trim());
    }
    SpanIndex whole = SpanIndex.build(ids, texts);
    int shards = SpanIndex.write(dir.resolve("sharded"), ids, texts, 1500);
    SpanIndex mapped = SpanIndex.open(dir.resolve("sharded"));
    assertTrue(shards > 10, "the corpus is cut into " + shards + " shards");
    assertEquals(shards, mapped.shards());
    assertEquals(400, mapped.records());
    for (int q = 0; q < 30; q++) {
      int[] answer = SpanIndex.bytes(texts.get(r.nextInt(400)) + " and " + texts.get(r.nextInt(400)).substring(3));
      assertEquals(whole.spans(answer, 12), mapped.spans(answer, 12), "answer " + q);
      assertEquals(whole.credit(answer, 12), mapped.credit(answer, 12), "answer " + q);
    }
  }
}
