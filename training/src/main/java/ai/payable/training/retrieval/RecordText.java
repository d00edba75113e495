package ai.payable.training.retrieval;

/** The text of a record as retrieval indexes it and as the model reads it in a prompt. */
final class RecordText {

  private RecordText() {}

  static String of(String kind, String prompt, String completion, String text) {
    if ("qa".equals(kind)) {
      return (prompt == null ? "" : prompt.strip()) + "\n" + (completion == null ? "" : completion.strip());
    }
    return text == null ? "" : text.strip();
  }
}
