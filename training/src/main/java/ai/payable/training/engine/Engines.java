package ai.payable.training.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The PyTorch engine, offline: libtorch and DJL's JNI library come from the Maven jars on the
 * classpath and are unpacked once into a cache directory; nothing is ever downloaded. The cache is
 * {@code $ENGINE_CACHE_DIR} (or the {@code ENGINE_CACHE_DIR} system property) when set, else
 * {@code ~/.cache/payable/djl}.
 */
public final class Engines {

  /** DJL's PyTorch engine allows one gradient collector per JVM at a time. */
  private static final java.util.concurrent.locks.ReentrantLock GRADIENTS = new java.util.concurrent.locks.ReentrantLock();

  private static final ThreadLocal<SplittableRandom> RANDOM = ThreadLocal.withInitial(() -> new SplittableRandom(0));

  private Engines() {}

  /**
   * A gradient collector, held under a JVM-wide lock until closed: DJL allows only one collector per
   * JVM, so Spark tasks sharing an executor (or tests sharing a JVM) take turns instead of failing.
   */
  public static ai.djl.training.GradientCollector gradientCollector() {
    GRADIENTS.lock();
    try {
      ai.djl.training.GradientCollector inner = pytorch().newGradientCollector();
      return new ai.djl.training.GradientCollector() {
        @Override
        public void backward(ai.djl.ndarray.NDArray target) {
          inner.backward(target);
        }

        @Override
        public void zeroGradients() {
          inner.zeroGradients();
        }

        @Override
        public void close() {
          try {
            inner.close();
          } finally {
            GRADIENTS.unlock();
          }
        }
      };
    } catch (RuntimeException e) {
      GRADIENTS.unlock();
      throw e;
    }
  }

  /**
   * Turns autograd off on this thread until closed (PyTorch's {@code no_grad}), restoring the
   * previous mode. Grad mode is per thread and on by default in PyTorch: a thread that never ran
   * DJL's engine start, or that ran a gradient collector, records graphs for every op, which made
   * inference after attribution in one JVM twice as slow.
   */
  public static Scope noGradients() {
    pytorch();
    boolean previous = ai.djl.pytorch.jni.JniUtils.isGradMode();
    ai.djl.pytorch.jni.JniUtils.setGradMode(false);
    return () -> ai.djl.pytorch.jni.JniUtils.setGradMode(previous);
  }

  /** A scope that restores what it changed when closed. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  /** The PyTorch engine, started offline on first use. */
  public static synchronized Engine pytorch() {
    System.setProperty("ai.djl.offline", "true");
    if (System.getenv("ENGINE_CACHE_DIR") == null && System.getProperty("ENGINE_CACHE_DIR") == null) {
      System.setProperty("ENGINE_CACHE_DIR", Path.of(System.getProperty("user.home"), ".cache", "payable", "djl").toString());
    }
    try {
      return Engine.getEngine("PyTorch");
    } catch (RuntimeException e) {
      throw new IllegalStateException("cannot start DJL's PyTorch engine offline (" + e.getMessage()
          + "); the pytorch-native-cpu and pytorch-jni jars must be on the classpath, or PYTORCH_LIBRARY_PATH and PYTORCH_FLAVOR must name a libtorch 2.7.1", e);
    }
  }

  /**
   * The device a spec asks for: {@code cpu}, or {@code gpu}: inside a Spark task that was granted
   * a GPU ({@code spark.task.resource.gpu.amount=1}), the GPU Spark assigned to the task, else the
   * first CUDA device. Fails with what to install when the engine has no CUDA.
   */
  public static Device device(String name) {
    return switch (name) {
      case "cpu" -> Device.cpu();
      case "gpu" -> {
        int assigned = sparkTaskGpu();
        if (pytorch().getGpuCount() == 0) {
          throw new IllegalStateException("device: gpu was asked for but PyTorch sees no CUDA device; the CPU build of libtorch is on the classpath. "
              + "On a GPU machine run `make gpu` and export what it prints (the CUDA libtorch of the pinned torch wheel; training/README.md), "
              + "or use device: cpu");
        }
        yield Device.gpu(assigned);
      }
      default -> throw new IllegalArgumentException("device must be cpu or gpu, not '" + name + "'");
    };
  }

  /** The GPU address Spark's resource scheduler gave the current task, or 0 outside a task. */
  private static int sparkTaskGpu() {
    org.apache.spark.TaskContext task = org.apache.spark.TaskContext.get();
    if (task == null || !task.resources().contains("gpu")) {
      return 0;
    }
    String[] addresses = task.resources().apply("gpu").addresses();
    return addresses.length == 0 ? 0 : Integer.parseInt(addresses[0]);
  }

  /**
   * The element type models are served in on {@code device}: float16 on CUDA (half the memory and
   * the tensor cores; DJL's PyTorch bindings have no bfloat16), float32 on the CPU, where half
   * precision is slower, not faster. Training stays in float32 everywhere.
   */
  public static ai.djl.ndarray.types.DataType servingType(Device device) {
    return device.isGpu() ? ai.djl.ndarray.types.DataType.FLOAT16 : ai.djl.ndarray.types.DataType.FLOAT32;
  }

  /**
   * Seeds this thread's generator ({@link #random()}), from which weights are initialised and dropout
   * masks drawn: with the same seed, a CPU run is bit-for-bit reproducible even while other threads
   * of the JVM (Spark tasks training other models) draw from theirs. The engine's own generator is
   * one per JVM, so two models initialised at once drew each other's numbers from it.
   */
  public static void seed(long seed) {
    RANDOM.set(new SplittableRandom(seed));
  }

  /** This thread's generator: seeded by {@link #seed}, else by 0. */
  public static SplittableRandom random() {
    return RANDOM.get();
  }
}
