package ai.payable.training.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.payable.core.inference.InferenceLogLine;
import ai.payable.training.chat.ChatFormat;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A prompts file is checked in full before anything is answered; each bad line is named. */
class PromptFileTest {

  private static final Map<String, String> ADAPTERS = Map.of("derm", "0xadapter", "0xadapter", "0xadapter");
  @TempDir Path dir;

  private Path file(byte[] bytes) throws Exception {
    Path f = dir.resolve("prompts.jsonl");
    Files.write(f, bytes);
    return f;
  }

  private Path file(String text) throws Exception {
    return file(text.getBytes(StandardCharsets.UTF_8));
  }

  private String failure(Path f, int context) {
    return assertThrows(IllegalArgumentException.class, () -> PromptFile.read(f, ADAPTERS, ChatFormat.bytes(), context)).getMessage();
  }

  @Test
  void readsPromptsResolvesAdaptersAndCountsBlankLines() throws Exception {
    Path f = file("{\"prompt\": \"Which dose?\", \"adapter\": \"derm\"}\n\n  \n{\"prompt\": \"Hi\", \"fee_wei\": \"5\"}\n");
    PromptFile read = PromptFile.read(f, ADAPTERS, ChatFormat.bytes(), 256);
    assertEquals(2, read.requests().size());
    assertEquals(2, read.blankLines());
    assertEquals("0xadapter", read.requests().get(0).adapterId());
    assertEquals(AdapterBank.BASE, read.requests().get(1).adapterId());
    assertEquals(4, read.requests().get(1).line());
    assertEquals(1, read.requests().get(1).index());
    assertTrue(read.requests().get(0).tokens().length > "Which dose?".length(), "the prompt goes through the chat template");
    assertEquals(5, read.requests().get(0).retrieve(5), "without its own retrieve field a line takes the run's");
    PromptFile own = PromptFile.read(file("{\"prompt\": \"Which dose?\", \"adapter\": \"derm\", \"retrieve\": 0}\n"), ADAPTERS, ChatFormat.bytes(), 256);
    assertEquals(0, own.requests().get(0).retrieve(5), "a line's retrieve field wins");
    PromptFile named = PromptFile.read(file("{\"prompt\": \"Hi\", \"retrieved\": [{\"record_id\": \"0x" + "AB".repeat(32) + "\", \"score\": 0.5}]}\n"), ADAPTERS,
        ChatFormat.bytes(), 256);
    assertEquals(List.of(new InferenceLogLine.Retrieved("0x" + "ab".repeat(32), 0.5)), named.requests().get(0).named(), "ids are kept lower-case");
    assertEquals(List.of(), read.requests().get(0).named());
  }

  @Test
  void namesTheFileLineAndFieldOfTheFirstBadLine() throws Exception {
    String ok = "{\"prompt\": \"Hi\"}\n";
    assertTrue(failure(file(ok + "{\"prompt\": \"Hi\", \"adapter\": \"law\"}\n"), 256).matches(".*prompts.jsonl:2: field adapter: 'law' is not among.*"));
    assertTrue(failure(file(ok + ok + "{\"prompt\": \"" + "x".repeat(300) + "\"}\n"), 256)
        .matches(".*prompts.jsonl:3: field prompt: \\d+ tokens with the chat template, but the model's context holds 256; shorten the prompt"));
    assertTrue(failure(file(ok + "{\"prompt\": \"\"}\n"), 256).contains("prompts.jsonl:2: field prompt: a non-empty string is required"));
    assertTrue(failure(file(ok + "not json\n"), 256).contains("prompts.jsonl:2: not a JSON object"));
    assertTrue(failure(file(ok + "{\"prompt\": \"Hi\", \"fee_wei\": \"-3\"}\n"), 256).contains("prompts.jsonl:2: field fee_wei: '-3'"));
    assertTrue(failure(file(ok + "{\"prompt\": \"Hi\", \"adapter\": \"derm\", \"retrieve\": \"3\"}\n"), 256)
        .contains("prompts.jsonl:2: field retrieve: a whole number of records from 0 to 50 is required, got \"3\""));
    assertTrue(failure(file(ok + "{\"prompt\": \"Hi\", \"adapter\": \"derm\", \"retrieve\": 51}\n"), 256).contains("field retrieve"));
    assertTrue(failure(file(ok + "{\"prompt\": \"Hi\", \"retrieve\": 2}\n"), 256)
        .contains("prompts.jsonl:2: field retrieve: the base model has no DataNet to retrieve from"));
    byte[] latin1 = (ok + "{\"prompt\": \"caf\u00e9\"}\n").getBytes(StandardCharsets.ISO_8859_1);
    // A line's own retrieved records pass the check ingestion makes of the log line they end up in.
    assertEquals("prompts.jsonl:2: field retrieved[0].record_id must be 0x + 64 hex digits",
        failure(file(ok + "{\"prompt\": \"Hi\", \"retrieved\": [{\"record_id\": \"0x12\", \"score\": 1}]}\n"), 256).replaceAll("^.*/", ""));
    assertEquals("prompts.jsonl:2: field retrieved[1].score must be a finite number", failure(file(ok + "{\"prompt\": \"Hi\", \"retrieved\": [{\"record_id\": \"0x"
        + "AB".repeat(32) + "\", \"score\": 1}, {\"record_id\": \"0x" + "cd".repeat(32) + "\"}]}\n"), 256).replaceAll("^.*/", ""));
    assertEquals("prompts.jsonl:2: field retrieved must be a list of {\"record_id\": \"0x…\", \"score\": number}",
        failure(file(ok + "{\"prompt\": \"Hi\", \"retrieved\": \"all\"}\n"), 256).replaceAll("^.*/", ""));
    assertTrue(failure(file(latin1), 256).contains("prompts.jsonl:2: not UTF-8 text"));
    assertTrue(failure(file("\n\n"), 256).contains("has no prompts"));
    assertTrue(failure(dir.resolve("missing.jsonl"), 256).contains("does not exist"));
  }
}
