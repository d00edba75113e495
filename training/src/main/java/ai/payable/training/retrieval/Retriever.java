package ai.payable.training.retrieval;

import ai.payable.core.artifacts.ArtifactStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.QueryBuilder;

/**
 * Finds the records of one or more DataNets that best match a question: BM25 over each DataNet's
 * {@link RecordIndex}, the hits of all of them merged by score. Thread-safe for searching.
 */
public final class Retriever implements AutoCloseable {

  /**
   * A retrieved record.
   *
   * @param rank 1 for the best match
   * @param text the record's text as the model reads it
   */
  public record Hit(String recordId, String contributor, double score, int rank, String text) {}

  private final List<DirectoryReader> readers = new ArrayList<>();
  private final List<IndexSearcher> searchers = new ArrayList<>();
  // One analyzer for every question: building Lucene's English analyzer per query is wasted work.
  private final Analyzer analyzer = RecordIndex.analyzer();

  private Retriever() {}

  /**
   * Opens the latest index of each of {@code datanets} from the model store ({@code cache} holds
   * local copies of remote ones).
   *
   * @throws IllegalArgumentException naming a DataNet without an index
   */
  public static Retriever open(ArtifactStore store, List<String> datanets, Path cache, Configuration hadoop) throws IOException {
    Retriever retriever = new Retriever();
    try {
      for (String datanet : datanets) {
        String folder = RecordIndex.latest(store, datanet, hadoop).orElseThrow(() -> new IllegalArgumentException(
            "DataNet '" + datanet + "' has no retrieval index in " + store.folder("indexes") + "; build one first (index build)"));
        retriever.add(ArtifactStore.materialize(folder, cache, hadoop));
      }
      return retriever;
    } catch (IOException | RuntimeException e) {
      retriever.close();
      throw e;
    }
  }

  private void add(Path dir) throws IOException {
    DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir));
    readers.add(reader);
    IndexSearcher searcher = new IndexSearcher(reader);
    searcher.setSimilarity(new BM25Similarity());
    searchers.add(searcher);
  }

  /** The {@code k} best records for {@code question}, best first; none when no word of it is indexed. */
  public List<Hit> search(String question, int k) throws IOException {
    if (k <= 0) {
      return List.of();
    }
    Query query = new QueryBuilder(analyzer).createBooleanQuery(RecordIndex.TEXT, question);
    if (query == null) {
      return List.of();
    }
    List<Hit> all = new ArrayList<>();
    for (IndexSearcher searcher : searchers) {
      for (ScoreDoc d : searcher.search(query, k).scoreDocs) {
        Document doc = searcher.storedFields().document(d.doc);
        all.add(new Hit(doc.get(RecordIndex.RECORD_ID), doc.get(RecordIndex.CONTRIBUTOR), d.score, 0, doc.get(RecordIndex.TEXT)));
      }
    }
    // Ties (equal BM25 scores) break by record id, so the order never depends on index layout.
    all.sort(Comparator.comparingDouble(Hit::score).reversed().thenComparing(Hit::recordId));
    List<Hit> ranked = new ArrayList<>();
    for (int i = 0; i < Math.min(k, all.size()); i++) {
      Hit h = all.get(i);
      ranked.add(new Hit(h.recordId(), h.contributor(), h.score(), i + 1, h.text()));
    }
    return ranked;
  }

  @Override
  public void close() throws IOException {
    for (DirectoryReader r : readers) {
      r.close();
    }
    readers.clear();
    searchers.clear();
    analyzer.close();
  }
}
