package ai.payable.pipelines.ingest;

import ai.payable.core.catalog.Tables;
import ai.payable.pipelines.landing.LandingFile;
import ai.payable.pipelines.landing.LineSplitter;
import ai.payable.pipelines.landing.RawLine;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads landing files in parallel, one Spark task per file, and turns each line into a staged
 * row. Whole files are read as bytes (Spark's {@code binaryFile} source) rather than as text, so
 * line numbers are exact and bad bytes are seen instead of silently replaced.
 */
public final class LandingRead {

  /** Makes the staged row of one line; {@code arrival} orders lines across the batch. */
  @FunctionalInterface
  public interface LineStager extends java.io.Serializable {
    Row stage(String path, String fileSha256, long arrival, RawLine line);
  }

  // The line columns: where a line came from (with quarantine's names) and what the checks found.
  static final String SOURCE_FILE = "source_file";
  static final String LINE_NO = "line_no";
  static final String RAW_LINE = "raw_line";
  static final String RAW_BYTES = "raw_bytes";
  static final String RAW_TRUNCATED = "raw_truncated";
  static final String REASONS = "reasons";
  static final String DETAIL = "detail";
  /** A line's position in the whole batch: the earlier of two copies is the one kept. */
  static final String ARRIVAL = "arrival";
  static final String FILE_SHA256 = "file_sha256";

  /** Longest raw text kept in quarantine; the rest is counted in {@code raw_bytes}. */
  public static final int RAW_KEEP_CHARS = 1 << 20;

  private LandingRead() {}

  /**
   * The columns every staged line starts with: where it came from, its raw text as quarantine
   * keeps it, and what the per-line checks found.
   */
  public static StructType lineColumns() {
    return concat(Tables.QUARANTINE.columns(SOURCE_FILE, LINE_NO),
        new StructType().add(ARRIVAL, DataTypes.LongType, false).add(FILE_SHA256, DataTypes.StringType, false),
        Tables.QUARANTINE.columns(RAW_LINE, RAW_BYTES, RAW_TRUNCATED, REASONS, DETAIL));
  }

  /** The line columns followed by {@code content}: the schema of a kind's staged rows. */
  public static StructType withLineColumns(StructType content) {
    return concat(lineColumns(), content);
  }

  private static StructType concat(StructType... parts) {
    return new StructType(Arrays.stream(parts).flatMap(p -> Arrays.stream(p.fields())).toArray(StructField[]::new));
  }

  /**
   * A staged row of {@code schema} with the {@link #lineColumns()} of {@code line} filled and the
   * per-line checks' {@code reasons} (empty for a valid line) and {@code detail}; the stager fills
   * the rest.
   */
  static StagedRow lineRow(StructType schema, String path, String fileSha256, long arrival, RawLine line, List<String> reasons, String detail) {
    return new StagedRow(schema).set(SOURCE_FILE, path).set(LINE_NO, line.lineNo()).set(ARRIVAL, arrival).set(FILE_SHA256, fileSha256)
        .set(RAW_LINE, keepRaw(line.text())).set(RAW_BYTES, line.bytes()).set(RAW_TRUNCATED, line.text().length() > RAW_KEEP_CHARS)
        .set(REASONS, reasons.toArray(String[]::new)).set(DETAIL, detail);
  }

  /** The staged rows of every line of {@code files}, in a dataset of {@code schema}. */
  public static Dataset<Row> stage(SparkSession spark, List<LandingFile> files, StructType schema, LineStager stager) {
    Map<String, Integer> order = new HashMap<>();
    for (int i = 0; i < files.size(); i++) {
      order.put(files.get(i).path(), i);
    }
    String[] paths = files.stream().map(LandingFile::path).toArray(String[]::new);
    Dataset<Row> binary =
        spark.read().format("binaryFile").load(paths).select("path", "content");
    FlatMapFunction<Row, Row> perFile =
        file -> {
          String path = file.getString(0);
          byte[] content = (byte[]) file.get(1);
          String sha = sha256(content);
          long fileIndex = order.getOrDefault(path, Integer.MAX_VALUE);
          List<Row> rows = new ArrayList<>();
          LineSplitter.split(content, line -> rows.add(stager.stage(path, sha, (fileIndex << 32) | line.lineNo(), line)));
          return rows.iterator();
        };
    return binary.flatMap(perFile, Encoders.row(schema));
  }

  /** Hex SHA-256 of bytes, as {@code ingested_files.sha256}. */
  public static String sha256(byte[] content) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(content);
      return ai.payable.core.crypto.Hex.encode(d).substring(2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Raw text as quarantine keeps it: at most {@link #RAW_KEEP_CHARS} characters. */
  public static String keepRaw(String text) {
    return text.length() <= RAW_KEEP_CHARS ? text : text.substring(0, RAW_KEEP_CHARS);
  }
}
