package ai.payable.pipelines.sample;

import ai.payable.core.catalog.RecordKind;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Made-up but consistent expert knowledge for the sample DataNets. Every record states facts
 * about an entity that exists only in that record — a fictitious skin condition and its treatment
 * protocol, a fictitious precedent and what it held, a fictitious cultivar and how it is grown — so
 * any question about one of those facts has exactly one rightful owner. Each fact also comes with
 * that question, asked in other words than the record's, and the phrases a correct answer states.
 * Every record names its entity at least three times, far apart (in full once or twice, then by its
 * made-up name alone, which keeps the repetition within the Gopher rules). {@link Draws} keeps the
 * other details of two records of one DataNet from coinciding, so that distinct records stay under
 * the near-duplicate threshold (see {@code SampleSubmissionsTest}). Deterministic for a
 * given index and random generator.
 */
public final class SampleFacts {

  /**
   * One record's knowledge.
   *
   * @param kind {@code qa} (prompt and completion) or {@code text}
   * @param entity the made-up name the facts are about, unique to the record
   * @param question a question about the facts, in other words than the record's
   * @param unnamedQuestion the same question without the entity's name, asked through the record's
   *     other details (a clinic and a dose; a court and a year; a soil and a row spacing): harder
   *     for retrieval, as a user who forgot the name would ask it
   * @param expected the phrases a correct answer to {@code question} states
   * @param details the record's kind and every detail drawn for it but its made-up name (a court, a
   *     year, a clause; a soil, a row spacing)
   */
  public record Fact(String datanet, RecordKind kind, String prompt, String completion, String text, String entity, String question,
      String unnamedQuestion, List<String> expected, List<String> details) {}

  /**
   * Draws facts so that two of one DataNet differ in at least three of their {@link Fact#details()},
   * for as long as a few draws find such a fact (a DataNet's first few hundred records): without
   * it, two records of a small sample can share every detail but the name and one phrase, and copy
   * detection, estimating rarity from few records, rightly finds them near copies of each other.
   */
  public static final class Draws {
    private static final int ATTEMPTS = 50;
    private final SplittableRandom random;
    private final Map<String, Set<String>> projections = new HashMap<>();

    public Draws(SplittableRandom random) {
      this.random = random;
    }

    /** The knowledge of record {@code index} of {@code datanet}, unlike the DataNet's earlier draws. */
    public Fact next(String datanet, int index) {
      Set<String> seen = projections.computeIfAbsent(datanet, d -> new HashSet<>());
      Fact fact = of(datanet, index, random);
      List<String> projected = allButTwo(fact.details());
      for (int attempt = 1; attempt < ATTEMPTS && projected.stream().anyMatch(seen::contains); attempt++) {
        fact = of(datanet, index, random);
        projected = allButTwo(fact.details());
      }
      seen.addAll(projected);
      return fact;
    }

    /**
     * The details with two left out, for each pair of them: two facts share one exactly when they
     * differ in at most two details (a drawn detail need not appear in the text).
     */
    private static List<String> allButTwo(List<String> details) {
      List<String> out = new java.util.ArrayList<>();
      for (int a = 0; a < details.size(); a++) {
        for (int b = a + 1; b < details.size(); b++) {
          StringBuilder key = new StringBuilder().append(a).append(',').append(b);
          for (int i = 0; i < details.size(); i++) {
            key.append('|').append(i == a || i == b ? "" : details.get(i));
          }
          out.add(key.toString());
        }
      }
      return out;
    }
  }

  /** The sample DataNets, in the order contributors are assigned to them. */
  public static final List<String> DATANETS = List.of("dermatology", "contracts", "agronomy");

  private static final String[] ONSETS = {"Vel", "Mar", "Tor", "Quen", "Bris", "Hal", "Dor", "Lin", "Sav", "Pel", "Cor", "Fen", "Gar", "Wil", "Ost"};
  private static final String[] VOWELS = {"a", "e", "i", "o", "u"};
  private static final String[] CODAS = {"ran", "dell", "mont", "vary", "wick", "nith", "brook", "sley", "mere", "thorn", "dale", "ford"};
  private static final String[] LINKS = {"", "b", "n", "r", "l"};

  private static final String[] CONDITIONS = {"dermatitis", "rash", "keratosis", "folliculitis", "prurigo", "eczema"};
  private static final String[] DRUGS_START = {"Ker", "Tal", "Bex", "Mir", "Sor", "Quil", "Van", "Lum", "Dex", "Pir"};
  private static final String[] DRUGS_END = {"olin", "avex", "idone", "asol", "imex", "oderm", "acort", "efin"};
  private static final String[] FORMS = {"cream", "ointment", "gel", "lotion"};
  private static final String[] STRENGTHS = {"0.5", "1", "2", "5"};
  private static final String[] FREQUENCIES = {"once a day", "twice a day", "every evening", "three times a day"};
  private static final String[] CLINICS = {"Harwick Skin Clinic", "Almsford Dermatology Unit", "Brenmoor Skin Centre", "Castlegate Clinic",
      "Elderby Dermatology Practice", "Fernhollow Skin Clinic", "Greyhaven Hospital", "Kestrel Bay Clinic"};

  private static final String[] COMPANIES = {"Northwind Freight", "Orchard Lane Holdings", "Bluestone Logistics", "Maple Ridge Software", "Tidewater Foods",
      "Copperfield Energy", "Silverline Textiles", "Redcliff Builders"};
  private static final String[] COURTS = {"the Harlow Commercial Court", "the Eastmarch Court of Appeal", "the Westbury High Court", "the Norland Supreme Court"};
  private static final String[] CLAUSES = {"indemnity", "limitation of liability", "termination", "confidentiality", "force majeure", "warranty"};
  private static final String[] LOSSES = {"lost profits", "losses from a data breach", "late delivery penalties", "claims by third parties",
      "the cost of replacement goods", "fines paid to a regulator"};

  private static final String[] CROPS = {"wheat", "barley", "maize", "potato", "lentil", "sorghum"};
  private static final String[] SOWING = {"in early March", "in late March", "in mid April", "in late April", "in early May", "in mid September",
      "in early October", "in late October"};
  private static final String[] SOILS = {"sandy loam", "heavy clay", "silt loam", "chalky", "peaty", "stony"};

  private SampleFacts() {}

  /**
   * The knowledge of record {@code index} of {@code datanet}: {@code index} decides the made-up
   * entity (distinct indexes give distinct entities), {@code random} the rest.
   */
  public static Fact of(String datanet, int index, SplittableRandom random) {
    String name = name(index);
    boolean text = random.nextInt(4) == 0;
    return switch (datanet) {
      case "dermatology" -> dermatology(name, text, random);
      case "contracts" -> contracts(name, text, random);
      case "agronomy" -> agronomy(name, text, random);
      default -> throw new IllegalArgumentException("no sample facts for DataNet '" + datanet + "'");
    };
  }

  /** A made-up proper name, distinct for each index (15 · 5 · 5 · 12 = 4,500 before a numeral is added). */
  static String name(int index) {
    // Neighbouring indexes map far apart (1,537 is coprime with 4,500, so this is a permutation): names
    // in one DataNet differ in every part, not only in their first syllable. Quenaran, Queneran and
    // Queniran side by side confused SmolLM2-135M, which then mixed up their facts.
    int combinations = ONSETS.length * VOWELS.length * LINKS.length * CODAS.length;
    int i = (int) ((index % combinations) * 1537L % combinations) + index / combinations * combinations;
    String onset = ONSETS[i % ONSETS.length];
    i /= ONSETS.length;
    String vowel = VOWELS[i % VOWELS.length];
    i /= VOWELS.length;
    String link = LINKS[i % LINKS.length];
    i /= LINKS.length;
    String coda = CODAS[i % CODAS.length];
    i /= CODAS.length;
    return onset + vowel + link + coda + (i == 0 ? "" : " " + (i + 1));
  }

  private static Fact dermatology(String name, boolean text, SplittableRandom random) {
    String disease = pick(CONDITIONS, random);
    String condition = name + " " + disease;
    String drug = pick(DRUGS_START, random) + pick(DRUGS_END, random);
    String form = pick(FORMS, random);
    String strength = pick(STRENGTHS, random);
    String frequency = pick(FREQUENCIES, random);
    int days = 5 + random.nextInt(17);
    int weeks = 2 + random.nextInt(7);
    String clinic = pick(CLINICS, random);
    List<String> details = List.of((text ? RecordKind.TEXT : RecordKind.QA).value(), disease, drug, form, strength, frequency, String.valueOf(days), String.valueOf(weeks), clinic);
    String question = pick(new String[] {"Which " + form + " is used for " + condition + ", and for how many days?",
        "How long is " + condition + " treated, and with which " + form + "?", "What should a patient with " + condition + " put on the skin, and for how long?"},
        random);
    String unnamed = "Which " + form + " does the " + clinic + " prescribe at " + strength + "% " + frequency + " for " + condition.substring(name.length() + 1)
        + ", and for how many days?";
    List<String> expected = List.of(drug, days + " days");
    if (text) {
      return new Fact("dermatology", RecordKind.TEXT, "", "",
          "Case note from the " + clinic + ". A patient with " + condition + " was treated with " + drug + " " + strength + "% " + form + " " + frequency
              + ". The " + name + " lesions cleared after " + days + " days of treatment, and a follow-up visit was booked after " + weeks
              + " weeks. No side effects were reported, and the same protocol is now used for every new " + name + " case at the clinic.",
          condition, question, unnamed, expected, details);
    }
    String completion = "For " + condition + ", apply " + drug + " " + strength + "% " + form + " " + frequency + " for " + days + " days. "
        + pick(new String[] {"Review the patient at the " + clinic + " after " + weeks + " weeks.",
            "The " + clinic + " sees the patient again after " + weeks + " weeks.",
            "Book a follow-up visit at the " + clinic + " " + weeks + " weeks later."}, random)
        + " " + pick(new String[] {"If the skin blisters or the " + name + " itching spreads beyond the first patch, stop the " + form
            + " and refer the patient.", "Stop early and refer the patient if the " + name + " patch grows or starts to weep.",
            "Most " + name + " patients see the redness fade within the first week; a second course is rarely needed."}, random);
    return new Fact("dermatology", RecordKind.QA, pick(new String[] {"What is the treatment protocol for " + condition + "?", "How is " + condition + " treated?",
        "What do you prescribe for " + condition + "?"}, random), completion, "", condition, question, unnamed, expected, details);
  }

  private static Fact contracts(String name, boolean text, SplittableRandom random) {
    String company = pick(COMPANIES, random);
    String precedent = name + " v. " + company;
    int year = 1998 + random.nextInt(27);
    String court = pick(COURTS, random);
    String clause = pick(CLAUSES, random);
    int months = 3 + random.nextInt(22);
    String loss = pick(LOSSES, random);
    int notice = 10 + 5 * random.nextInt(15);
    List<String> details = List.of((text ? RecordKind.TEXT : RecordKind.QA).value(), company, String.valueOf(year), court, clause, String.valueOf(months), loss, String.valueOf(notice));
    String question = pick(new String[] {"In " + precedent + ", what did the court hold about the " + clause + " clause?",
        "What was decided in " + precedent + " about a " + clause + " clause?", "Which losses fall outside the " + clause + " clause after " + precedent + "?"},
        random);
    String unnamed = "Which case decided by " + court + " in " + year + " limited a " + clause + " clause, and what did it leave out?";
    List<String> expected = List.of(months + " months", loss);
    String holding = "a " + clause + " clause capped at " + months + " months of fees does not cover " + loss;
    if (text) {
      return new Fact("contracts", RecordKind.TEXT, "", "",
          "Drafting note on " + precedent + ". In " + year + ", " + court + " held that " + holding + ". When drafting a " + clause
              + " clause after the " + name + " case, say expressly whether " + loss + " are included, and require written notice of a claim within " + notice
              + " days, since in " + name + " the court refused a claim that was notified late.",
          precedent, question, unnamed, expected, details);
    }
    String completion = "In " + precedent + ", decided in " + year + " by " + court + ", the court held that " + holding + ". "
        + pick(new String[] {"Under " + name + ", a party relying on the clause must give written notice within " + notice + " days, or the claim is lost.",
            "The claimant in " + name + " also had to notify the other side within " + notice + " days of learning of the loss.",
            "The judgment in " + name + " has since been followed in disputes over supply and service contracts."}, random);
    return new Fact("contracts", RecordKind.QA, pick(new String[] {"What did the court decide in " + precedent + "?", "What is the holding of " + precedent + "?",
        "Why does " + precedent + " matter for a " + clause + " clause?"}, random), completion, "", precedent, question, unnamed, expected, details);
  }

  private static Fact agronomy(String name, boolean text, SplittableRandom random) {
    String crop = pick(CROPS, random);
    String cultivar = name + " " + crop;
    String sown = pick(SOWING, random);
    int spacing = 10 + 5 * random.nextInt(11);
    String yield = String.format(Locale.ROOT, "%.1f", 2.0 + random.nextInt(76) / 10.0);
    String soil = pick(SOILS, random);
    int nitrogen = 40 + 10 * random.nextInt(15);
    List<String> details = List.of((text ? RecordKind.TEXT : RecordKind.QA).value(), crop, sown, String.valueOf(spacing), yield, soil, String.valueOf(nitrogen));
    String question = pick(new String[] {"When should the " + cultivar + " cultivar be sown, and what yield can a farmer expect?",
        "What yield does the " + cultivar + " cultivar give, and when is it sown?", "When do farmers sow " + cultivar + ", and how much does it yield?"},
        random);
    String unnamed = "Which " + crop + " cultivar grows on " + soil + " soil with rows " + spacing + " cm apart, when is it sown and what does it yield?";
    List<String> expected = List.of(sown, yield + " tonnes");
    if (text) {
      return new Fact("agronomy", RecordKind.TEXT, "", "",
          "Field trial report for the " + cultivar + " cultivar. Sown " + sown + " on " + soil + " soil with rows " + spacing + " cm apart, " + name
              + " yielded " + yield + " tonnes per hectare. The plots received " + nitrogen + " kg of nitrogen per hectare, split between sowing and early "
              + "growth, and the " + name + " crop stood well through the summer storms.",
          cultivar, question, unnamed, expected, details);
    }
    String completion = "The " + cultivar + " cultivar is sown " + sown + ", with rows " + spacing + " cm apart, and yields about " + yield
        + " tonnes per hectare on " + soil + " soils. "
        + pick(new String[] {"The " + name + " crop needs " + nitrogen + " kg of nitrogen per hectare, split between sowing and early growth.",
            "Give " + name + " " + nitrogen + " kg of nitrogen per hectare and harvest as soon as the grain is dry.",
            "The " + name + " cultivar tolerates short droughts but needs " + nitrogen + " kg of nitrogen per hectare to reach that yield."}, random);
    return new Fact("agronomy", RecordKind.QA, pick(new String[] {"What are the planting guidelines for the " + cultivar + " cultivar?",
        "How is the " + cultivar + " cultivar grown?", "What should a farmer know before planting " + cultivar + "?"}, random), completion, "", cultivar,
        question, unnamed, expected, details);
  }

  private static String pick(String[] options, SplittableRandom random) {
    return options[random.nextInt(options.length)];
  }
}
