package ai.payable.attribution.span;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The suffix array sorts like a naive sort, and spans credit the records that contain them. */
class SpanIndexTest {

  @TempDir Path dir;

  private static int[] bytes(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int[] out = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[i] & 0xff;
    }
    return out;
  }

  @Test
  void suffixArrayMatchesANaiveSort() {
    SplittableRandom r = new SplittableRandom(3);
    for (int round = 0; round < 50; round++) {
      int[] tokens = new int[r.nextInt(1, 300)];
      for (int i = 0; i < tokens.length; i++) {
        tokens[i] = r.nextInt(10) == 0 ? -1 : r.nextInt(4);
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
            return Integer.compare(tokens[a + k], tokens[b + k]);
          }
        }
      }));
      assertArrayEquals(naive.stream().mapToInt(Integer::intValue).toArray(), SuffixArray.build(tokens).suffixes(), "round " + round);
    }
  }

  @Test
  void spansCreditTheRecordsThatContainThem() throws Exception {
    List<String> ids = List.of("r-soil", "r-water", "r-both");
    SpanIndex index = SpanIndex.build(ids, List.of(bytes("legumes restore soil nitrogen every season"),
        bytes("drip irrigation saves water in dry summers"), bytes("rotate legumes; drip irrigation helps too")));
    int[] answer = bytes("farmers say legumes restore soil nitrogen and drip irrigation saves water");
    List<SpanIndex.Span> spans = index.spans(answer, 12);
    // Maximal matches may overlap: " drip irrigation " (also in r-both) starts one byte before
    // "drip irrigation saves water", which only r-water holds.
    assertEquals(List.of(new SpanIndex.Span(12, 30, 1), new SpanIndex.Span(45, 17, 1), new SpanIndex.Span(46, 27, 1)), spans);
    Map<String, Double> credit = index.credit(answer, 12);
    assertTrue(credit.get("r-soil") > 0 && credit.get("r-water") > 0, credit.toString());
    assertTrue(credit.get("r-both") < credit.get("r-water") && credit.get("r-water") < credit.get("r-soil"), credit.toString());
    assertTrue(index.credit(bytes("nothing in common here at all"), 12).isEmpty());

    Path file = dir.resolve("span.idx");
    index.write(file);
    assertEquals(credit, SpanIndex.read(file).credit(answer, 12));
  }
}
