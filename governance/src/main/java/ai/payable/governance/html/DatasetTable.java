package ai.payable.governance.html;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A Spark result as an HTML table, for notebooks (Jupyter renders it) and reports. */
public final class DatasetTable {

  private DatasetTable() {}

  /** The first {@code limit} rows of {@code rows}, with a note when there are more. */
  public static String html(Dataset<Row> rows, int limit) {
    List<Row> taken = rows.limit(limit + 1).collectAsList();
    StringBuilder h = new StringBuilder("<table><thead><tr>");
    for (String column : rows.columns()) {
      h.append("<th>").append(Html.text(column)).append("</th>");
    }
    h.append("</tr></thead><tbody>");
    for (Row r : taken.subList(0, Math.min(limit, taken.size()))) {
      h.append("<tr>");
      for (int i = 0; i < r.length(); i++) {
        Object v = r.get(i);
        String text = v instanceof scala.collection.Seq<?> seq ? scala.jdk.javaapi.CollectionConverters.asJava(seq).toString() : String.valueOf(v);
        h.append("<td>").append(Html.text(text.length() > 120 ? text.substring(0, 117) + "…" : text)).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</tbody></table>");
    if (taken.size() > limit) {
      h.append("<p><i>first ").append(limit).append(" rows shown</i></p>");
    }
    return h.toString();
  }
}
