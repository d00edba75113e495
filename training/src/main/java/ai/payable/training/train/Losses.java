package ai.payable.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.payable.training.model.Scalars;
import ai.payable.training.tokenizer.ByteTokenizer;

/**
 * The training objectives, averaged over real (non-padding) target tokens.
 */
public final class Losses {

  /** Which way the distillation divergence points. */
  public enum Divergence {
    /** KL(teacher ‖ student): the student covers everything the teacher considers likely (Hinton et al.). */
    FORWARD_KL,
    /** KL(student ‖ teacher): the student concentrates on the teacher's modes (MiniLLM). */
    REVERSE_KL
  }

  private Losses() {}

  /** Mean negative log-likelihood of {@code targets} [B, T] under {@code logits} [B, T, V]. */
  public static NDArray crossEntropy(NDArray logits, NDArray targets) {
    NDArray logProbs = logits.logSoftmax(-1);
    NDArray picked = logProbs.gather(targets.expandDims(-1), -1).squeeze(-1);
    NDArray mask = realTokens(targets);
    return picked.mul(mask).sum().neg().div(mask.sum());
  }

  /**
   * Knowledge distillation: {@code α·T²·D(teacher_T, student_T) + (1−α)·CE(targets)}, where the
   * subscript T softens both distributions by temperature T and D is the chosen KL direction. The
   * T² keeps the soft term's gradients on the scale of the hard one (Hinton et al., 2015).
   */
  public static NDArray distillation(NDArray studentLogits, NDArray teacherLogits, NDArray targets, float alpha, float temperature, Divergence divergence) {
    NDArray student = Scalars.mul(studentLogits, 1 / temperature).logSoftmax(-1);
    NDArray teacher = Scalars.mul(teacherLogits, 1 / temperature).logSoftmax(-1);
    NDArray perToken = switch (divergence) {
      case FORWARD_KL -> teacher.exp().mul(teacher.sub(student)).sum(new int[] {-1});
      case REVERSE_KL -> student.exp().mul(student.sub(teacher)).sum(new int[] {-1});
    };
    NDArray mask = realTokens(targets);
    NDArray soft = Scalars.mul(perToken.mul(mask).sum().div(mask.sum()), temperature * temperature);
    return Scalars.mul(soft, alpha).add(Scalars.mul(crossEntropy(studentLogits, targets), 1 - alpha));
  }

  /** Mean KL(teacher ‖ student) at temperature 1 over real tokens: how far the student is from the teacher. */
  public static NDArray klToTeacher(NDArray studentLogits, NDArray teacherLogits, NDArray targets) {
    return distillation(studentLogits, teacherLogits, targets, 1f, 1f, Divergence.FORWARD_KL);
  }

  private static NDArray realTokens(NDArray targets) {
    return targets.neq(ByteTokenizer.PAD).toType(DataType.FLOAT32, false);
  }
}
