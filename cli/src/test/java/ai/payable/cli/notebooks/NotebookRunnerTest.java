package ai.payable.cli.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notebook runner keeps going past a failing notebook and names the failure by its message. */
class NotebookRunnerTest {

  @TempDir Path scratch;

  @Test
  void aFailingNotebookIsReportedWithItsMessageAndTheNextOneStillRuns() throws Exception {
    Path dir = Path.of("src/test/resources/notebook-runner").toAbsolutePath();
    Notebooks.Run run = Notebooks.execute(List.of(dir.resolve("1-fails.ipynb"), dir.resolve("2-runs.ipynb")), scratch, scratch.resolve("out"));

    assertEquals(1, run.exitCode(), run.output());
    String summary = run.output().substring(run.output().lastIndexOf("notebooks ran"));
    assertTrue(run.output().contains("1 of 2 notebooks ran"), run.output());
    assertTrue(summary.contains("FAILED 1-fails.ipynb: cell 2"), "the summary names the notebook and the cell:\n" + summary);
    assertTrue(summary.contains("no lakehouse at /nowhere: run make demo first"), "the exception's own message is shown:\n" + summary);
    assertFalse(summary.contains("2-runs.ipynb"), "the second notebook ran:\n" + summary);

    // Both are saved: the failing one as far as it got, the error in place; the next one with its output.
    assertTrue(Files.readString(scratch.resolve("out/1-fails.html")).contains("no lakehouse at /nowhere"));
    assertTrue(Files.readString(scratch.resolve("out/2-runs.ipynb")).contains("two: 2"), "the notebook after the failure executed");
  }
}
