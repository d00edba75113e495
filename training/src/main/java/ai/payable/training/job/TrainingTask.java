package ai.payable.training.job;

import ai.payable.core.catalog.AcceptedRecord;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to train one model away from the driver (in a Spark task): the spec's text,
 * the records, where the parent models' files are and where to write. It holds no Spark session
 * and no open resources, so it travels to executors.
 *
 * @param specText the spec as written (parsed again where it runs)
 * @param baseUri the folder of the base an adapter adapts, or null
 * @param baseLocation what the adapter's {@code base_model_name_or_path} should say
 * @param teacherUri the teacher's folder (distillation, derived students), or null
 * @param teacherAdapterUri an adapter of the teacher to switch on while distilling, or null
 * @param models where model folders are published (a directory or URI)
 * @param hadoopSettings the {@code fs.*} settings to reach {@code models} and the parents
 * @param cache a local directory for copies of remote models
 */
record TrainingTask(String modelId, String specText, String specSource, List<AcceptedRecord> train, List<AcceptedRecord> heldout,
    String baseUri, String baseLocation, String teacherUri, String teacherAdapterUri, String models, Map<String, String> hadoopSettings, String cache)
    implements Serializable {}
