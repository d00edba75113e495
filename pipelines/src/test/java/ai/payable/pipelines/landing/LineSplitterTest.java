package ai.payable.pipelines.landing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {

  private static List<RawLine> split(byte[] bytes) {
    List<RawLine> out = new ArrayList<>();
    LineSplitter.split(bytes, out::add);
    return out;
  }

  @Test
  void bomCrlfAndMissingFinalNewline() {
    byte[] bytes = ("\uFEFFfirst\r\nsecond\n\nlast").getBytes(StandardCharsets.UTF_8);
    List<RawLine> lines = split(bytes);
    assertEquals(List.of("first", "second", "", "last"), lines.stream().map(RawLine::text).toList());
    assertEquals(List.of(1L, 2L, 3L, 4L), lines.stream().map(RawLine::lineNo).toList());
    assertTrue(lines.stream().allMatch(l -> l.encodingProblem() == null));
  }

  @Test
  void emptyFileHasNoLinesAndFinalNewlineStartsNone() {
    assertEquals(0, split(new byte[0]).size());
    assertEquals(1, split("a\n".getBytes(StandardCharsets.UTF_8)).size());
  }

  @Test
  void invalidUtf8AndNulAreReportedNotDropped() {
    byte[] bytes = {'o', 'k', '\n', 'a', (byte) 0xFF, 'b', '\n', 'x', 0, 'y'};
    List<RawLine> lines = split(bytes);
    assertEquals(3, lines.size());
    assertNull(lines.get(0).encodingProblem());
    assertEquals("invalid UTF-8 at byte 2", lines.get(1).encodingProblem());
    assertEquals("NUL byte at character 2", lines.get(2).encodingProblem());
  }

  @Test
  void fiftyMegabyteLineIsOneLine() {
    byte[] big = new byte[50 * 1024 * 1024 + 2];
    java.util.Arrays.fill(big, (byte) 'a');
    big[big.length - 2] = '\n';
    big[big.length - 1] = 'z';
    List<RawLine> lines = split(big);
    assertEquals(2, lines.size());
    assertEquals(50L * 1024 * 1024, lines.get(0).bytes());
  }
}
