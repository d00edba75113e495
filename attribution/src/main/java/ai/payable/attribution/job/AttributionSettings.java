package ai.payable.attribution.job;

import ai.payable.attribution.combine.ShareRule;
import ai.payable.attribution.gradient.FeatureScaling;
import ai.payable.attribution.gradient.InfluenceIndex;
import ai.payable.attribution.split.FeeSplit;
import ai.payable.core.identity.Address;

/**
 * How the nightly attribution scores and pays.
 *
 * @param rule how each answer's evidence becomes shares (method weights, top-k, floor)
 * @param estimator the gradient estimator (DataInf by default, TracIn as an alternative)
 * @param damping DataInf's λ as a multiple of each module's mean squared gradient norm
 * @param scaling how records' and answers' gradients are scaled per module before scoring
 * @param minSpanTokens shortest output span (tokens = bytes) that counts as reproduced
 * @param candidates records kept per method and answer before combining
 * @param fees the protocol / model builder / data split
 * @param treasury the protocol treasury account (also paid the builder share of unowned models)
 */
public record AttributionSettings(ShareRule rule, InfluenceIndex.Estimator estimator, double damping, FeatureScaling scaling, int minSpanTokens, int candidates,
    FeeSplit fees, String treasury) {

  public AttributionSettings {
    if (minSpanTokens < 1 || candidates < rule.topK()) {
      throw new IllegalArgumentException("min span tokens must be ≥ 1 and candidates ≥ top-k, got " + minSpanTokens + " and " + candidates);
    }
    treasury = Address.parse(treasury).checksummed();
  }

  /** The documented defaults, paying the protocol share to {@code treasury}. */
  public static AttributionSettings defaults(String treasury) {
    return new AttributionSettings(ShareRule.DEFAULT, InfluenceIndex.Estimator.DATAINF, 0.1, FeatureScaling.MODULE_UNIT, 16, 50, FeeSplit.DEFAULT, treasury);
  }
}
