package ai.payable.training.train;

import ai.djl.ndarray.NDArray;
import ai.payable.training.model.Scalars;

/**
 * The training objectives, averaged over the target tokens that count ({@link TokenBatch#mask()}:
 * answers and documents, never context or padding).
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

  /** Mean negative log-likelihood of {@code targets} [B, T] under {@code logits} [B, T, V], where {@code mask} [B, T] is 1. */
  public static NDArray crossEntropy(NDArray logits, NDArray targets, NDArray mask) {
    NDArray logProbs = logits.logSoftmax(-1);
    NDArray picked = logProbs.gather(targets.expandDims(-1), -1).squeeze(-1);
    return picked.mul(mask).sum().neg().div(mask.sum());
  }

  /** {@link #crossEntropy(NDArray, NDArray, NDArray)} of a batch. */
  public static NDArray crossEntropy(NDArray logits, TokenBatch batch) {
    return crossEntropy(logits, batch.targets(), batch.mask());
  }

  /**
   * Knowledge distillation: {@code α·T²·D(teacher_T, student_T) + (1−α)·CE(targets)}, where the
   * subscript T softens both distributions by temperature T and D is the chosen KL direction. The
   * T² keeps the soft term's gradients on the scale of the hard one (Hinton et al., 2015).
   */
  public static NDArray distillation(NDArray studentLogits, NDArray teacherLogits, TokenBatch batch, float alpha, float temperature,
      Divergence divergence) {
    NDArray student = Scalars.mul(studentLogits, 1 / temperature).logSoftmax(-1);
    NDArray teacher = Scalars.mul(teacherLogits, 1 / temperature).logSoftmax(-1);
    NDArray perToken = switch (divergence) {
      case FORWARD_KL -> teacher.exp().mul(teacher.sub(student)).sum(new int[] {-1});
      case REVERSE_KL -> student.exp().mul(student.sub(teacher)).sum(new int[] {-1});
    };
    NDArray mask = batch.mask();
    NDArray soft = Scalars.mul(perToken.mul(mask).sum().div(mask.sum()), temperature * temperature);
    return Scalars.mul(soft, alpha).add(Scalars.mul(crossEntropy(studentLogits, batch), 1 - alpha));
  }

  /** Mean KL(teacher ‖ student) at temperature 1 over real tokens: how far the student is from the teacher. */
  public static NDArray klToTeacher(NDArray studentLogits, NDArray teacherLogits, TokenBatch batch) {
    return distillation(studentLogits, teacherLogits, batch, 1f, 1f, Divergence.FORWARD_KL);
  }
}
