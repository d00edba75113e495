package ai.payable.pipelines.landing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a landing file's bytes into lines, accounting for every line: LF and CRLF line ends, a
 * UTF-8 byte-order mark on the first line, invalid UTF-8 and NUL bytes (reported, not dropped).
 * A final line without a line end counts; a final line end does not start an empty line.
 */
public final class LineSplitter {

  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private LineSplitter() {}

  /** Calls {@code sink} once per line, in order. */
  public static void split(byte[] content, Consumer<RawLine> sink) {
    int start = startsWith(content, BOM) ? BOM.length : 0;
    long lineNo = 0;
    int pos = start;
    while (pos < content.length) {
      int end = pos;
      while (end < content.length && content[end] != '\n') {
        end++;
      }
      int stop = end > pos && content[end - 1] == '\r' ? end - 1 : end;
      sink.accept(decode(++lineNo, content, pos, stop - pos));
      pos = end + 1;
    }
  }

  private static RawLine decode(long lineNo, byte[] content, int offset, int length) {
    CharsetDecoder strict =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content, offset, length);
    CharBuffer out = CharBuffer.allocate(length);
    CoderResult result = strict.decode(in, out, true);
    if (!result.isError()) {
      result = strict.flush(out);
    }
    if (result.isError()) {
      String lossy = new String(content, offset, length, StandardCharsets.UTF_8);
      return new RawLine(
          lineNo, lossy, length, "invalid UTF-8 at byte " + (in.position() - offset + 1));
    }
    String text = out.flip().toString();
    int nul = text.indexOf('\0');
    return new RawLine(lineNo, text, length, nul >= 0 ? "NUL byte at character " + (nul + 1) : null);
  }

  private static boolean startsWith(byte[] content, byte[] prefix) {
    if (content.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (content[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
