package ai.payable.cli.demo;

import ai.payable.core.catalog.Tables;
import ai.payable.core.lakehouse.Lakehouse;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/**
 * A day of questions for the demo's gateway: the start of records' prompts (short, as the small
 * models have a 256-byte context), routed to each DataNet's adapter, a third of them with the
 * record retrieval put in the prompt, and fees of 1 to 3 finney.
 */
final class DemoPrompts {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DemoPrompts() {}

  /** Writes {@code perDataNet} prompts per DataNet with an adapter; {@code day} picks a different sample each day. */
  static Path write(Lakehouse lakehouse, Path file, Map<String, String> adapterOf, int perDataNet, int day) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      int n = 0;
      for (Map.Entry<String, String> datanet : adapterOf.entrySet()) {
        // A deterministic sample that differs per day: order by a hash of the record id and the day.
        List<Row> picked = lakehouse.spark().sql("SELECT record_id, CASE WHEN kind = 'qa' THEN prompt ELSE text END AS question FROM delta.`"
            + lakehouse.path(Tables.RECORDS) + "` WHERE datanet = '" + datanet.getKey().replace("'", "''") + "' ORDER BY xxhash64(record_id, " + day
            + ") LIMIT " + perDataNet).collectAsList();
        for (Row r : picked) {
          String question = r.getString(1);
          ObjectNode line = JSON.createObjectNode();
          line.put("prompt", question.length() <= 60 ? question : question.substring(0, question.lastIndexOf(' ', 60) > 20 ? question.lastIndexOf(' ', 60) : 60));
          line.put("adapter", datanet.getValue());
          line.put("fee_wei", BigInteger.TEN.pow(15).multiply(BigInteger.valueOf(1 + n % 3)).toString());
          line.put("requester", String.format("0x%040x", 0xa11ce + n % 5));
          if (n % 3 == 0) {
            line.putArray("retrieved").addObject().put("record_id", r.getString(0)).put("score", 0.9);
          }
          out.write(JSON.writeValueAsString(line));
          out.write('\n');
          n++;
        }
      }
    }
    return file;
  }
}
