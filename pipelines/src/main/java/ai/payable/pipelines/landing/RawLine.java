package ai.payable.pipelines.landing;

/**
 * One line of a landing file, before any parsing.
 *
 * @param lineNo 1-based line number in the file
 * @param text the line decoded as UTF-8 (malformed bytes replaced by U+FFFD), without its line end
 * @param bytes length of the line in bytes, without its line end
 * @param encodingProblem why the bytes are not clean UTF-8 text, or null when they are
 */
public record RawLine(long lineNo, String text, long bytes, String encodingProblem) {}
