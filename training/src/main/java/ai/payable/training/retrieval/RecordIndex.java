package ai.payable.training.retrieval;

import static org.apache.spark.sql.functions.col;

import ai.payable.core.artifacts.ArtifactStore;
import ai.payable.core.catalog.AcceptedRecord;
import ai.payable.core.catalog.Tables;
import ai.payable.core.config.Progress;
import ai.payable.core.lakehouse.CommittedRecords;
import ai.payable.core.lakehouse.Lakehouse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The retrieval index of one DataNet: a Lucene BM25 index over its accepted {@code records} at one
 * pinned Delta version, stored in the model store under {@code indexes/DATANET/records-vN} with a
 * manifest ({@code index.json}), and {@code indexes/DATANET/latest.json} naming the newest. An
 * index is immutable: building again for a version that has one does nothing.
 */
public final class RecordIndex {

  /** Fields of an indexed record. */
  static final String RECORD_ID = "record_id";
  static final String CONTRIBUTOR = "contributor";
  static final String TEXT = "text";
  static final String MANIFEST = "index.json";
  static final String LATEST = "latest.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a build did.
   *
   * @param folder the index's folder in the store
   * @param built false when the index for this version already existed
   */
  public record Result(String datanet, long recordsVersion, long records, URI folder, boolean built) {}

  private final Lakehouse lakehouse;
  private final ArtifactStore store;
  private final Configuration hadoop;
  private final Path staging;
  private final Progress progress;

  /**
   * @param store the model store; indexes live beside the models
   * @param staging a local folder for indexes on their way to a remote store
   */
  public RecordIndex(Lakehouse lakehouse, ArtifactStore store, Path staging, Progress progress) {
    this.lakehouse = lakehouse;
    this.store = store;
    this.hadoop = lakehouse.spark().sparkContext().hadoopConfiguration();
    this.staging = staging;
    this.progress = progress;
  }

  /** The analyzer indexes and queries share: Lucene's English analyzer (stop words, Porter stemming). */
  static Analyzer analyzer() {
    return new EnglishAnalyzer();
  }

  /** The folder name of {@code datanet}'s index at {@code version}. */
  static String folderName(String datanet, long version) {
    return "indexes/" + datanet + "/records-v" + version;
  }

  /** Builds {@code datanet}'s index over the current version of {@code records}, unless it exists. */
  public Result build(String datanet) throws IOException {
    long version = lakehouse.version(Tables.RECORDS);
    String name = folderName(datanet, version);
    Optional<JsonNode> existing = readJson(store.folder(name).toString(), MANIFEST, hadoop);
    if (existing.isPresent()) {
      // Nothing to build; only a missing pointer (a build interrupted after its manifest) is written.
      if (!latest(store, datanet, hadoop).equals(Optional.of(store.folder(name).toString()))) {
        writeLatest(datanet, name, version);
      }
      return new Result(datanet, version, existing.get().path("records").asLong(), store.folder(name), false);
    }
    Dataset<Row> rows = CommittedRecords.at(lakehouse, version).where(col("datanet").equalTo(datanet))
        .select(AcceptedRecord.COLUMNS);
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("DataNet '" + datanet + "' has no accepted records at version " + version + " of " + Tables.RECORDS.name());
    }
    Path dir = store.isLocal() ? store.localFolder(name) : Files.createDirectories(staging.resolve(name));
    Files.createDirectories(dir);
    progress.step("indexing " + datanet + " records (version " + version + ") into " + store.folder(name));
    long count = 0;
    IndexWriterConfig config = new IndexWriterConfig(analyzer()).setSimilarity(new BM25Similarity())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    try (FSDirectory directory = FSDirectory.open(dir); IndexWriter writer = new IndexWriter(directory, config)) {
      for (Iterator<Row> it = rows.toLocalIterator(); it.hasNext(); ) {
        Document doc = new Document();
        AcceptedRecord record = AcceptedRecord.fromRow(it.next());
        doc.add(new StringField(RECORD_ID, record.recordId(), Field.Store.YES));
        doc.add(new StoredField(CONTRIBUTOR, record.contributor()));
        doc.add(new TextField(TEXT, record.joinedText(), Field.Store.YES));
        writer.addDocument(doc);
        count++;
      }
      writer.forceMerge(1);
      writer.commit();
    }
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("datanet", datanet);
    manifest.put("records_version", version);
    manifest.put("records", count);
    manifest.put("scoring", "BM25 (k1 1.2, b 0.75), English analyzer, Lucene " + org.apache.lucene.util.Version.LATEST);
    manifest.put("built_at", Instant.now().toString());
    // The manifest comes last: an index without one is incomplete and gets rebuilt.
    Files.writeString(dir.resolve(MANIFEST), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest), StandardCharsets.UTF_8);
    URI folder = store.isLocal() ? store.folder(name) : store.publishStaged(name, dir);
    writeLatest(datanet, name, version);
    progress.step("");
    return new Result(datanet, version, count, folder, true);
  }

  private void writeLatest(String datanet, String name, long version) throws IOException {
    ObjectNode latest = JSON.createObjectNode();
    latest.put("folder", name);
    latest.put("records_version", version);
    Path tmp = Files.createTempDirectory("payable-latest");
    Files.writeString(tmp.resolve(LATEST), JSON.writeValueAsString(latest), StandardCharsets.UTF_8);
    store.publishStaged("indexes/" + datanet, tmp);
  }

  /** The newest index folder of {@code datanet}, if one was built. */
  public static Optional<String> latest(ArtifactStore store, String datanet, Configuration hadoop) throws IOException {
    Optional<JsonNode> latest = readJson(store.folder("indexes/" + datanet).toString(), LATEST, hadoop);
    return latest.map(l -> store.folder(l.get("folder").asText()).toString());
  }

  private static Optional<JsonNode> readJson(String folder, String file, Configuration hadoop) throws IOException {
    try (InputStream in = ArtifactStore.open(folder, file, hadoop)) {
      return Optional.of(JSON.readTree(in));
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }
}
