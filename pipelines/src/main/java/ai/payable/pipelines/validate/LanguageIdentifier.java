package ai.payable.pipelines.validate;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Identifies the language of a text with the n-gram profiles packaged in Optimaize's
 * language-detector (71 languages, from Maven Central; nothing is downloaded). The profiles are
 * loaded once per JVM, since every Spark task on an executor shares them.
 */
final class LanguageIdentifier {

  /** Returned when no language reaches the confidence floor. */
  public static final String UNDETERMINED = "und";

  /** Probability the top language must reach before we name it. */
  private static final double MIN_CONFIDENCE = 0.5;

  private static final class Holder {
    static final LanguageDetector DETECTOR = build();
    static final TextObjectFactory TEXT = CommonTextObjectFactories.forDetectingOnLargeText();
  }

  private LanguageIdentifier() {}

  /**
   * Characters the identification reads. Its cost grows with the text while its answer settles
   * within a few hundred characters, so a long record is judged by a sample from its start.
   */
  static final int SAMPLE_CHARS = 400;

  /** ISO 639-1 code of the text's language, or {@link #UNDETERMINED}. */
  public static String identify(String text) {
    String sample = text.length() <= SAMPLE_CHARS ? text : text.substring(0, SAMPLE_CHARS);
    List<DetectedLanguage> ranked = Holder.DETECTOR.getProbabilities(Holder.TEXT.forText(sample));
    if (ranked.isEmpty() || ranked.get(0).getProbability() < MIN_CONFIDENCE) {
      return UNDETERMINED;
    }
    return ranked.get(0).getLocale().getLanguage();
  }

  private static LanguageDetector build() {
    try {
      return LanguageDetectorBuilder.create(NgramExtractors.standard())
          .withProfiles(new LanguageProfileReader().readAllBuiltIn())
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load the language profiles packaged in language-detector", e);
    }
  }
}
